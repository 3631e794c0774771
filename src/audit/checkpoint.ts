import { canonicalJson, sha256Hex } from "../domain/canonical-json";
import { fromBase64url, toBase64url } from "../platform/base64url";
import type { CheckpointBody, SignedCheckpoint, StreamHead } from "./checkpoint-types";
import { headLeafText, leafHash, merkleRoot } from "./merkle";

/**
 * Signed checkpoints of the audit log (issue 25), as transparency logs make
 * them: a Merkle root over every stream's head (RFC 9162 hashing, one leaf per
 * stream in name order), with the counts and the time, signed with Ed25519.
 * Anyone holding the public key (GET /v1/audit/key) can check an exported
 * stream against one (scripts/audit-verify.ts) without trusting holdfast.
 */

export const CHECKPOINT = {
  /** The log's name inside every signed body, so a signature over something else never passes. */
  log: "holdfast-audit/v1",
  /** Heads read per D1 query. */
  page_rows: 500,
  /** Streams one checkpoint covers at most; past it the checkpoint is not made and the log says so. */
  max_streams: 50_000,
} as const;

export type { CheckpointBody, SignedCheckpoint, StreamHead } from "./checkpoint-types";

export interface SigningKey {
  key: CryptoKey;
  /** The raw public key, base64url (the JWK `x`). */
  publicKey: string;
  keyId: string;
}

/** The key in AUDIT_SIGNING_KEY (an Ed25519 private JWK); null when the secret is not set. */
export async function signingKey(env: { AUDIT_SIGNING_KEY?: string | undefined }): Promise<SigningKey | null> {
  if (!env.AUDIT_SIGNING_KEY) return null;
  const jwk = JSON.parse(env.AUDIT_SIGNING_KEY) as { kty: string; crv: string; d: string; x: string };
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d || !jwk.x) throw new Error("AUDIT_SIGNING_KEY is not an Ed25519 private JWK");
  const key = await crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, false, ["sign"]);
  return { key, publicKey: jwk.x, keyId: keyIdOf(jwk.x) };
}

/** A short, stable name of a public key: the first 16 hex digits of sha256 of its base64url text. */
export function keyIdOf(publicKey: string): string {
  return sha256Hex(publicKey).slice(0, 16);
}

/** Every stream's head in D1, in name order, in bounded pages; null when there are more than CHECKPOINT.max_streams. */
export async function readHeads(db: D1Database): Promise<StreamHead[] | null> {
  const heads: StreamHead[] = [];
  let after = "";
  const maxPages = Math.ceil(CHECKPOINT.max_streams / CHECKPOINT.page_rows) + 1;
  for (let page = 0; page < maxPages; page++) {
    // SQLite takes the bare `hash` from the row that holds MAX(seq).
    const { results } = await db
      .prepare("SELECT stream, MAX(seq) AS seq, hash FROM audit_events WHERE stream > ? GROUP BY stream ORDER BY stream LIMIT ?")
      .bind(after, CHECKPOINT.page_rows)
      .all<StreamHead>();
    heads.push(...results);
    if (heads.length > CHECKPOINT.max_streams) return null;
    if (results.length < CHECKPOINT.page_rows) return heads;
    after = results.at(-1)!.stream;
  }
  return null;
}

export function headLeaves(heads: readonly StreamHead[]): Promise<string[]> {
  return Promise.all(heads.map((h) => leafHash(headLeafText(h))));
}

/** Signs a checkpoint over `heads` (in name order). */
export async function signCheckpoint(key: SigningKey, heads: readonly StreamHead[], seq: number, at_ms: number): Promise<SignedCheckpoint> {
  const body: CheckpointBody = {
    log: CHECKPOINT.log,
    seq,
    atMs: at_ms,
    streams: heads.length,
    events: heads.reduce((n, h) => n + h.seq, 0),
    root: await merkleRoot(await headLeaves(heads)),
    keyId: key.keyId,
  };
  const sig = await crypto.subtle.sign({ name: "Ed25519" }, key.key, new TextEncoder().encode(canonicalJson(body)));
  return { body, signature: toBase64url(new Uint8Array(sig)) };
}

/** Whether `checkpoint` was signed by the key whose raw public key (base64url) is `publicKey`. */
export async function signedBy(publicKey: string, checkpoint: SignedCheckpoint): Promise<boolean> {
  const signature = fromBase64url(checkpoint.signature);
  if (!signature) return false;
  const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: publicKey }, { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature, new TextEncoder().encode(canonicalJson(checkpoint.body)));
}
