import { accept, refuse, type Outcome } from "../domain/problems";
import type { Adjustment, Hold, Levels, SaleRule, SkuConfig, SkuSnapshot } from "../domain/types";
import { checkCustomerLimit, checkStockInvariants } from "./invariants";
import { featuredSale, iso, resolveOffer, skuStatus } from "./offer";
import {
  HOLD_COLUMNS,
  holdView,
  isLive,
  saleRuleFromRow,
  type HoldRow,
  type SaleRuleRow,
  type SkuRow,
} from "./rows";

/** Bounds (TIGER_STYLE: every loop and batch has one). */
export const LIMITS = {
  /** Overdue holds a mutation expires before it reads the levels. */
  sweep_holds_max: 64,
  /** Holds one alarm run expires; the alarm re-fires at once when more are due. */
  alarm_holds_max: 2_000,
  /** Idempotency rows one alarm run prunes. */
  alarm_prune_max: 2_000,
  /** How long an idempotency key's reply is kept. */
  idempotency_ttl_ms: 24 * 60 * 60 * 1000,
} as const;

export interface LedgerDefaults {
  hold_seconds: number;
  payment_seconds: number;
}

/** A request's idempotency key, scoped by the caller, and the hash of what it asked. */
export interface IdempotencyKey {
  key: string;
  requestHash: string;
}

export type Replayable<T> = Outcome<T> & { replayed?: boolean };

export interface AdjustmentResult {
  sku: string;
  levels: Levels;
  adjustment: Adjustment;
}

type Actor = { customerId: string } | "merchant";

/**
 * The stock of one SKU: every mutation is one synchronous SQLite transaction
 * that sweeps overdue holds, decides, writes, checks every invariant and appends
 * its event to the outbox. Time is an argument so tests can drive it.
 */
