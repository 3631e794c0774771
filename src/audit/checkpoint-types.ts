/** The shapes of a signed checkpoint, without imports: the standalone verifier (scripts/audit-verify/) reads them under Node. */

export type StreamHead = { stream: string; seq: number; hash: string };

/** What is signed: canonical JSON of this object. */
export interface CheckpointBody {
  log: string;
  seq: number;
  atMs: number;
  streams: number;
  events: number;
  root: string;
  keyId: string;
}

export interface SignedCheckpoint {
  body: CheckpointBody;
  /** Ed25519 over the UTF-8 of canonicalJson(body), base64url. */
  signature: string;
}
