import { accept, refuse, type Outcome } from "../domain/problems";
import type { Adjustment, Hold, MerchantWrite, SkuSnapshot } from "../domain/types";
import type { Allocation, LocationProfile } from "../domain/locations";
import { ALL_KEYS, GrowingKeyFilter, type AcceptedKeys } from "../idempotency/accepted-keys";
import { IDEMPOTENCY_TTL_MS, type IdempotencyKey, type Replayable } from "../idempotency/rule";
import { SqlReplies } from "../idempotency/sql-replies";
import { auditLedger } from "./ledger-audit";
import { SHIPPING } from "./outbox";
import { allocationsOf, holdView, isLive, type HoldRow } from "./rows";
import { applyProfile, levelsAfter, placeOf, removableAt, staleVersion, stockLocation, type EventLevels } from "./stocking";
import type { LocationDelta } from "./locations";
import { earliestPendingTransferMs, REDELIVER_AFTER_MS } from "./shards/transfers";
import { snapshotOf } from "./catalog";
import { SkuTables } from "./tables";
import { takeHold, type HoldInput, type Shortage } from "./take-hold";
import { changeQuantity, type ChangeContext, type HoldChange } from "./change-hold";
import { REFUSAL_COUNTER_PREFIX } from "./stats";
import { LocationTransfers } from "./location-transfers";

export type { IdempotencyKey, Replayable } from "../idempotency/rule";

const NO_MOVED: readonly string[] = [];

/** Bounds (TIGER_STYLE: every loop and batch has one). */
export const LIMITS = {
  /** Overdue holds a mutation expires before it reads the levels. */
  sweep_holds_max: 64,
  /** Holds one alarm run expires; the alarm re-fires at once when more are due. */
  alarm_holds_max: 2_000,
  /** Idempotency rows, and ended holds, one alarm run prunes. */
  alarm_prune_max: 2_000,
  /** Accepted keys one edge filter covers (about 10 bits each); an object with more sends ALL_KEYS, so every keyed retry reaches it. */
  filter_keys_max: 50_000,
} as const;

export interface LedgerDefaults {
  hold_seconds: number;
  payment_seconds: number;
  /** How long an ended hold that can move no further is kept (spec §3: bounded storage). */
  retention_ms: number;
}

export type Actor = { customerId: string } | "merchant";

export interface AdjustmentResult {
  sku: string;
  levels: EventLevels;
  adjustment: Adjustment;
  /** The SKU's version after the adjustment (spec §11), sent as `ETag`. */
  version: number;
}

/**
 * The stock of one SKU. Every mutation is one synchronous SQLite transaction
 * that sweeps overdue holds, decides, writes, checks the invariants and appends
 * its event to the outbox; a hold is a pending transfer, posted (committed) or
 * voided (released, expired) exactly once. Time is an argument so tests drive it.
 */
/** How long an object with too many accepted keys for a filter sends the match-all filter before counting again. */
const ALL_KEYS_RECHECK_MS = 60_000;

export class SkuLedger {
  readonly tables: SkuTables;
  readonly replies: SqlReplies;
  /** Units moved between the SKU's locations (spec §11), each step a transaction of this ledger. */
  readonly locationTransfers: LocationTransfers;
  /**
   * The edge's filter of accepted keys: built from the stored keys once, then
   * each newly accepted key joins it in place (`noteAccepted`). A key whose
   * transaction then rolled back stays in it: a false positive, one object call.
   */
  private acceptedFilter: { moved: readonly string[]; filter: GrowingKeyFilter | "all"; built_ms: number } | null = null;

  private readonly defaults: LedgerDefaults;

  constructor(storage: DurableObjectStorage, defaults: LedgerDefaults) {
    // A keyed hold's row carries its reply, so it stays at least as long as the reply must.
    this.defaults = { ...defaults, retention_ms: Math.max(defaults.retention_ms, IDEMPOTENCY_TTL_MS) };
    this.tables = new SkuTables(storage);
    this.replies = new SqlReplies(storage.sql);
    this.locationTransfers = new LocationTransfers(this.tables, (idem, now_ms, fn) => this.idempotentTx(idem, now_ms, fn));
  }

