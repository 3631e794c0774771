/**
 * npm run audit:verify -- [<export file>] --key=<public key> [--archive <dir>] [--min-checkpoint <seq>]
 *
 * Checks, with nothing but holdfast's public key (GET /v1/audit/key,
 * `publicKey`; or HOLDFAST_AUDIT_PUBLIC_KEY):
 * - a stream exported with GET /v1/audit/export against the checkpoint in it;
 * - with --archive, a copy of the write-once archive (the R2 bucket) on its
 *   own: signatures, hashes, and each checkpoint's root from the archived
 *   events; and the export against it, so a stream rewritten in D1 since it
 *   was archived is caught however consistently its hashes were redone.
 * Exit 0 and a JSON summary when it holds, exit 1 and the reason when not.
 * docs/operations.md "Audit log".
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ArchivedEvent } from "../src/audit/archive-format.ts";
import { checkArchive, checkExportAgainst } from "./audit-verify/archive.ts";
import { checkExport, type Exported } from "./audit-verify/check.ts";
import { directoryReader } from "./audit-verify/dir-reader.ts";

const USAGE = "usage: npm run audit:verify -- [<export file>] --key=<public key> [--archive <dir>] [--min-checkpoint <seq>]";

function args() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { key: { type: "string" }, archive: { type: "string" }, "min-checkpoint": { type: "string" } },
    });
  } catch (e) {
    // A base64url key may start with '-', which `--key <key>` reads as an option: `--key=<key>` is always safe.
    console.error(`${(e as Error).message}\n${USAGE}\n(a key that starts with '-' must be written --key=<key>)`);
    process.exit(2);
  }
}

const { values, positionals } = args();
const file = positionals[0];
const key = values.key ?? process.env.HOLDFAST_AUDIT_PUBLIC_KEY;
if ((!file && !values.archive) || !key) {
  console.error(USAGE);
  process.exit(2);
}
const min = values["min-checkpoint"] === undefined ? undefined : Number(values["min-checkpoint"]);
const exp = file ? (JSON.parse(readFileSync(file, "utf8")) as Exported) : null;
const out: { ok: boolean; export?: unknown; archive?: unknown; reason?: string } = { ok: true };
if (exp) {
  const checked = await checkExport(exp, key, min === undefined ? {} : { minCheckpointSeq: min });
  out.export = checked;
  out.ok &&= checked.ok;
}
if (values.archive) {
  const collect = exp ? { stream: exp.stream, events: [] as ArchivedEvent[] } : undefined;
  const checked = await checkArchive(directoryReader(values.archive), key, collect);
  out.archive = checked;
  out.ok &&= checked.ok;
  const differs = exp && collect ? checkExportAgainst(exp, collect.events) : null;
  if (differs) {
    out.ok = false;
    out.reason = differs;
  }
}
console.log(JSON.stringify(out, null, 2));
// Not process.exit: stdout to a pipe is written asynchronously, and exiting at once can cut the verdict off.
process.exitCode = out.ok ? 0 : 1;
