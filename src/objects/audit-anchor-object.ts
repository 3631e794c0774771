import { DurableObject } from "cloudflare:workers";
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
 */
export class AuditAnchorObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, STEPS));
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
}