  adjust(input: Adjustment, idem: IdempotencyKey | null, now_ms: number, write: MerchantWrite = {}): Replayable<AdjustmentResult> {
    return this.idempotentTx(idem, now_ms, () => {
      this.sweepOverdue(now_ms, LIMITS.sweep_holds_max);
      const sku = this.tables.sku();
      if (!sku) return refuse("not_found", "No such SKU.");
      const stale = staleVersion(sku, write.ifMatch);
      if (stale) return stale;
      // Shrinkage may take safety stock, never units a hold has; checked before a refused change could stock a location.
      const available = removableAt(this.tables, sku, input.location);
      if (available + input.delta < 0) {
        return refuse("insufficient_stock", `Only ${available} units are available to remove.`, { available });
      }
      const placed = placeOf(this.tables, sku, input.location, write.profile);
      if (!placed.ok) return placed;
      const location = placed.value;
      if (location !== null) this.tables.locations.move(location, { on_hand: input.delta, received: input.delta });
      const after = this.tables.changeLevels(
        "on_hand = on_hand + ?, received = received + ?, version = version + 1, updated_at_ms = ?",
        input.delta,
        input.delta,
        now_ms,
      );
      const levels = levelsAfter(this.tables, after, location === null ? [] : [location]);
      const { actor, ...adjustment } = input;
      this.tables.emit("stock.adjusted", now_ms, { ...adjustment, levels, ...(actor && { actor }) });
      return accept({ sku: after.sku, levels, adjustment, version: after.version });
    });
  }

  /** `PUT /v1/skus/{sku}/locations/{id}`: stocks the location if new, sets its safety stock (stock/stocking). */
  stockLocation(
    locationId: string,
    safetyStock: number | undefined,
    write: MerchantWrite,
    now_ms: number,
  ): Outcome<{ levels: EventLevels; version: number }> {
    return this.tx(() => {
      this.sweepOverdue(now_ms, LIMITS.sweep_holds_max);
      const stale = staleVersion(this.tables.sku(), write.ifMatch);
      if (stale) return stale;
      const done = stockLocation(this.tables, locationId, safetyStock, write.profile, now_ms);
      return done.ok ? accept({ ...done.value, version: this.tables.requireSku().version }) : done;
    });
  }

  setLocationProfile(profile: LocationProfile, now_ms: number): { applied: boolean } {
    return this.tx(() => applyProfile(this.tables, profile, now_ms));
  }

  /** Takes a hold after sweeping overdue ones, under the key (see takeHold for the decision and `shortage`). */
  reserve(
    input: HoldInput,
    idem: IdempotencyKey | null,
    now_ms: number,
    shortage: Shortage = "final",
    /** Units the customer holds or bought in the SKU's other objects, by sale (see Escrow.priorUsage). */
    prior: Readonly<Record<string, number>> = {},
  ): Replayable<Hold> {
    return this.tx(() => {
      const replay = idem && this.replies.recall<Hold>(idem, now_ms);
      if (replay) return replay;
      this.sweepOverdue(now_ms, LIMITS.sweep_holds_max);
      const { outcome, replyKept } = takeHold(this.tables, input, now_ms, this.defaults.hold_seconds, shortage, prior, idem);
      if (idem && !replyKept) this.replies.remember(idem, outcome, now_ms);
      if (idem && outcome.ok) this.noteAccepted(idem.key);
      return outcome;
    });
  }

  /** The hold as of `now_ms`; a live hold past its deadline is expired first. */
  getHold(holdId: string, actor: Actor, now_ms: number): Outcome<Hold> {
    return this.onHold(holdId, actor, now_ms, (row) => accept(row));
  }

  /**
   * Voids a held hold. Releasing an ended hold is a no-op that returns it as it is.
   * `why` (a merchant's void: who and the reason) goes into the audit event.
   */
  release(holdId: string, actor: Actor, now_ms: number, why?: Record<string, unknown>): Outcome<Hold> {
    return this.onHold(holdId, actor, now_ms, (row) => this.releaseRow(row, now_ms, why));
  }

  /**
   * The owner sets a held hold's quantity in place (spec §3), under the key:
   * 0 releases it, anything else is stock/change-hold's decision.
   */
  changeHold(holdId: string, change: HoldChange, idem: IdempotencyKey | null, now_ms: number, ctx: ChangeContext): Replayable<Hold> {
    return this.idempotentTx(idem, now_ms, () => {
      this.sweepOverdue(now_ms, LIMITS.sweep_holds_max);
      return this.holdStep(holdId, { customerId: change.customerId }, now_ms, (row) =>
        change.quantity === 0 ? this.releaseRow(row, now_ms) : changeQuantity(this.tables, row, change, now_ms, ctx),
      );
    });
  }

