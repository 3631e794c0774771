import { accept, refuse, type Outcome } from "../domain/problems";
import type { InclusionProof } from "./checkpoint-log";
import type { SignedCheckpoint } from "./checkpoint";

/** The name of the AuditAnchorObject that signs and keeps the checkpoints. */
export const CHECKPOINTS_OBJECT = "audit-checkpoints";

export const EXPORT = {
  /** Events one export carries at most. */
  max_events: 50_000,
  page_rows: 500,
} as const;

export interface StreamExport {
  stream: string;
  checkpoint: SignedCheckpoint;
  proof: { index: number; size: number; path: string[] };
  events: Array<{ stream: string; seq: number; type: string; atMs: number; data: string; prevHash: string; hash: string }>;
}

export function checkpointsStub(env: Pick<Env, "AUDIT_ANCHOR">) {
  return env.AUDIT_ANCHOR.getByName(CHECKPOINTS_OBJECT);
}

/** A stream's events up to its head in the latest checkpoint, with the head's proof. */
export async function exportStream(env: Pick<Env, "DB" | "AUDIT_ANCHOR">, stream: string): Promise<Outcome<StreamExport>> {
  const proof: InclusionProof | null = await checkpointsStub(env).proveStream(stream);
  if (!proof) return refuse("not_found", "No checkpoint covers this stream yet; checkpoints are made every minute while events flow.");
  if (proof.head.seq > EXPORT.max_events) return refuse("invalid_request", `The stream has more than ${EXPORT.max_events} events.`);
  const events: StreamExport["events"] = [];
  for (let page = 0; page * EXPORT.page_rows < proof.head.seq; page++) {
    const { results } = await env.DB.prepare(
      "SELECT stream, seq, type, at_ms, data, prev_hash, hash FROM audit_events WHERE stream = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
    )
      .bind(stream, events.length, proof.head.seq, EXPORT.page_rows)
      .all<{ stream: string; seq: number; type: string; at_ms: number; data: string; prev_hash: string; hash: string }>();
    for (const r of results)
      events.push({ stream: r.stream, seq: r.seq, type: r.type, atMs: r.at_ms, data: r.data, prevHash: r.prev_hash, hash: r.hash });
    if (results.length < EXPORT.page_rows) break;
  }
  return accept({ stream, checkpoint: proof.checkpoint, proof: { index: proof.index, size: proof.size, path: proof.path }, events });
}
