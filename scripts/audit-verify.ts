/**
 * npm run audit:verify -- <export file> --key <public key> [--min-checkpoint <seq>]
 *
 * Checks a stream exported with GET /v1/audit/export against the checkpoint in
 * it, with nothing but holdfast's public key (GET /v1/audit/key, `publicKey`;
 * or HOLDFAST_AUDIT_PUBLIC_KEY). Exit 0 and a JSON summary when it holds,
 * exit 1 and the reason when not. docs/operations.md "Audit log".
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkExport } from "./audit-verify/check.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { key: { type: "string" }, "min-checkpoint": { type: "string" } },
});
const file = positionals[0];
const key = values.key ?? process.env.HOLDFAST_AUDIT_PUBLIC_KEY;
if (!file || !key) {
  console.error("usage: npm run audit:verify -- <export file> --key <public key> [--min-checkpoint <seq>]");
  process.exit(2);
}
const min = values["min-checkpoint"] === undefined ? undefined : Number(values["min-checkpoint"]);
const result = await checkExport(JSON.parse(readFileSync(file, "utf8")), key, min === undefined ? {} : { minCheckpointSeq: min });
console.log(JSON.stringify(result, null, 2));
process.exit(result.ok ? 0 : 1);
