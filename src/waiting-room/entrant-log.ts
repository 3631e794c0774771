import { auditPath, blob, leafHash, nodeHash, type ProofStep, rootOfSize } from "./merkle";
import { entrantId } from "./place";

/**
 * A join shard's lottery joins as an append-only Merkle log (spec §9), in
 * join order: a join to a lottery takes the next index (`waiters.seq`), stores
 * its leaf, and in the same write adds the complete subtrees its leaf closes
 * (`lottery_nodes`, at most one per level: O(log n), one on average), so the
 * root of any prefix is O(log n) reads (merkle.ts rootOfSize) and the close
 * hashes no entrant. Arrivals are recorded non-decreasing along the log, so a
 * draw's entrants (joined before its close) are always a prefix of it,
 * whatever close a later draw moves to: the log is never rebuilt, and an
 * entrant's index never changes (the ticket carries it).
 */

type LogRow = { size: number; hashed: number; last_arrival_ms: number };
/** A join's place in the log: its index, its arrival, and how far the log was hashed when it was read. */
export type LogEntry = { seq: number; arrival_ms: number; hashed: number };

/** Leaves hashed per statement when the log catches up (joins that did not hash their own). */
const CATCH_UP_BATCH = 1_000;

export class EntrantLog {
  constructor(private readonly sql: SqlStorage) {}

  private row(): LogRow {
    return (
      this.sql.exec<LogRow>("SELECT size, hashed, last_arrival_ms FROM lottery_log WHERE id = 1").toArray()[0] ?? {
        size: 0,
        hashed: 0,
        last_arrival_ms: 0,
      }
    );
  }

  /** The index a lottery join takes and the arrival it records (never before the log's last one), with the log as read. */
  next(arrival_ms: number): LogEntry {
    const log = this.row();
    return { seq: log.size, arrival_ms: Math.max(arrival_ms, log.last_arrival_ms), hashed: log.hashed };
  }

  /**
   * The join `entry` (from next(), in the same synchronous call) was written
   * with `leaf` (null: hashed when the log catches up): its subtrees are added
   * now if the log is hashed up to it.
   */
  appended(entry: LogEntry, leaf: Buffer | null): void {
    const hashed = leaf !== null && entry.hashed === entry.seq ? entry.seq + 1 : entry.hashed;
    if (hashed > entry.hashed) this.climb(entry.seq, leaf!);
    this.sql.exec(
      "INSERT OR REPLACE INTO lottery_log (id, size, hashed, last_arrival_ms) VALUES (1, ?, ?, ?)",
      entry.seq + 1,
      hashed,
      entry.arrival_ms,
    );
  }

  /** Stores each complete subtree that leaf `seq` closes: while it is a right child, its parent. */
  private climb(seq: number, leaf: Buffer): void {
    let hash = leaf;
    let index = seq;
    for (let level = 0; index % 2 === 1 && level < 64; level++) {
      hash = nodeHash(this.nodeAt(level, index - 1), hash);
      index = (index - 1) / 2;
      this.sql.exec("INSERT OR REPLACE INTO lottery_nodes (level, idx, hash) VALUES (?, ?, ?)", level + 1, index, hash.toString("hex"));
    }
  }

  private readonly nodeAt = (level: number, index: number): Buffer => {
    if (level === 0) return Buffer.from(this.sql.exec<{ leaf: ArrayBuffer }>("SELECT leaf FROM waiters WHERE seq = ?", index).one().leaf);
    return Buffer.from(
      this.sql.exec<{ hash: string }>("SELECT hash FROM lottery_nodes WHERE level = ? AND idx = ?", level, index).one().hash,
      "hex",
    );
  };

  /**
   * Hashes what the joins did not (a join without the sale, or one logged
   * before this log existed): the leaves from the first unhashed index on, in
   * order. Nothing to do when every join hashed its own; bounded by the log.
   */
  catchUp(saleId: string): void {
    const log = this.row();
    for (let from = log.hashed; from < log.size; from += CATCH_UP_BATCH) {
      const rows = this.sql
        .exec<{ seq: number; customer_id: string; sku: string; leaf: ArrayBuffer | null }>(
          "SELECT seq, customer_id, sku, leaf FROM waiters WHERE seq >= ? AND seq < ? ORDER BY seq",
          from,
          Math.min(log.size, from + CATCH_UP_BATCH),
        )
        .toArray();
      for (const r of rows) {
        const leaf: Buffer = r.leaf === null ? this.hashLeaf(saleId, r.seq, r.customer_id, r.sku) : Buffer.from(r.leaf);
        this.climb(r.seq, leaf);
      }
    }
    this.sql.exec("UPDATE lottery_log SET hashed = size WHERE id = 1");
  }

  private hashLeaf(saleId: string, seq: number, customerId: string, sku: string): Buffer {
    const id = entrantId(saleId, customerId);
    const leaf = leafHash(id, sku);
    this.sql.exec("UPDATE waiters SET entrant_id = ?, leaf = ? WHERE seq = ?", id, blob(leaf), seq);
    return leaf;
  }

  size(): number {
    return this.row().size;
  }

  /** How many of the log's first joins arrived before `closesAtMs` (arrivals never decrease along it): a binary search, O(log n) reads. */
  prefixBefore(closesAtMs: number): number {
    let lo = 0;
    let hi = this.row().size;
    for (let step = 0; lo < hi && step < 64; step++) {
      const mid = Math.floor((lo + hi) / 2);
      const arrival = this.sql.exec<{ arrival_ms: number }>("SELECT arrival_ms FROM waiters WHERE seq = ?", mid).one().arrival_ms;
      if (arrival < closesAtMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The root of the first `size` leaves (the log must be hashed that far). */
  rootAt(size: number): string {
    return rootOfSize(size, this.nodeAt);
  }

  /** The audit path of leaf `index` in the tree of the first `size` leaves. */
  proof(index: number, size: number): ProofStep[] {
    return auditPath(index, size, this.nodeAt);
  }

  purge(): void {
    this.sql.exec("DELETE FROM lottery_nodes; DELETE FROM lottery_log;");
  }
}
