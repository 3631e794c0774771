import { DurableObject } from "cloudflare:workers";
import { ARCHIVE_STEPS, CheckpointArchive, type ArchiveRun } from "../audit/archive";
import { CHECKPOINT_LOG_STEPS, CheckpointLog, type InclusionProof } from "../audit/checkpoint-log";
import type { SignedCheckpoint, StreamHead } from "../audit/checkpoint";
import { migrate } from "./migrate";

/** Events of one order stream the anchor returns at most (an order moves a handful of times). */
export const ANCHOR_MAX_EVENTS = 1_000;

const STEPS = [
  `CREATE TABLE anchored (
     stream TEXT NOT NULL,
     seq INTEGER NOT NULL,
     hash TEXT NOT NULL,
     at_ms INTEGER NOT NULL,
     PRIMARY KEY (stream, seq)
   ) WITHOUT ROWID;`,
];

/**
 * The order streams' audit hashes, kept where a writer of D1 cannot reach
 * (issue 25): `verify` compares each D1 chain with them, so a stream rewritten
 * consistently in D1 (every hash recomputed) or cut short is still caught.
 * Sharded by stream name (src/audit/anchor.ts); each (stream, seq) is written
 * once, forever: a second, different hash for it is refused, not stored.
 * The object named CHECKPOINTS_OBJECT (src/audit/export.ts) keeps the signed checkpoints instead.
 */
export class AuditAnchorObject extends DurableObject<Env> {
  /** Used by the one object named CHECKPOINTS_OBJECT only; the anchor shards never touch its tables. */
  private readonly checkpoints: CheckpointLog;
  private readonly archive: CheckpointArchive;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.checkpoints = new CheckpointLog(ctx.storage, env);
    this.archive = new CheckpointArchive(ctx.storage, env, this.checkpoints);
    // Append only: both roles share one list of schema steps.
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, [...STEPS, ...CHECKPOINT_LOG_STEPS, ...ARCHIVE_STEPS]));
  }

  /** Records a stream's event hash; false when that seq already holds another hash. */
  async anchor(stream: string, seq: number, hash: string, at_ms: number): Promise<boolean> {
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO anchored (stream, seq, hash, at_ms) VALUES (?, ?, ?, ?)", stream, seq, hash, at_ms);
    const [stored] = this.ctx.storage.sql
      .exec<{ hash: string }>("SELECT hash FROM anchored WHERE stream = ? AND seq = ?", stream, seq)
      .toArray();
    return stored?.hash === hash;
  }

  /** A stream's anchored hashes by seq, oldest first, at most ANCHOR_MAX_EVENTS. */
  async hashes(stream: string): Promise<Array<{ seq: number; hash: string }>> {
    return this.ctx.storage.sql
      .exec<{ seq: number; hash: string }>(
        "SELECT seq, hash FROM anchored WHERE stream = ? ORDER BY seq LIMIT ?",
        stream,
        ANCHOR_MAX_EVENTS,
      )
      .toArray();
  }

  // --- Checkpoints (the object named CHECKPOINTS_OBJECT)

  async makeCheckpoint(now_ms: number): Promise<SignedCheckpoint | null> {
    return this.checkpoints.make(now_ms);
  }

  /** Writes the checkpoints not yet in the write-once archive (src/audit/archive.ts). */
  async archiveCheckpoints(now_ms: number): Promise<ArchiveRun> {
    return this.archive.run(now_ms);
  }

  /** The latest checkpoint and the heads it signed for `streams` (those it covers). */
  async coveringCheckpoint(streams: string[]): Promise<{ checkpoint: SignedCheckpoint; heads: StreamHead[] } | null> {
    return this.checkpoints.covering(streams);
  }

  async listCheckpoints(before_seq: number | null, limit: number): Promise<SignedCheckpoint[]> {
    return this.checkpoints.list(before_seq, limit);
  }

  async proveStream(stream: string): Promise<InclusionProof | null> {
    return this.checkpoints.prove(stream);
  }
}
