/**
 * `npm run seed -- <file.json> [--url http://localhost:8787] [--env <name>]`:
 * creates the SKUs, stock and sale a file describes (format: scripts/seed/format.ts,
 * example: examples/sale.json) on a running `npm run dev`, through the typed client,
 * as the merchant. Running it again changes nothing (scripts/seed/apply.ts).
 *
 * The merchant token is HOLDFAST_ADMIN_TOKEN if set, else ADMIN_TOKEN from
 * .dev.vars (.dev.vars.<env> with --env), as the server binds it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createHoldfastClient } from "../client/src/index.ts";
import { merchantToken } from "./dev/vars.ts";
import { applySeed } from "./seed/apply.ts";
import { describeIssues, SeedFile } from "./seed/format.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

function fail(message: string): never {
  console.error(`[seed] ${message}`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: { url: { type: "string", default: "http://localhost:8787" }, env: { type: "string" } },
      allowPositionals: true,
    });
  } catch (err) {
    return fail(`${(err as Error).message}\nusage: npm run seed -- <file.json> [--url http://localhost:8787] [--env <name>]`);
  }
})();
const [file] = positionals;
if (file === undefined || positionals.length > 1) fail("usage: npm run seed -- <file.json> [--url http://localhost:8787] [--env <name>]");

let raw: unknown;
try {
  raw = JSON.parse(readFileSync(path.resolve(process.cwd(), file), "utf8"));
} catch (err) {
  fail(`cannot read ${file}: ${(err as Error).message}`);
}
const parsed = SeedFile.safeParse(raw);
if (!parsed.success) fail(`${file} is not a seed file:\n  ${describeIssues(parsed.error).join("\n  ")}`);

const token = merchantToken(ROOT, values.env);

const hf = createHoldfastClient({ baseUrl: values.url!, token });
try {
  for (const line of await applySeed(hf, parsed.data, Date.now()))
    console.log(`  ${line.what.padEnd(20)} ${line.action.padEnd(8)} ${line.detail}`);
} catch (err) {
  const reason =
    err instanceof TypeError
      ? `cannot reach ${values.url} (is \`npm run dev\` running?): ${String(err.cause ?? err.message)}`
      : String(err);
  fail(reason);
}
