import type { SaleRule } from "../domain/types";
import { checkStockInvariants } from "./invariants";
import { LocationStock, type LocationRow } from "./locations";
import { HOLD_COLUMNS, saleRuleFromRow, type HoldRow, type SaleRuleRow, type SkuRow } from "./rows";

/**
 * Typed access to the object's tables (src/stock/schema.ts). Decisions
 * live in SkuLedger; this class only reads and writes rows.
 */
const SKU_COLUMNS = `sku, name, price_amount, currency, always_on, on_hand, reserved, sold, received, returned,
  moved_in, moved_out, shards, shard_index, shard_span, shard_history, shard_epoch, updated_at_ms, version, in_transit, routing, split,
  live_units, live_holds, holds_created, holds_released, holds_expired, holds_committed, holds_returned`;

/** Ended holds that no transition can move again; retention deletes them. */
const FINAL_STATUSES = `('released', 'expired', 'returned')`;
/** Counters of holds retention deleted, by status: `pruned_<status>`. */
export const PRUNED_COUNTER_PREFIX = "pruned_";

export type CustomerUsage = {
  held: number;
  bought: number;
  /** Token bucket for a sale's holdsPerMinute; null until first used (a full bucket). */
  rate_tokens: number | null;
  rate_at_ms: number | null;
};

/**
 * What a mutation's hold statements changed, as SQLite reported it
 * (RETURNING): folded into the sku row by the same mutation's one UPDATE of
 * it, so the tallies cost no write of their own (schema step 13).
 */
type Tally = {
  live_units: number;
  live_holds: number;
  created: number;
  released: number;
  expired: number;
  committed: number;
  returned: number;
};
const NO_TALLY: Readonly<Tally> = { live_units: 0, live_holds: 0, created: 0, released: 0, expired: 0, committed: 0, returned: 0 };

/** A keyed hold's stored reply, kept in its own row (see SqlReplies). */
export type FoldedReply = { idem_key: string; request_hash: string; reply: string };

export class SkuTables {
  private rules: SaleRule[] | null = null;
  private tally: Tally = { ...NO_TALLY };