  private releaseRow(row: HoldRow, now_ms: number, why?: Record<string, unknown>): Outcome<HoldRow> {
    if (row.status === "held") return accept(this.endHold(row, "released", now_ms, why));
    if (row.status === "released" || row.status === "expired") return accept(row);
    return refuse(
      "hold_not_releasable",
      row.status === "checkout"
        ? "The hold belongs to a checkout in progress; cancel the order instead."
        : "The hold is committed to a paid order.",
      { holdStatus: row.status },
    );
  }

  /** Seam for checkout: held -> checkout, its deadline extended to cover the payment window. */
  beginCheckout(holdId: string, orderId: string, now_ms: number, actor: Actor = "merchant"): Outcome<Hold> {
    return this.onHold(holdId, actor, now_ms, (row) => {
      if (row.status === "checkout" && row.order_id === orderId) return accept(row);
      if (!isLive(row.status)) return refuse("hold_expired", "The hold has ended; take a new one.", { holdStatus: row.status });
      if (row.status !== "held") return refuse("hold_not_releasable", "The hold is already in another order.");
      const rule = this.tables.saleRules().find((r) => r.saleId === row.scope);
      const expires_at_ms = Math.max(row.expires_at_ms, now_ms + (rule?.paymentSeconds ?? this.defaults.payment_seconds) * 1000);
      this.tables.moveDeadline(holdId, expires_at_ms, orderId);
      const next: HoldRow = { ...row, status: "checkout", order_id: orderId, expires_at_ms };
      const after = this.tables.checkedSku();
      this.tables.emit("hold.checkout", now_ms, { hold: holdView(after.sku, next) });
      return accept(next);
    });
  }

  /** Posts a hold in checkout for this order: reserved -> sold. Committing twice returns the same hold. */
  commit(holdId: string, orderId: string, now_ms: number): Outcome<Hold> {
    return this.onHold(holdId, "merchant", now_ms, (row) => {
      if (row.order_id !== orderId) return refuse("not_found", "No such hold in this order.");
      if (row.status === "committed" || row.status === "returned") return accept(row);
      if (row.status === "checkout") return accept(this.endHold(row, "committed", now_ms));
      return refuse("hold_expired", "The hold ended before it was committed.", { holdStatus: row.status });
    });
  }

  /**
   * The restock of a refund (spec §3): committed -> returned, so the
   * units go back on hand, leave `sold` and free the customer's allowance,
   * once forever. Returning again returns the same hold.
   */
  returnHold(holdId: string, orderId: string, now_ms: number): Outcome<Hold> {
    return this.onHold(holdId, "merchant", now_ms, (row) => {
      if (row.order_id !== orderId) return refuse("not_found", "No such hold in this order.");
      if (row.status === "returned") return accept(row);
      if (row.status !== "committed") {
        return refuse("hold_not_releasable", "Only a committed hold can be returned.", { holdStatus: row.status });
      }
      this.tables.returnHold(holdId, now_ms);
      const q = row.quantity;
      const allocations = this.allocationsOf(row);
      this.tables.locations.moveAll(allocations, (n) => ({ on_hand: n, sold: -n }));
      const after = this.tables.changeLevels(
        "on_hand = on_hand + ?, sold = sold - ?, returned = returned + ?, updated_at_ms = ?",
        q,
        q,
        q,
        now_ms,
      );
      const returned: HoldRow = { ...row, status: "returned" };
      this.tables.emit("hold.returned", now_ms, { hold: holdView(after.sku, returned), levels: this.levels(after, allocations) });
      return accept(returned);
    });
  }

  /** Voids a hold its order gave up on (payment failed, order cancelled). Voiding twice returns the same hold. */
  voidCheckout(holdId: string, orderId: string, now_ms: number): Outcome<Hold> {
    return this.onHold(holdId, "merchant", now_ms, (row) => {
      if (row.order_id !== orderId) return refuse("not_found", "No such hold in this order.");
      if (row.status === "checkout") return accept(this.endHold(row, "released", now_ms));
      if (row.status === "released" || row.status === "expired") return accept(row);
      return refuse("hold_not_releasable", "The hold is committed to a paid order.", { holdStatus: row.status });
    });
  }

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

