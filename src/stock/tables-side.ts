import type { SkuRow } from "./rows";

/** The levels row's columns, as every read and the checked change return them, in the order `levelsRowOf` reads them. */
export const SKU_COLUMNS = `sku, name, price_amount, currency, always_on, on_hand, reserved, sold, received, returned,
  moved_in, moved_out, shards, shard_index, shard_span, shard_history, shard_epoch, updated_at_ms, version, in_transit, routing, split,
  live_units, live_holds, holds_created, holds_released, holds_expired, holds_committed, holds_returned`;

/**
 * The levels row from a cursor over SKU_COLUMNS, or null when it returned none.
 * Read as values and built as one object literal: the row object the SQL API
 * builds key by key (29 keys) was about a third of `changeLevels`' samples in
 * a profile of a hold (test/stock/levels-copy.test.ts checks this row against
 * the API's own).
 */
export function levelsRowOf(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>): SkuRow | null {
  let row: SkuRow | null = null;
  // Read to the end (the statements return one row), so no statement is left part-way.
  for (const values of cursor.raw()) row ??= levelsFrom(values);
  return row;
}

function levelsFrom(v: SqlStorageValue[]): SkuRow {
  return {
    sku: v[0] as string,
    name: v[1] as string,
    price_amount: v[2] as number,
    currency: v[3] as string,
    always_on: v[4] as number,
    on_hand: v[5] as number,
    reserved: v[6] as number,
    sold: v[7] as number,
    received: v[8] as number,
    returned: v[9] as number,
    moved_in: v[10] as number,
    moved_out: v[11] as number,
    shards: v[12] as number,
    shard_index: v[13] as number | null,
    shard_span: v[14] as number,
    shard_history: v[15] as string,
    shard_epoch: v[16] as number,
    updated_at_ms: v[17] as number,
    version: v[18] as number,
    in_transit: v[19] as number,
    routing: v[20] as string,
    split: v[21] as number,
    live_units: v[22] as number,
    live_holds: v[23] as number,
    holds_created: v[24] as number,
    holds_released: v[25] as number,
    holds_expired: v[26] as number,
    holds_committed: v[27] as number,
    holds_returned: v[28] as number,
  };
}

export type CustomerUsage = {
  held: number;
  bought: number;
  /** Token bucket for a sale's holdsPerMinute; null until first used (a full bucket). */
  rate_tokens: number | null;
  rate_at_ms: number | null;
};

/**
 * The first layer of the object's tables (see ./tables.ts): rows beside the
 * holds that need no tally of a mutation's hold statements: the levels row
 * as read, the customers' usage, the outbox of audit events and the counters.
 */
export class SkuSideTables {
  readonly sql: SqlStorage;

