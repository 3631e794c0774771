/**
 * `npm run deploy -- --env production [--secrets <file>] [--dry-run]`: makes
 * what the environment needs and deploys it, each step printed before it runs
 * (scripts/deploy/plan.ts). `--dry-run` prints the plan and runs nothing.
 * See docs/deploy.md.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { deployPlan, describe, type Step } from "./deploy/plan.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const WRANGLER = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const CONFIG = path.join(ROOT, "wrangler.toml");

const { values } = parseArgs({
  options: { env: { type: "string" }, secrets: { type: "string" }, "dry-run": { type: "boolean", default: false } },
});
if (!values.env) {
  console.error("[deploy] Name the environment: npm run deploy -- --env production [--secrets <file>] [--dry-run]");
  process.exit(2);
}
const env = values.env;
const plan = deployPlan(readFileSync(CONFIG, "utf8"), env, values.secrets ?? null);
console.log(`[deploy] ${plan.length} steps for env "${env}"${values["dry-run"] ? " (dry run: nothing runs)" : ""}:`);
if (values["dry-run"]) {
  for (const [i, step] of plan.entries()) console.log(describe(step, i, plan.length));
  process.exit(0);
}
for (const [i, step] of plan.entries()) {
  console.log(describe(step, i, plan.length));
  if (step.skip) continue;
  if (step.check?.done(wrangler(step.check.wrangler, true))) {
    console.log("      exists: nothing to do");
    continue;
  }
  if (step.wrangler) wrangler(step.wrangler, false);
  else own(step);
}
console.log("[deploy] Done.");

/** Runs wrangler: captured (a check) or shown (a change); a failed change stops the deploy. */
function wrangler(args: string[], capture: boolean): string {
  const run = spawnSync(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    // No prompts: CI makes wrangler take its non-interactive answers (the migrations' "continue?").
    env: { ...process.env, CI: "true" },
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
  });
  if (!capture && run.status !== 0) {
    console.error(`[deploy] wrangler ${args.join(" ")} failed (${run.status}); fix it and run again: done steps are skipped.`);
    process.exit(run.status ?? 1);
  }
  return run.stdout ?? "";
}

/** The steps the script does itself. */
function own(step: Step): void {
  if (step.title.startsWith("Build the API reference")) {
    const run = spawnSync("npm", ["run", "-s", "docs:api"], { cwd: ROOT, stdio: "inherit" });
    if (run.status !== 0) process.exit(run.status ?? 1);
    return;
  }
  if (step.title.startsWith("database_id")) {
    const name = /"([^"]+)"/.exec(step.title)?.[1] ?? "";
    const info = JSON.parse(wrangler(["d1", "info", name, "--json"], true) || "{}") as { uuid?: string };
    if (!info.uuid) {
      console.error(`[deploy] wrangler d1 info ${name} gave no uuid; set database_id under [env.${env}] by hand.`);
      process.exit(1);
    }
    const toml = readFileSync(CONFIG, "utf8");
    const at = toml.indexOf(`[[env.${env}.d1_databases]]`);
    const fixed = toml.slice(0, at) + toml.slice(at).replace(/database_id = "0{8}-0{4}-0{4}-0{4}-0{12}"/, `database_id = "${info.uuid}"`);
    writeFileSync(CONFIG, fixed);
    console.log(`      database_id = "${info.uuid}" written to wrangler.toml (commit it)`);
  }
}