  readonly sql: SqlStorage;
  /** Per-location stock (spec §11); untouched while the SKU is unlocated. */
  readonly locations: LocationStock;
  /** The locations rows the last checked change left, for its levels and events without a re-read. */
  private checkedLocations: LocationRow[] | null = null;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.locations = new LocationStock(storage.sql);
  }

  /** One synchronous transaction; a rollback also drops the rules cache, which may hold what was rolled back. */
  tx<T>(fn: () => T): T {
    try {
      return this.storage.transactionSync(() => {
        const result = fn();
        // A hold statement whose change no UPDATE of the sku row carried would leave the tallies behind.
        if (Object.values(this.tally).some((n) => n !== 0)) throw new Error("a hold changed without its levels");
        return result;
      });
    } catch (e) {
      this.forgetCachedRules();
      this.locations.forget();
      this.tally = { ...NO_TALLY };
      throw e;
    }
  }

  sku(): SkuRow | null {
    return this.sql.exec<SkuRow>(`SELECT ${SKU_COLUMNS} FROM sku WHERE id = 1`).toArray()[0] ?? null;
  }

  /**
   * Applies a change to the levels, with the tallies of the hold statements
   * before it, and checks invariants 1-3 on the row it returns: one
   * statement, one row written, no re-read. Invariant 3 compares `reserved`
   * (the decision's arithmetic) with `live_units` (what the hold rows, as
   * SQLite changed them, add up to), so a decision that moves units no hold
   * row moved is refused inside the transaction.
   */
  changeLevels(assignments: string, ...params: unknown[]): SkuRow {
    const t = this.tally;
    this.tally = { ...NO_TALLY };
    const sku = this.sql
      .exec<SkuRow>(
        `UPDATE sku SET ${assignments}, live_units = live_units + ?, live_holds = live_holds + ?, holds_created = holds_created + ?,
           holds_released = holds_released + ?, holds_expired = holds_expired + ?, holds_committed = holds_committed + ?,
           holds_returned = holds_returned + ?
         WHERE id = 1 RETURNING ${SKU_COLUMNS}`,
        ...params,
        t.live_units,
        t.live_holds,
        t.created,
        t.released,
        t.expired,
        t.committed,
        t.returned,
      )
      .toArray()[0];
    if (!sku) throw new Error("SKU row missing inside a mutation that requires it");
    this.check(sku);
    return sku;
  }

  /** Invariants 1-3, and on a located SKU the per-location ones (spec §11). */
  private check(sku: SkuRow): void {
    checkStockInvariants(sku, sku.live_units);
    this.checkedLocations = this.locations.located() ? this.locations.check(sku) : null;
  }

  /** The locations as the last checked change left them in this transaction; null on an unlocated SKU. */
  locationsAfterCheck(): LocationRow[] | null {
    return this.checkedLocations;
  }

  requireSku(): SkuRow {
    const sku = this.sku();
    if (!sku) throw new Error("SKU row missing inside a mutation that requires it");
    return sku;
  }

  /** Reads the levels after a change that moved no units and checks invariants 1-3. */
  checkedSku(): SkuRow {
    const sku = this.requireSku();
    this.check(sku);
    return sku;
  }

  hold(holdId: string): HoldRow | null {
    return this.sql.exec<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE hold_id = ?`, holdId).toArray()[0] ?? null;
  }

  /** Inserts a hold, with its keyed request's reply when it has one; its units count once the levels change. */
  insertHold(row: HoldRow, folded: FoldedReply | null = null): void {
    const made = this.sql
      .exec<{ quantity: number; live: number }>(
        `INSERT INTO holds (${HOLD_COLUMNS}, idem_key, request_hash, reply) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING quantity, status IN ('held', 'checkout') AS live`,
        row.hold_id,
        row.customer_id,
        row.quantity,
        row.status,
        row.scope,
        row.unit_amount,
        row.currency,
        row.created_at_ms,
        row.expires_at_ms,
        row.order_id,
        row.allocations,
        folded?.idem_key ?? null,
        folded?.request_hash ?? null,
        folded?.reply ?? null,
      )
      .one();
    this.tally.created += 1;
    if (made.live) {
      this.tally.live_units += made.quantity;
      this.tally.live_holds += 1;
    }
  }

  /** Ends a live hold; its units leave the tally only if the row really was live (the statement says). */
  endHold(holdId: string, status: "released" | "expired" | "committed", now_ms: number): void {
    for (const { quantity } of this.sql.exec<{ quantity: number }>(
      "UPDATE holds SET status = ?, ended_at_ms = ? WHERE hold_id = ? AND status IN ('held', 'checkout') RETURNING quantity",
      status,
      now_ms,
      holdId,
    )) {
      this.tally.live_units -= quantity;
      this.tally.live_holds -= 1;
      this.tally[status] += 1;
    }
  }

  /** A held hold's quantity, changed in place (spec §3); its units follow in the tally when the row really changed. */
  changeQuantity(holdId: string, from: number, to: number, allocations: string | null = null): void {
    const moved = this.sql.exec(
      "UPDATE holds SET quantity = ?, allocations = ? WHERE hold_id = ? AND status = 'held' AND quantity = ?",
      to,
      allocations,
      holdId,
      from,
    ).rowsWritten;
    if (moved > 0) this.tally.live_units += to - from;
  }

  /** committed -> returned (a refund's restock), counted when the row really moved. */
  returnHold(holdId: string, now_ms: number): void {
    const moved = this.sql.exec(
      "UPDATE holds SET status = 'returned', ended_at_ms = ? WHERE hold_id = ? AND status = 'committed'",
      now_ms,
      holdId,
    ).rowsWritten;
    if (moved > 0) this.tally.returned += 1;
  }

  /** Live holds whose deadline has passed, earliest first, at most `max_holds`. */
  overdueHolds(now_ms: number, max_holds: number): HoldRow[] {
    return this.sql
      .exec<HoldRow>(
        `SELECT ${HOLD_COLUMNS} FROM holds WHERE status IN ('held', 'checkout') AND expires_at_ms <= ?
         ORDER BY expires_at_ms LIMIT ?`,
        now_ms,
        max_holds,
      )
      .toArray();
  }

  earliestHoldDeadlineMs(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(expires_at_ms) AS at FROM holds WHERE status IN ('held', 'checkout')").one().at;
  }

  /** When the earliest-ended hold that can move no further ended (served by `holds_final_by_end`). */
  earliestFinalHoldEndMs(): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT MIN(ended_at_ms) AS at FROM holds WHERE status IN ${FINAL_STATUSES}`).one().at;
  }

  /**
   * Deletes up to `max_rows` holds that ended at or before `cutoff_ms` and can
   * move no further, counting them by status so the full audit still adds up.
   */
  pruneFinalHolds(cutoff_ms: number, max_rows: number): number {
    const gone = this.sql
      .exec<{ status: string }>(
        `DELETE FROM holds WHERE hold_id IN
           (SELECT hold_id FROM holds WHERE status IN ${FINAL_STATUSES} AND ended_at_ms <= ? ORDER BY ended_at_ms LIMIT ?)
         RETURNING status`,
        cutoff_ms,
        max_rows,
      )
      .toArray();
    const byStatus = new Map<string, number>();
    for (const { status } of gone) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    for (const [status, n] of byStatus) this.bump(`${PRUNED_COUNTER_PREFIX}${status}`, n);
    return gone.length;
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

  /** The SKU's current sale terms, cached until a rule changes (they change rarely, holds read them always). */
  saleRules(): SaleRule[] {
    this.rules ??= this.sql.exec<SaleRuleRow>("SELECT * FROM sale_rules WHERE removed = 0").toArray().map(saleRuleFromRow);
    return this.rules;
  }

  ruleRevision(saleId: string): number | null {
    return this.sql.exec<{ revision: number }>("SELECT revision FROM sale_rules WHERE sale_id = ?", saleId).toArray()[0]?.revision ?? null;
  }

  upsertRule(rule: SaleRule): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO sale_rules (sale_id, revision, name, starts_at_ms, ends_at_ms, price_amount,
         currency, per_customer_limit, max_per_order, hold_seconds, payment_seconds, holds_per_minute, priority, queued, removed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      rule.saleId,
      rule.revision,
      rule.name,
      rule.startsAtMs,
      rule.endsAtMs,
      rule.price.amount,
      rule.price.currency,
      rule.perCustomerLimit,
      rule.maxPerOrder,
      rule.holdSeconds,
      rule.paymentSeconds,
      rule.holdsPerMinute,
      rule.priority ?? null,
      rule.queued ? 1 : 0,
    );
    this.rules = null;
  }

  /** Keeps a tombstone so a late, older push cannot revive a removed rule. */
  tombstoneRule(saleId: string, revision: number): void {
    this.sql.exec(
      `INSERT INTO sale_rules (sale_id, revision, name, starts_at_ms, ends_at_ms, price_amount, currency,
         per_customer_limit, removed) VALUES (?, ?, '', 0, 0, 0, '', 0, 1)
       ON CONFLICT (sale_id) DO UPDATE SET revision = excluded.revision, removed = 1`,
      saleId,
      revision,
    );
    this.rules = null;
  }

  /** Rules are cached in memory; a rolled-back transaction must not leave a stale cache. */
  private forgetCachedRules(): void {
    this.rules = null;
  }

  /** Appends an event; the shipper hashes it in canonical form, so plain JSON is stored here. */
  emit(type: string, now_ms: number, data: object): void {
    // Past the newest row and the shipped head alike, so a seq is never reused even after pruning emptied the table.
    this.sql.exec(
      `INSERT INTO outbox (seq, type, at_ms, data) VALUES
         (MAX(COALESCE((SELECT MAX(seq) FROM outbox), 0), (SELECT outbox_seq FROM audit_head WHERE id = 1)) + 1, ?, ?, ?)`,
      type,
      now_ms,
      JSON.stringify(data),
    );
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
