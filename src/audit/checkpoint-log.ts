import { headLeaves, readHeads, signCheckpoint, signingKey, type SignedCheckpoint, type StreamHead } from "./checkpoint";
import { ARCHIVE } from "./archive-format";
import { archivedThrough, type CheckpointSource } from "./archive";
import { inclusionPath } from "./merkle";

/** Checkpoints whose heads are kept, so inclusion proofs can be given against them (about ten minutes at one a minute). */
export const PROOF_CHECKPOINTS = 10;

export const CHECKPOINT_LOG_STEPS = [
  `CREATE TABLE checkpoints (
     seq INTEGER PRIMARY KEY,
     at_ms INTEGER NOT NULL,
     root TEXT NOT NULL,
     body TEXT NOT NULL,
     signature TEXT NOT NULL
   );
   CREATE TABLE checkpoint_heads (
     checkpoint INTEGER NOT NULL,
     idx INTEGER NOT NULL,
     stream TEXT NOT NULL,
     seq INTEGER NOT NULL,
     hash TEXT NOT NULL,
     PRIMARY KEY (checkpoint, idx)
   ) WITHOUT ROWID;
   CREATE INDEX checkpoint_heads_by_stream ON checkpoint_heads (checkpoint, stream);`,
];

export interface InclusionProof {
  checkpoint: SignedCheckpoint;
  head: StreamHead;
  index: number;
  size: number;
  path: string[];
}

/**
 * The signed checkpoints, kept in the checkpoint object's SQLite (outside
 * D1), with the heads of the latest few so a proof can be built against them.
 * Append-only: a checkpoint's seq is written once.
 */
export class CheckpointLog implements CheckpointSource {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Pick<Env, "DB"> & { AUDIT_SIGNING_KEY?: string | undefined },
  ) {}

  /** Signs a new checkpoint when some stream moved since the last one; the last one otherwise; null without a key. */
  async make(now_ms: number): Promise<SignedCheckpoint | null> {
    const key = await signingKey(this.env);
    if (!key) return null;
    const heads = await readHeads(this.env.DB);
    if (!heads) throw new Error("too many audit streams for one checkpoint");
    const last = this.latest();
    const next = await signCheckpoint(key, heads, (last?.body.seq ?? 0) + 1, now_ms);
    if (last && last.body.root === next.body.root && last.body.keyId === next.body.keyId) return last;
    this.storage.transactionSync(() => {
      const sql = this.storage.sql;
      const b = next.body;
      sql.exec(
        "INSERT INTO checkpoints (seq, at_ms, root, body, signature) VALUES (?, ?, ?, ?, ?)",
        b.seq,
        b.atMs,
        b.root,
        JSON.stringify(b),
        next.signature,
      );
      for (const [i, h] of heads.entries())
        sql.exec("INSERT INTO checkpoint_heads VALUES (?, ?, ?, ?, ?)", b.seq, i, h.stream, h.seq, h.hash);
      // Heads the archive still needs stay (from the last archived checkpoint on), up to its limit.
      sql.exec(
        "DELETE FROM checkpoint_heads WHERE checkpoint <= ? AND (checkpoint < ? OR checkpoint <= ?)",
        b.seq - PROOF_CHECKPOINTS,
        archivedThrough(this.storage),
        b.seq - ARCHIVE.max_pending_checkpoints,
      );
    });
    return next;
  }

  checkpoint(seq: number): SignedCheckpoint | null {
    const [row] = this.storage.sql
      .exec<{ body: string; signature: string }>("SELECT body, signature FROM checkpoints WHERE seq = ?", seq)
      .toArray();
    return row ? { body: JSON.parse(row.body) as SignedCheckpoint["body"], signature: row.signature } : null;
  }

  /** The heads a checkpoint signed, in name order; null once they were pruned. */
  heads(seq: number): StreamHead[] | null {
    const checkpoint = this.checkpoint(seq);
    if (!checkpoint) return null;
    const heads = this.storage.sql
      .exec<StreamHead>("SELECT stream, seq, hash FROM checkpoint_heads WHERE checkpoint = ? ORDER BY idx", seq)
      .toArray();
    return heads.length === checkpoint.body.streams ? heads : null;
  }

  latest(): SignedCheckpoint | null {
    return this.list(null, 1)[0] ?? null;
  }

  /** Newest first, those before `before_seq` when given. */
  list(before_seq: number | null, limit: number): SignedCheckpoint[] {
    return this.storage.sql
      .exec<{ body: string; signature: string }>(
        "SELECT body, signature FROM checkpoints WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        before_seq ?? Number.MAX_SAFE_INTEGER,
        limit,
      )
      .toArray()
      .map((r) => ({ body: JSON.parse(r.body) as SignedCheckpoint["body"], signature: r.signature }));
  }

  /** The latest checkpoint with the heads it signed for `streams` (a report's streams: a handful); null before the first. */
  covering(streams: readonly string[]): { checkpoint: SignedCheckpoint; heads: StreamHead[] } | null {
    const checkpoint = this.latest();
    if (!checkpoint) return null;
    const heads = streams.flatMap((stream) =>
      this.storage.sql
        .exec<StreamHead>("SELECT stream, seq, hash FROM checkpoint_heads WHERE checkpoint = ? AND stream = ?", checkpoint.body.seq, stream)
        .toArray(),
    );
    return { checkpoint, heads };
  }

  /** That a stream's head is in the latest checkpoint: the head, its leaf index and audit path; null if the stream is not in it. */
  async prove(stream: string): Promise<InclusionProof | null> {
    const checkpoint = this.latest();
    if (!checkpoint) return null;
    const heads = this.heads(checkpoint.body.seq) ?? [];
    const index = heads.findIndex((h) => h.stream === stream);
    if (index < 0) return null;
    const path = await inclusionPath(index, await headLeaves(heads));
    return { checkpoint, head: heads[index]!, index, size: heads.length, path };
  }
}
