import type { SaleRule } from "../domain/types";
import { checkStockInvariants } from "./invariants";
import { LocationStock, type LocationRow } from "./locations";
import { saleRuleFromRow, type SaleRuleRow, type SkuRow } from "./rows";
import { NO_TALLY, SkuHoldTables } from "./tables-holds";
import { levelsRowOf, SKU_COLUMNS } from "./tables-side";

export type { CustomerUsage } from "./tables-side";
export { type FoldedReply, PRUNED_COUNTER_PREFIX } from "./tables-holds";

/**
 * Typed access to the object's tables (src/stock/schema.ts). Decisions
 * live in SkuLedger; this class only reads and writes rows.
 *
 * One class in three layers, a file each: ./tables-side.ts (the levels row
 * as read, usage, outbox, counters), ./tables-holds.ts (the holds and their
 * tally), this file (transactions, the checked change of the levels, the
 * sale terms).
 */
export class SkuTables extends SkuHoldTables {
  private rules: SaleRule[] | null = null;
  /** Per-location stock (spec §11); untouched while the SKU is unlocated. */
  readonly locations: LocationStock;
  /** The locations rows the last checked change left, for its levels and events without a re-read. */
  private checkedLocations: LocationRow[] | null = null;

  constructor(storage: DurableObjectStorage) {
    super(storage);
    this.locations = new LocationStock(storage.sql);
  }

  /** One synchronous transaction; a rollback also drops what the tables keep in memory (`forget`), which may hold what was rolled back. */
  tx<T>(fn: () => T): T {
    try {
      return this.storage.transactionSync(() => {
        const result = fn();
        // A hold statement whose change no UPDATE of the sku row carried would leave the tallies behind.
        if (Object.values(this.tally).some((n) => n !== 0)) throw new Error("a hold changed without its levels");
        return result;
      });
    } catch (e) {
      this.forget();
      throw e;
    }
  }

  /** Drops what the tables keep in memory of stored rows: after a rollback, or when storage changed under the object. */
  forget(): void {
    this.forgetCachedRules();
    this.forgetDeadlines();
    this.forgetLevels();
    this.forgetEventSeq();
    this.locations.forget();
    this.tally = { ...NO_TALLY };
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
    const sku = levelsRowOf(
      this.sql.exec(
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
      ),
    );
    if (!sku) throw new Error("SKU row missing inside a mutation that requires it");
    this.check(sku);
    return this.keepLevels(sku);
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
}
