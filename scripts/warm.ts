/**
 * `npm run warm -- --sale <saleId> [--url http://localhost:8787] [--env <name>]`:
 * the pre-event warm-up (scripts/warm/warm.ts). The merchant token is
 * HOLDFAST_ADMIN_TOKEN if set, else ADMIN_TOKEN from `.dev.vars[.<env>]`.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { merchantToken } from "./dev/vars.ts";
import { warmSale } from "./warm/warm.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const usage = "usage: npm run warm -- --sale <saleId> [--url http://localhost:8787] [--env <name>]";
const { values } = parseArgs({
  options: { sale: { type: "string" }, url: { type: "string", default: "http://localhost:8787" }, env: { type: "string" } },
});
if (!values.sale) {
  console.error(usage);
  process.exit(2);
}
try {
  for (const line of await warmSale(fetch, values.url!, merchantToken(ROOT, values.env), values.sale)) {
    console.log(`${line.what.padEnd(24)} ${line.detail}`);
  }
} catch (err) {
  console.error(`[warm] ${(err as Error).message}`);
  process.exit(1);
}
