/**
 * The path to production (issue 21): `npm run deploy -- --env production
 * --dry-run` prints every step of the plan and runs none of them, and the
 * Worker's bundle, as `wrangler deploy --dry-run` builds it, stays within its
 * gzipped budget of 1 MiB (the size is printed on every run).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { deployPlan, resourcesOf } from "../../scripts/deploy/plan.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const WRANGLER = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const run = promisify(execFile);
const BUNDLE_BUDGET_BYTES = 1024 * 1024;
const out = mkdtempSync(path.join(tmpdir(), "holdfast-bundle-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("npm run deploy", () => {
  it("--dry-run prints each step in order and changes nothing", async () => {
    const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
    const { stdout } = await run(process.execPath, ["scripts/deploy.ts", "--env", "production", "--secrets", "prod.env", "--dry-run"], {
      cwd: ROOT,
    });
    const titles = [...stdout.matchAll(/^\[(\d+)\/(\d+)\] (.+)$/gm)].map((m) => m[3]);
    expect(stdout).toContain('13 steps for env "production" (dry run: nothing runs)');
    expect(titles[0]).toContain("Build the API reference");
    expect(titles.slice(1, 3).join("\n")).toMatch(/D1 database "holdfast"\ndatabase_id of "holdfast"/);
    expect(titles.filter((t) => t!.startsWith("Queue "))).toEqual([
      'Queue "holdfast-notifications"',
      'Queue "holdfast-notifications-dlq"',
      'Queue "holdfast-payments"',
      'Queue "holdfast-payments-dlq"',
    ]);
    expect(titles).toContain('R2 bucket "holdfast-audit-archive"');
    // The archive is locked before the Worker that writes to it is deployed.
    const lock = titles.findIndex((t) => t!.startsWith('Write-once rules of "holdfast-audit-archive"'));
    expect(lock).toBeGreaterThan(titles.indexOf('R2 bucket "holdfast-audit-archive"'));
    expect(lock).toBeLessThan(titles.findIndex((t) => t!.startsWith("Deploy the Worker")));
    expect(stdout).toContain("wrangler r2 bucket lock set holdfast-audit-archive --file r2-audit-lock.json --force");
    expect(stdout).toContain("wrangler d1 migrations apply DB --remote --env production");
    expect(stdout).toContain("wrangler secret bulk prod.env --env production");
    expect(stdout.trimEnd().split("\n").at(-1)).toContain("wrangler deploy --env production");
    expect(readFileSync(path.join(ROOT, "wrangler.toml"), "utf8")).toBe(toml);
  });

  it("asks for the environment, and skips what needs nothing doing", async () => {
    await expect(run(process.execPath, ["scripts/deploy.ts", "--dry-run"], { cwd: ROOT })).rejects.toMatchObject({ code: 2 });
    const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
    expect(resourcesOf(toml, "production")).toMatchObject({ database: "holdfast", placeholderDatabaseId: true });
    const set = toml.replace(/(\[\[env\.production\.d1_databases\]\][^[]*database_id = ")0{8}-0{4}-0{4}-0{4}-0{12}/, "$1abc");
    const plan = deployPlan(set, "production", null);
    expect(plan.find((s) => s.title.startsWith("database_id"))?.skip).toBe("already set");
    expect(plan.find((s) => s.title.startsWith("Load the secrets"))?.skip).toContain("no --secrets");
    const d1 = plan.find((s) => s.title.startsWith("D1 database"))!;
    expect(d1.check!.done('[{"name":"holdfast","uuid":"x"}]')).toBe(true);
    expect(d1.check!.done('[{"name":"other"}]')).toBe(false);
  });

  it("bundles within 1 MiB gzipped (wrangler deploy --dry-run)", async () => {
    await run(process.execPath, [WRANGLER, "deploy", "--dry-run", "--env", "production", "--outdir", out], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    });
    const files = readdirSync(out).filter((f) => f.endsWith(".js"));
    expect(files.length).toBeGreaterThan(0);
    const raw = files.reduce((n, f) => n + readFileSync(path.join(out, f)).length, 0);
    const gzipped = files.reduce((n, f) => n + gzipSync(readFileSync(path.join(out, f)), { level: 9 }).length, 0);
    console.log(
      `[bundle] ${files.join(", ")}: ${(raw / 1024).toFixed(1)} KiB, gzip ${(gzipped / 1024).toFixed(1)} KiB of a ${BUNDLE_BUDGET_BYTES / 1024} KiB budget`,
    );
    expect(gzipped).toBeLessThan(BUNDLE_BUDGET_BYTES);
  }, 120_000);
});
