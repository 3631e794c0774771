/**
 * The standalone audit check (issue 25): an exported stream (GET
 * /v1/audit/export) against its signed checkpoint, with nothing but the
 * public key. It recomputes every hash with spec §7's formula on its own, so
 * it trusts neither holdfast's code nor its database.
 */
import { canonicalJson, sha256Hex } from "../../src/domain/canonical-json.ts";
import { headLeafText, leafHash, rootFromPath } from "../../src/audit/merkle.ts";

export const LOG_NAME = "holdfast-audit/v1";

export interface Exported {
  stream: string;
  checkpoint: {
    body: { log: string; seq: number; atMs: number; streams: number; events: number; root: string; keyId: string };
    signature: string;
  };
  proof: { index: number; size: number; path: string[] };
  events: Array<{ stream: string; seq: number; type: string; atMs: number; data: string; prevHash: string; hash: string }>;
}

export type Checked =
  | { ok: true; stream: string; events: number; checkpoint: { seq: number; atMs: number; root: string } }
  | { ok: false; reason: string };

const GENESIS = "0".repeat(64);

function bytesOf(b64url: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64url.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Null when `checkpoint` is this log's and signed by `publicKey`; else the reason. */
export async function checkSignature(checkpoint: Exported["checkpoint"], publicKey: string): Promise<string | null> {
  const { body, signature } = checkpoint;
  if (body.log !== LOG_NAME) return `the checkpoint is not of this log (${String(body.log)})`;
  const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: publicKey }, { name: "Ed25519" }, false, ["verify"]);
  const signed = await crypto.subtle.verify({ name: "Ed25519" }, key, bytesOf(signature), new TextEncoder().encode(canonicalJson(body)));
  return signed ? null : "the checkpoint's signature does not verify with this public key: it is forged or altered";
}

/** `minCheckpointSeq`: refuse a checkpoint older than one already seen (a replay of an old view of the log). */
export async function checkExport(exp: Exported, publicKey: string, opts: { minCheckpointSeq?: number } = {}): Promise<Checked> {
  const refuse = (reason: string): Checked => ({ ok: false, reason });
  const { body } = exp.checkpoint;
  const unsigned = await checkSignature(exp.checkpoint, publicKey);
  if (unsigned) return refuse(unsigned);
  if (opts.minCheckpointSeq !== undefined && body.seq < opts.minCheckpointSeq) {
    return refuse(`checkpoint ${body.seq} is older than checkpoint ${opts.minCheckpointSeq} already seen: a replayed view of the log`);
  }
  let prev = GENESIS;
  for (const [i, e] of exp.events.entries()) {
    if (e.stream !== exp.stream || e.seq !== i + 1) return refuse(`event ${i + 1} of ${exp.stream} is missing or out of place`);
    if (e.prevHash !== prev) return refuse(`event ${e.seq}: prevHash does not link to event ${e.seq - 1}`);
    const event = { stream: e.stream, seq: e.seq, type: e.type, atMs: e.atMs, data: JSON.parse(e.data) as unknown };
    if ((await sha256Hex(prev + canonicalJson(event))) !== e.hash) return refuse(`event ${e.seq}: its hash does not match its contents`);
    prev = e.hash;
  }
  const head = { stream: exp.stream, seq: exp.events.length, hash: prev };
  const root = await rootFromPath(exp.proof.index, exp.proof.size, await leafHash(headLeafText(head)), exp.proof.path);
  if (exp.proof.size !== body.streams || root !== body.root) {
    return refuse(
      `the stream's head (seq ${head.seq}) is not the one checkpoint ${body.seq} signed: the export or the checkpoint was swapped`,
    );
  }
  return { ok: true, stream: exp.stream, events: head.seq, checkpoint: { seq: body.seq, atMs: body.atMs, root: body.root } };
}
