import { refuse, type Refusal } from "../../domain/problems";
import type { SkuTables } from "../tables";
import { holdKeyCustomer } from "../../idempotency/keys";

/**
 * One home per customer (spec §8): when a change of the shard count moves a
 * customer, their new home fences the old one in the same transaction that
 * reads their usage there (Escrow.priorOf, SkuObject.priorHere). A fenced
 * object refuses the customer's holds, checked inside each hold's transaction,
 * even when it never heard of the new count (its settings push failed) or a
 * hold of theirs was already waiting there for units. A fence names the epoch
 * (the count of shard-count changes) it was set under: an object that later
 * becomes the customer's home again, under a newer epoch, is not fenced.
 */

export class Fences {
  /**
   * Whether a customer may be fenced off this object: read once, then set by
   * `fence`. Most objects are never fenced (every unsharded SKU's, and a
   * shard no newer home has read), and their holds then run no query for it.
   */
  private any: boolean | null = null;

  constructor(private readonly tables: SkuTables) {}

  /** The home under `epoch` (with `shards` shards) read the customer's usage here: holds here stop. */
  fence(customerId: string, epoch: number, shards: number, now_ms: number): void {
    // Set before the write, and kept if its transaction rolls back: a needless query, never a missed fence.
    this.any = true;
    this.tables.sql.exec(
      `INSERT INTO customer_fences (customer_id, epoch, shards, fenced_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (customer_id) DO UPDATE SET epoch = excluded.epoch, shards = excluded.shards, fenced_at_ms = excluded.fenced_at_ms
       WHERE excluded.epoch > customer_fences.epoch`,
      customerId,
      epoch,
      shards,
      now_ms,
    );
  }

  /** The redirect for a customer fenced off this object (whose own epoch is `epoch`), or null. */
  refusal(customerId: string, epoch: number): Refusal | null {
    this.any ??= this.tables.sql.exec<{ any: number }>("SELECT EXISTS (SELECT 1 FROM customer_fences) AS any").one().any === 1;
    if (!this.any) return null;
    const row = this.tables.sql
      .exec<{ shards: number }>("SELECT shards FROM customer_fences WHERE customer_id = ? AND epoch > ?", customerId, epoch)
      .toArray()[0];
    return row ? notHome(row.shards) : null;
  }
}

/** Not this object's customer: the caller retries where `shards` says (hold-routing follows it). */
export function notHome(shards: number): Refusal {
  return refuse("unavailable", "This SKU's holds for this customer are served by another of its objects.", { shards });
}

/** The caller's settings are older than an object it asked: it must not serve until its own push arrives. */
export const STALE_HOME: Refusal = refuse("unavailable", "This SKU's shard count is changing; retry shortly.", { retryAfterSeconds: 1 });

/** Stored replies read to tell whether any is a hold's; more than this, and the object is taken to have served holds. */
const REPLIES_SCANNED_MAX = 1_000;

/**
 * Whether this object ever left a trace of a customer's hold: a hold, a
 * customer's usage row, or a stored reply to a keyed hold (refusals too).
 * Without one, every earlier-home read of it (Escrow.priorOf) would answer
 * nothing, so a change of the shard count need not list this object's count
 * in the SKU's history, and no hold of the new count calls it. Read inside
 * the transaction that changes the count, so no hold lands here after it.
 */
export function servedHolds(tables: SkuTables, sku: string): boolean {
  const traces = tables.sql
    .exec<{ n: number }>(
      "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM holds LIMIT 1)) + (SELECT COUNT(*) FROM (SELECT 1 FROM customer_usage LIMIT 1)) AS n",
    )
    .one().n;
  if (traces > 0) return true;
  const keys = tables.sql.exec<{ key: string }>("SELECT key FROM idempotency LIMIT ?", REPLIES_SCANNED_MAX + 1).toArray();
  return keys.length > REPLIES_SCANNED_MAX || keys.some((r) => holdKeyCustomer(r.key, sku) !== null);
}