  constructor(protected readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  /**
   * The levels row as stored, kept between statements. This object is its
   * only writer, and every statement that writes it either hands back the row
   * it left (SkuTables.changeLevels) or forgets this copy, as does a rollback,
   * so a hold decides without reading the row first. The invariants are still
   * checked on the row the change's own UPDATE returns, so a stale copy could
   * make a change fail loudly, never let it oversell.
   */
  private levels: Readonly<SkuRow> | null = null;

  sku(): SkuRow | null {
    if (this.levels) return this.levels;
    const row = levelsRowOf(this.sql.exec(`SELECT ${SKU_COLUMNS} FROM sku WHERE id = 1`));
    return row ? this.keepLevels(row) : null;
  }

  /** The row a statement of this object just wrote, as it was stored (frozen: callers share it). */
  protected keepLevels(row: SkuRow): SkuRow {
    this.levels = Object.freeze(row);
    return row;
  }

  /** A statement wrote the sku row without returning it, or storage changed under the object. */
  forgetLevels(): void {
    this.levels = null;
  }

  usage(scope: string, customerId: string): CustomerUsage {
    return (
      this.sql
        .exec<CustomerUsage>(
          "SELECT held, bought, rate_tokens, rate_at_ms FROM customer_usage WHERE scope = ? AND customer_id = ?",
          scope,
          customerId,
        )
        .toArray()[0] ?? { held: 0, bought: 0, rate_tokens: null, rate_at_ms: null }
    );
  }

  /** What a customer held plus bought, by sale, in this object (for another object of the SKU checking a limit). */
  usageByScope(customerId: string): Record<string, number> {
    const rows = this.sql
      .exec<{ scope: string; used: number }>("SELECT scope, held + bought AS used FROM customer_usage WHERE customer_id = ?", customerId)
      .toArray();
    return Object.fromEntries(rows.map((r) => [r.scope, r.used]));
  }

  /**
   * Counts a new live hold in its customer's usage of the sale, with the
   * customer's hold-rate bucket when the sale has one: one upsert, one row.
   * Returns the usage as written, for invariant 4.
   */
  addUsage(scope: string, customerId: string, quantity: number, rate: { tokens: number; at_ms: number } | null): CustomerUsage {
    return this.sql
      .exec<CustomerUsage>(
        `INSERT INTO customer_usage (customer_id, scope, held, rate_tokens, rate_at_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (customer_id, scope) DO UPDATE SET held = held + excluded.held,
           rate_tokens = COALESCE(excluded.rate_tokens, rate_tokens), rate_at_ms = COALESCE(excluded.rate_at_ms, rate_at_ms)
         RETURNING held, bought, rate_tokens, rate_at_ms`,
        customerId,
        scope,
        quantity,
        rate?.tokens ?? null,
        rate?.at_ms ?? null,
      )
      .one();
  }

  /**
   * The next event's seq once known (null: read it first). Kept in memory so
   * an append is one plain INSERT; only `emit` appends, and a rollback
   * forgets it (SkuTables.tx), as does anything that writes the outbox
   * behind the object's back.
   */
  private nextEventSeq: number | null = null;

  /** Appends an event; the shipper hashes it in canonical form, so plain JSON is stored here. */
  emit(type: string, now_ms: number, data: object): void {
    const seq = this.nextEventSeq ?? this.firstFreeEventSeq();
    this.sql.exec("INSERT INTO outbox (seq, type, at_ms, data) VALUES (?, ?, ?, ?)", seq, type, now_ms, JSON.stringify(data));
    this.nextEventSeq = seq + 1;
  }

  /** On every rollback (SkuTables.tx): the next append reads its seq from the table again. */
  forgetEventSeq(): void {
    this.nextEventSeq = null;
  }

  /** Past the newest row and the shipped head alike, so a seq is never reused even after pruning emptied the table. */
  private firstFreeEventSeq(): number {
    return this.sql
      .exec<{ seq: number }>(
        "SELECT MAX(COALESCE((SELECT MAX(seq) FROM outbox), 0), (SELECT outbox_seq FROM audit_head WHERE id = 1)) + 1 AS seq",
      )
      .one().seq;
  }

  /**
   * When the oldest unshipped event was appended. Served by the partial index
   * `outbox_unshipped`, so it costs the same however many rows wait: the
   * reserve path asks on every call to keep the alarm armed.
   */
  earliestUnshippedAtMs(): number | null {
    return (
      this.sql
        .exec<{ at_ms: number }>(
          "SELECT at_ms FROM outbox WHERE seq > (SELECT outbox_seq FROM audit_head WHERE id = 1) ORDER BY seq LIMIT 1",
        )
        .toArray()[0]?.at_ms ?? null
    );
  }

  /** How many events wait to ship: seqs are dense, so two lookups on the primary key, whatever the backlog. */
  unshippedCount(): number {
    return this.sql
      .exec<{ n: number }>("SELECT COALESCE((SELECT MAX(seq) FROM outbox), 0) - (SELECT outbox_seq FROM audit_head WHERE id = 1) AS n")
      .one().n;
  }

  bump(counter: string, by = 1): void {
    this.sql.exec(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
      counter,
      by,
    );
  }

  /** Hold counters (kept in the sku row by triggers) and the rest (refusals, violations). */
  counters(): Record<string, number> {
    const sku = this.sku();
    const out: Record<string, number> = sku
      ? {
          holds_created: sku.holds_created,
          holds_released: sku.holds_released,
          holds_expired: sku.holds_expired,
          holds_committed: sku.holds_committed,
          holds_returned: sku.holds_returned,
        }
      : {};
    for (const { name, value } of this.sql.exec<{ name: string; value: number }>("SELECT name, value FROM counters")) {
      out[name] = value;
    }
    return out;
  }
}