  /**
   * Deletes expired replies and ended holds past the retention, at most
   * `max_rows` of each. A hold leaves only once every event up to its end has
   * shipped to D1, so the audit log keeps what the object forgets. Committed
   * holds stay: a refund may still return them.
   */
  prune(now_ms: number, max_rows: number): { replies: number; holds: number } {
    return this.tx(() => {
      const replies = this.replies.prune(now_ms, max_rows);
      const unshipped = this.tables.earliestUnshippedAtMs();
      const cutoff_ms = Math.min(now_ms - this.defaults.retention_ms, unshipped === null ? Infinity : unshipped - 1);
      return { replies, holds: this.tables.pruneFinalHolds(cutoff_ms, max_rows) };
    });
  }

  /**
   * The edge's filter of keys this object accepted (see AcceptedKeys), and of
   * `moved`: keys its customers' holds were accepted under in the objects that
   * served them before a change of the shard count (Escrow.keysMovedHere).
   */
  acceptedKeys(now_ms: number, moved: readonly string[] = NO_MOVED): AcceptedKeys {
    const built = this.acceptedFilter;
    // Too many keys for a filter: asked again now and then, as the oldest keys' replies expire.
    if (built?.moved !== moved || (built.filter === "all" && now_ms - built.built_ms > ALL_KEYS_RECHECK_MS)) this.acceptedFilter = null;
    if (!this.acceptedFilter) {
      // One more than the filter holds tells whether it would cover them all.
      const kept = this.replies.acceptedKeys(now_ms, LIMITS.filter_keys_max + 1);
      const keys = [...kept, ...moved];
      // Room to grow: rebuilt (a read of every key) about once per doubling, not once per accepted key.
      const filter =
        keys.length <= LIMITS.filter_keys_max ? GrowingKeyFilter.of(keys, Math.min(2 * keys.length, LIMITS.filter_keys_max)) : "all";
      this.acceptedFilter = { moved, filter, built_ms: now_ms };
    }
    const { filter } = this.acceptedFilter;
    return filter === "all" ? ALL_KEYS : filter.encoded();
  }

  /** A key accepted just now joins the filter; a full one is rebuilt at the next verdict. */
  private noteAccepted(key: string): void {
    const filter = this.acceptedFilter?.filter;
    if (filter === undefined || filter === "all") return;
    if (!filter.add(key)) this.acceptedFilter = null;
  }

  /**
   * The earliest instant at which the alarm has work: a hold deadline, a reply
   * to prune, or events to ship (a full batch at once, else `ship_delay_ms`
   * after the oldest unshipped one; not before `shipNotBeforeMs` while the
   * shipper backs off). Every term is an
   * indexed MIN, so the reserve path pays the same however much is pending.
   * Shipped outbox rows are pruned by alarm runs that happen anyway: an idle
   * object is not woken just to delete them.
   */
  nextDeadlineMs(shipNotBeforeMs = 0, ship_delay_ms: number = SHIPPING.delay_ms): number | null {
    const unshipped = this.tables.earliestUnshippedAtMs();
    // A full batch ships at once; a partial one waits the delay for more events to join it.
    const full = unshipped !== null && this.tables.unshippedCount() >= SHIPPING.batch_events;
    const ship = unshipped === null ? null : Math.max(full ? unshipped : unshipped + ship_delay_ms, shipNotBeforeMs);
    const finalSince = this.tables.earliestFinalHoldEndMs();
    const retire = finalSince === null ? null : finalSince + this.defaults.retention_ms;
    const sent = earliestPendingTransferMs(this.tables);
    const redeliver = sent === null ? null : sent + REDELIVER_AFTER_MS;
    const deadlines = [this.tables.earliestHoldDeadlineMs(), this.replies.nextPruneMs(), ship, retire, redeliver].filter((t) => t !== null);
    return deadlines.length === 0 ? null : Math.min(...deadlines);
  }

  snapshot(now_ms: number): SkuSnapshot | null {
    return this.tx(() => {
      this.sweepOverdue(now_ms, LIMITS.sweep_holds_max);
      const sku = this.tables.sku();
      return sku ? snapshotOf(this.tables, sku, now_ms) : null;
    });
  }