export class SkuLedger {
  private readonly sql: SqlStorage;
  private rules: SaleRule[] | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly defaults: LedgerDefaults,
  ) {
    this.sql = storage.sql;
  }

  // ---- merchant configuration ------------------------------------------------

  configure(sku: string, config: SkuConfig, now_ms: number): { created: boolean; snapshot: SkuSnapshot } {
    return this.tx(() => {
      const created = this.readSku() === null;
      this.sql.exec(
        `INSERT INTO sku (id, sku, name, price_amount, currency, always_on, created_at_ms, updated_at_ms)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, price_amount = excluded.price_amount,
           currency = excluded.currency, always_on = excluded.always_on, updated_at_ms = excluded.updated_at_ms`,
        sku, config.name, config.price.amount, config.price.currency, config.alwaysOn ? 1 : 0, now_ms, now_ms,
      );
      this.emit(created ? "sku.created" : "sku.updated", now_ms, { sku, ...config });
      return { created, snapshot: this.snapshotOf(this.requireSku(), now_ms) };
    });
  }

  /** Applies one sale's terms for this SKU, unless a newer revision is already here. */
  applySaleRule(rule: SaleRule, now_ms: number): { applied: boolean } {
    return this.tx(() => {
      if (!this.isNewerRevision(rule.saleId, rule.revision)) return { applied: false };
      this.sql.exec(
        `INSERT OR REPLACE INTO sale_rules (sale_id, revision, name, starts_at_ms, ends_at_ms, price_amount,
           currency, per_customer_limit, max_per_order, hold_seconds, payment_seconds, removed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        rule.saleId, rule.revision, rule.name, rule.startsAtMs, rule.endsAtMs, rule.price.amount,
        rule.price.currency, rule.perCustomerLimit, rule.maxPerOrder, rule.holdSeconds, rule.paymentSeconds,
      );
      this.emit("sale_rule.applied", now_ms, { ...rule });
      this.rules = null;
      return { applied: true };
    });
  }

  /** The sale no longer includes this SKU. Kept as a tombstone so a late, older push cannot revive it. */
  removeSaleRule(saleId: string, revision: number, now_ms: number): { applied: boolean } {
    return this.tx(() => {
      if (!this.isNewerRevision(saleId, revision)) return { applied: false };
      this.sql.exec(
        `INSERT INTO sale_rules (sale_id, revision, name, starts_at_ms, ends_at_ms, price_amount, currency,
           per_customer_limit, removed) VALUES (?, ?, '', 0, 0, 0, '', 0, 1)
         ON CONFLICT (sale_id) DO UPDATE SET revision = excluded.revision, removed = 1`,
        saleId, revision,
      );
      this.emit("sale_rule.removed", now_ms, { saleId, revision });
      this.rules = null;
      return { applied: true };
    });
  }

  adjust(input: Adjustment, idem: IdempotencyKey | null, now_ms: number): Replayable<AdjustmentResult> {
    return this.idempotentTx(idem, now_ms, () => {
      this.sweepOverdue(now_ms, LIMITS.sweep_holds_max);
      const sku = this.readSku();
      if (!sku) return refuse("not_found", "No such SKU.");
      const available = sku.on_hand - sku.reserved;
      if (available + input.delta < 0) {
        return refuse("insufficient_stock", `Only ${available} units are available to remove.`, { available });
      }
      this.sql.exec(
        "UPDATE sku SET on_hand = on_hand + ?, received = received + ?, updated_at_ms = ?",
        input.delta, input.delta, now_ms,
      );
      const after = this.checkedStock();
      const levels = levelsOf(after);
      this.emit("stock.adjusted", now_ms, { ...input, levels });
      return accept({ sku: after.sku, levels, adjustment: input });
    });
  }

  // ---- holds -------------------------------------------------------------------

  reserve(
    input: { customerId: string; quantity: number },
    idem: IdempotencyKey | null,
    now_ms: number,
  ): Replayable<Hold> {
    return this.idempotentTx(idem, now_ms, () => {
      this.sweepOverdue(now_ms, LIMITS.sweep_holds_max);
      const sku = this.readSku();
      if (!sku) return refuse("not_found", "No such SKU.");
      const decision = resolveOffer(this.saleRules(), priceOf(sku), sku.always_on === 1, now_ms);
      if (!decision.ok) return decision;

      const available = sku.on_hand - sku.reserved;
      if (available <= 0) return refuse("sold_out", "Every unit is sold or held.", { available: 0 });

      const { quantity, customerId } = input;
      const rule = decision.offer.kind === "sale" ? decision.offer.rule : null;
      const scope = rule ? rule.saleId : "";
      if (rule) {
        const used = this.usage(scope, customerId);
        const remaining = Math.max(0, rule.perCustomerLimit - used.held - used.bought);
        if (rule.maxPerOrder !== null && quantity > rule.maxPerOrder) {
          return refuse("limit_exceeded", `At most ${rule.maxPerOrder} per order.`, {
            remaining: Math.min(remaining, rule.maxPerOrder),
            maxPerOrder: rule.maxPerOrder,
          });
        }
        if (quantity > remaining) {
          return refuse("limit_exceeded", `This sale allows ${rule.perCustomerLimit} per customer.`, {
            remaining,
            perCustomerLimit: rule.perCustomerLimit,
          });
        }
      }
      if (quantity > available) {
        return refuse("insufficient_stock", `Only ${available} units are available.`, { available });
      }

      const price = rule ? rule.price : priceOf(sku);
      const hold_seconds = rule?.holdSeconds ?? this.defaults.hold_seconds;
      const row: HoldRow = {
        hold_id: newHoldId(),
        customer_id: customerId,
        quantity,
        status: "held",
        scope,
        unit_amount: price.amount,
        currency: price.currency,
        created_at_ms: now_ms,
        expires_at_ms: now_ms + hold_seconds * 1000,
        order_id: null,
      };
      this.sql.exec(
        `INSERT INTO holds (${HOLD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        row.hold_id, row.customer_id, row.quantity, row.status, row.scope, row.unit_amount, row.currency,
        row.created_at_ms, row.expires_at_ms, row.order_id,
      );
      this.sql.exec("UPDATE sku SET reserved = reserved + ?, updated_at_ms = ?", quantity, now_ms);
      const after = this.checkedStock();
      if (rule) {
        const used = this.usage(scope, customerId);
        checkCustomerLimit(customerId, used.held, used.bought, rule.perCustomerLimit);
      }
      const hold = holdView(sku.sku, row);
      this.emit("hold.created", now_ms, { hold, levels: levelsOf(after) });
      this.bump("holds_created");
      return accept(hold);
    });
  }

  /** The hold as of `now_ms`; a live hold past its deadline is expired first. */
  getHold(holdId: string, actor: Actor, now_ms: number): Outcome<Hold> {
    return this.tx(() => {
      const found = this.ownedHold(holdId, actor);
      if (!found.ok) return found;
      return accept(this.view(this.expireIfOverdue(found.value, now_ms)));
    });
  }

  /** Voids a held hold. Releasing an ended hold is a no-op that returns it as it is. */
  release(holdId: string, actor: Actor, now_ms: number): Outcome<Hold> {
    return this.tx(() => {
      const found = this.ownedHold(holdId, actor);
      if (!found.ok) return found;
      const row = this.expireIfOverdue(found.value, now_ms);
      if (row.status === "held") return accept(this.view(this.endHold(row, "released", now_ms)));
      if (row.status === "released" || row.status === "expired") return accept(this.view(row));
      return refuse(
        "hold_not_releasable",
        row.status === "checkout"
          ? "The hold belongs to a checkout in progress; cancel the order instead."
          : "The hold is committed to a paid order.",
        { status: row.status },
      );
    });
  }

  /** Seam for checkout: held -> checkout, deadline extended to cover the payment window. */
  beginCheckout(holdId: string, orderId: string, now_ms: number): Outcome<Hold> {
    return this.tx(() => {
      const found = this.ownedHold(holdId, "merchant");
      if (!found.ok) return found;
      const row = this.expireIfOverdue(found.value, now_ms);
      if (row.status === "checkout" && row.order_id === orderId) return accept(this.view(row));
      if (row.status === "expired" || row.status === "released") {
        return refuse("hold_expired", "The hold has ended; take a new one.", { status: row.status });
      }
      if (row.status !== "held") return refuse("hold_not_releasable", "The hold is already in another order.");
      const rule = row.scope === "" ? undefined : this.saleRules().find((r) => r.saleId === row.scope);
      const payment_seconds = rule?.paymentSeconds ?? this.defaults.payment_seconds;
      const expires_at_ms = Math.max(row.expires_at_ms, now_ms + payment_seconds * 1000);
      this.sql.exec(
        "UPDATE holds SET status = 'checkout', order_id = ?, expires_at_ms = ? WHERE hold_id = ?",
        orderId, expires_at_ms, holdId,
      );
      const next: HoldRow = { ...row, status: "checkout", order_id: orderId, expires_at_ms };
      this.checkedStock();
      this.emit("hold.checkout", now_ms, { hold: this.view(next) });
      return accept(this.view(next));
    });
  }

  /** Posts a live hold: reserved -> sold. Committing twice returns the same hold. */
  commit(holdId: string, now_ms: number): Outcome<Hold> {
    return this.tx(() => {
      const found = this.ownedHold(holdId, "merchant");
      if (!found.ok) return found;
      const row = this.expireIfOverdue(found.value, now_ms);
      if (row.status === "committed") return accept(this.view(row));
      if (!isLive(row.status)) return refuse("hold_expired", "The hold ended before it was committed.", { status: row.status });
      return accept(this.view(this.endHold(row, "committed", now_ms)));
    });
  }

  // ---- time-driven work -------------------------------------------------------

  /** Expires up to `max_holds` overdue holds, in bounded transactions. Returns how many. */
  expireDue(now_ms: number, max_holds: number): number {
    let expired = 0;
    while (expired < max_holds) {
      const batch = this.tx(() => this.sweepOverdue(now_ms, Math.min(LIMITS.sweep_holds_max, max_holds - expired)));
      expired += batch;
      if (batch === 0) break;
    }
    return expired;
  }

  pruneIdempotency(now_ms: number, max_rows: number): number {
    const cutoff = now_ms - LIMITS.idempotency_ttl_ms;
    return this.tx(
      () =>
        this.sql.exec(
          `DELETE FROM idempotency WHERE key IN
             (SELECT key FROM idempotency WHERE created_at_ms <= ? ORDER BY created_at_ms LIMIT ?)`,
          cutoff, max_rows,
        ).rowsWritten,
    );
  }

  /** The earliest instant at which the alarm has work: a hold deadline or a key to prune. */
  nextDeadlineMs(): number | null {
    const hold = this.sql
      .exec<{ at: number | null }>("SELECT MIN(expires_at_ms) AS at FROM holds WHERE status IN ('held', 'checkout')")
      .one().at;
    const key = this.sql.exec<{ at: number | null }>("SELECT MIN(created_at_ms) AS at FROM idempotency").one().at;
    const prune = key === null ? null : key + LIMITS.idempotency_ttl_ms;
    if (hold === null) return prune;
    return prune === null ? hold : Math.min(hold, prune);
  }

  // ---- reads -------------------------------------------------------------------

  snapshot(now_ms: number): SkuSnapshot | null {
    return this.tx(() => {
      this.sweepOverdue(now_ms, LIMITS.sweep_holds_max);
      const sku = this.readSku();
      return sku ? this.snapshotOf(sku, now_ms) : null;
    });
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { name, value } of this.sql.exec<{ name: string; value: number }>("SELECT name, value FROM counters")) {
      out[name] = value;
    }
    return out;
  }

  /** Counts a violation in its own write, after the offending transaction rolled back. */
  recordViolation(): void {
    this.tx(() => this.bump("invariant_violations"));
  }

  /**
   * Full audit, O(holds): recomputes invariants 1-4 from the hold rows alone,
   * not from the trigger tallies. For tests and operators, never the hot path.
   */
  audit(): { ok: boolean; problems: string[] } {
    const problems: string[] = [];
    const sku = this.readSku();
    if (!sku) return { ok: true, problems };
    const live = this.sql
      .exec<{ units: number | null }>("SELECT SUM(quantity) AS units FROM holds WHERE status IN ('held', 'checkout')")
      .one().units ?? 0;
    const committed = this.sql
      .exec<{ units: number | null }>("SELECT SUM(quantity) AS units FROM holds WHERE status = 'committed'")
      .one().units ?? 0;
    try {
      checkStockInvariants(sku, live);
    } catch (e) {
      problems.push(String(e));
    }
    if (committed !== sku.sold) problems.push(`sold ${sku.sold} != committed holds ${committed}`);
    const overLimit = this.sql
      .exec<{ customer_id: string; used: number; per_customer_limit: number }>(
        `SELECT h.customer_id, SUM(h.quantity) AS used, r.per_customer_limit FROM holds h
           JOIN sale_rules r ON r.sale_id = h.scope
         WHERE h.status IN ('held', 'checkout', 'committed')
         GROUP BY h.scope, h.customer_id HAVING used > r.per_customer_limit`,
      )
      .toArray();
    for (const o of overLimit) problems.push(`customer ${o.customer_id} has ${o.used} > limit ${o.per_customer_limit}`);
    return { ok: problems.length === 0, problems };
  }

  // ---- internals ---------------------------------------------------------------

  private tx<T>(fn: () => T): T {
    return this.storage.transactionSync(fn);
  }

  /**
   * Runs `fn` once per idempotency key: a replay with the same request returns
   * the stored outcome, the same key with another request is refused. The check,
   * the mutation and the stored reply commit together or not at all.
   */
  private idempotentTx<T>(idem: IdempotencyKey | null, now_ms: number, fn: () => Outcome<T>): Replayable<T> {
    return this.tx(() => {
      if (idem === null) return fn();
      const prior = this.sql
        .exec<{ request_hash: string; outcome: string; created_at_ms: number }>(
          "SELECT request_hash, outcome, created_at_ms FROM idempotency WHERE key = ?",
          idem.key,
        )
        .toArray()[0];
      if (prior && prior.created_at_ms + LIMITS.idempotency_ttl_ms > now_ms) {
        if (prior.request_hash !== idem.requestHash) {
          return refuse("idempotency_key_reused", "This Idempotency-Key was used with a different request.");
        }
        return { ...(JSON.parse(prior.outcome) as Outcome<T>), replayed: true };
      }
      const outcome = fn();
      this.sql.exec(
        "INSERT OR REPLACE INTO idempotency (key, request_hash, outcome, created_at_ms) VALUES (?, ?, ?, ?)",
        idem.key, idem.requestHash, JSON.stringify(outcome), now_ms,
      );
      return outcome;
    });
  }

  private sweepOverdue(now_ms: number, max_holds: number): number {
    const due = this.sql
      .exec<HoldRow>(
        `SELECT ${HOLD_COLUMNS} FROM holds WHERE status IN ('held', 'checkout') AND expires_at_ms <= ?
         ORDER BY expires_at_ms LIMIT ?`,
        now_ms, max_holds,
      )
      .toArray();
    for (const row of due) this.endHold(row, "expired", now_ms);
    return due.length;
  }

  private expireIfOverdue(row: HoldRow, now_ms: number): HoldRow {
    return isLive(row.status) && row.expires_at_ms <= now_ms ? this.endHold(row, "expired", now_ms) : row;
  }

  /** Moves a live hold to its final status; the only place reserved units leave a hold. */
  private endHold(row: HoldRow, status: "released" | "expired" | "committed", now_ms: number): HoldRow {
    const q = row.quantity;
    this.sql.exec("UPDATE holds SET status = ?, ended_at_ms = ? WHERE hold_id = ?", status, now_ms, row.hold_id);
    if (status === "committed") {
      this.sql.exec(
        "UPDATE sku SET reserved = reserved - ?, on_hand = on_hand - ?, sold = sold + ?, updated_at_ms = ?",
        q, q, q, now_ms,
      );
    } else {
      this.sql.exec("UPDATE sku SET reserved = reserved - ?, updated_at_ms = ?", q, now_ms);
    }
    const after = this.checkedStock();
    const ended: HoldRow = { ...row, status };
    this.emit(`hold.${status}`, now_ms, { hold: holdView(after.sku, ended), levels: levelsOf(after) });
    this.bump(`holds_${status}`);
    return ended;
  }

  private ownedHold(holdId: string, actor: Actor): Outcome<HoldRow> {
    const row = this.sql.exec<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE hold_id = ?`, holdId).toArray()[0];
    // Another shopper's hold is reported missing, not forbidden, so ids cannot be probed.
    if (!row || (actor !== "merchant" && row.customer_id !== actor.customerId)) {
      return refuse("not_found", "No such hold.");
    }
    return accept(row);
  }

  /** Reads the levels after a change and checks invariants 1-3 against the trigger tallies. */
  private checkedStock(): SkuRow {
    const sku = this.requireSku();
    const { units } = this.sql.exec<{ units: number }>("SELECT units FROM live_tally").one();
    checkStockInvariants(sku, units);
    return sku;
  }

  private readSku(): SkuRow | null {
    return (
      this.sql
        .exec<SkuRow>(
          `SELECT sku, name, price_amount, currency, always_on, on_hand, reserved, sold, received, updated_at_ms
           FROM sku WHERE id = 1`,
        )
        .toArray()[0] ?? null
    );
  }

  private requireSku(): SkuRow {
    const sku = this.readSku();
    if (!sku) throw new Error("SKU row missing inside a mutation that requires it");
    return sku;
  }

  private saleRules(): SaleRule[] {
    this.rules ??= this.sql
      .exec<SaleRuleRow>("SELECT * FROM sale_rules WHERE removed = 0")
      .toArray()
      .map(saleRuleFromRow);
    return this.rules;
  }

  private isNewerRevision(saleId: string, revision: number): boolean {
    const row = this.sql
      .exec<{ revision: number }>("SELECT revision FROM sale_rules WHERE sale_id = ?", saleId)
      .toArray()[0];
    return !row || revision > row.revision;
  }

  private usage(scope: string, customerId: string): { held: number; bought: number } {
    return (
      this.sql
        .exec<{ held: number; bought: number }>(
          "SELECT held, bought FROM customer_usage WHERE scope = ? AND customer_id = ?",
          scope, customerId,
        )
        .toArray()[0] ?? { held: 0, bought: 0 }
    );
  }

  private snapshotOf(sku: SkuRow, now_ms: number): SkuSnapshot {
    const rules = this.saleRules();
    const levels = levelsOf(sku);
    const decision = resolveOffer(rules, priceOf(sku), sku.always_on === 1, now_ms);
    const { holds } = this.sql.exec<{ holds: number }>("SELECT holds FROM live_tally").one();
    return {
      sku: sku.sku,
      name: sku.name,
      price: priceOf(sku),
      alwaysOn: sku.always_on === 1,
      status: skuStatus(decision, levels.available),
      sale: featuredSale(rules, now_ms),
      levels,
      liveHolds: holds,
      updatedAt: iso(sku.updated_at_ms),
    };
  }

  private view(row: HoldRow): Hold {
    return holdView(this.requireSku().sku, row);
  }

  private emit(type: string, now_ms: number, data: object): void {
    this.sql.exec("INSERT INTO outbox (type, at_ms, data) VALUES (?, ?, ?)", type, now_ms, JSON.stringify(data));
  }

  private bump(counter: string): void {
    this.sql.exec(
      "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1",
      counter,
    );
  }
}

function levelsOf(row: SkuRow): Levels {
  return {
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    sold: row.sold,
    received: row.received,
  };
}

function priceOf(row: SkuRow): { amount: number; currency: string } {
  return { amount: row.price_amount, currency: row.currency };
}

function newHoldId(): string {
  return `hold_${crypto.randomUUID().replaceAll("-", "")}`;
}