  counters(): Record<string, number> {
    return this.tables.counters();
  }

  /** Counts a refusal by code; a write of its own, since a refusal changes nothing else. */
  countRefusal(code: string): void {
    this.tx(() => this.tables.bump(`${REFUSAL_COUNTER_PREFIX}${code}`));
  }

  /** Counts a violation in its own write, after the offending transaction rolled back. */
  recordViolation(): void {
    this.tx(() => this.tables.bump("invariant_violations"));
  }

  audit(): { ok: boolean; problems: string[] } {
    return auditLedger(this.tables);
  }

  private tx<T>(fn: () => T): T {
    return this.tables.tx(fn);
  }

  /**
   * Runs `fn` once per idempotency key: a replay of the same request returns
   * the stored outcome, the same key with another request is refused. The
   * check, the mutation and the stored reply commit together or not at all.
   * Location transfers (./location-transfers.ts) run their steps through it.
   */
  private idempotentTx<T>(idem: IdempotencyKey | null, now_ms: number, fn: () => Outcome<T>): Replayable<T> {
    return this.tx(() => {
      if (idem === null) return fn();
      const prior = this.replies.recall<T>(idem, now_ms);
      if (prior) return prior;
      const outcome = fn();
      this.replies.remember(idem, outcome, now_ms);
      if (outcome.ok) this.noteAccepted(idem.key);
      return outcome;
    });
  }

  /** Finds the caller's hold, settles an overdue deadline, then applies `fn`, in one transaction. */
  private onHold(holdId: string, actor: Actor, now_ms: number, fn: (row: HoldRow) => Outcome<HoldRow>): Outcome<Hold> {
    return this.tx(() => this.holdStep(holdId, actor, now_ms, fn));
  }

  /** onHold's step, inside a transaction the caller runs. */
  private holdStep(holdId: string, actor: Actor, now_ms: number, fn: (row: HoldRow) => Outcome<HoldRow>): Outcome<Hold> {
    const found = this.tables.hold(holdId);
    // Another shopper's hold is reported missing, not forbidden, so ids cannot be probed.
    if (!found || (actor !== "merchant" && found.customer_id !== actor.customerId)) {
      return refuse("not_found", "No such hold.");
    }
    const current = isLive(found.status) && found.expires_at_ms <= now_ms ? this.endHold(found, "expired", now_ms) : found;
    const outcome = fn(current);
    return outcome.ok ? accept(holdView(this.tables.requireSku().sku, outcome.value)) : outcome;
  }

  /** A hold's allocation; none on an unlocated SKU. */
  private allocationsOf(row: HoldRow): readonly Allocation[] {
    return allocationsOf(row) ?? [];
  }

  private levels(after: Parameters<typeof levelsAfter>[1], allocations: readonly Allocation[]): EventLevels {
    return levelsAfter(
      this.tables,
      after,
      allocations.map((a) => a.location),
    );
  }

  private sweepOverdue(now_ms: number, max_holds: number): number {
    const due = this.tables.overdueHolds(now_ms, max_holds);
    for (const row of due) this.endHold(row, "expired", now_ms);
    return due.length;
  }

  /** Moves a live hold to its final status: the only place reserved units leave a hold. */
  private endHold(row: HoldRow, status: "released" | "expired" | "committed", now_ms: number, why?: Record<string, unknown>): HoldRow {
    const q = row.quantity;
    this.tables.endHold(row.hold_id, status, now_ms);
    const sold = status === "committed" ? q : 0;
    const allocations = this.allocationsOf(row);
    this.tables.locations.moveAll(
      allocations,
      (n): LocationDelta => (sold > 0 ? { reserved: -n, on_hand: -n, sold: n } : { reserved: -n }),
    );
    const after = this.tables.changeLevels(
      "reserved = reserved - ?, on_hand = on_hand - ?, sold = sold + ?, updated_at_ms = ?",
      q,
      sold,
      sold,
      now_ms,
    );
    const ended: HoldRow = { ...row, status };
    this.tables.emit(`hold.${status}`, now_ms, { hold: holdView(after.sku, ended), levels: this.levels(after, allocations), ...why });
    return ended;
  }
}
