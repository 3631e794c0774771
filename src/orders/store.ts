import { and, desc, eq, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { anchorEvents } from "../audit/anchor";
import { GENESIS_HASH, linkEvents, orderStream, type ChainedEvent } from "../audit/chain";
import { insertEvents } from "../audit/store";
import { auditEvents, orderItems, orders, type OrderItemRow, type OrderRow } from "../db/schema";
import { canonicalJson } from "../domain/canonical-json";
import { DEFAULT_LOCATION } from "../domain/locations";
import { accept, refuse, type Outcome } from "../domain/problems";
import { type OrderMessage, type OrderOutbox, outboxInserts } from "./outbox";
import { canMove, type OrderStatus } from "./lifecycle";
import { logger, type LogEnv } from "../platform/log";

export interface StoredOrder {
  order: OrderRow;
  items: OrderItemRow[];
}

export type NewOrder = Omit<OrderRow, "version" | "updatedAtMs">;

/** What a transition changes besides the status. */
export type OrderPatch = Partial<
  Pick<
    OrderRow,
    | "paymentStatus"
    | "intentId"
    | "clientSecret"
    | "failureReason"
    | "refundId"
    | "refundReason"
    | "restocked"
    | "paymentMethod"
    | "paymentAttempt"
    | "refundStatus"
    | "refundRestock"
    | "refundIntentId"
    | "disputeStatus"
    | "refundedAmount"
  >
>;

/**
 * A transition's answer: the order as it now stands and whether this call
 * moved it; refused `not_found` when there is no such order, and
 * `invalid_order_state` (transient: nothing was written, so a retry decides
 * against the new state) when other writers kept moving it first.
 */
export type Transition = Outcome<{ order: OrderRow; moved: boolean }>;

/** A move of an order: its new status, what else changes, its audit event, and the messages it causes. */
export interface OrderMove {
  to: OrderStatus;
  patch?: OrderPatch;
  event: string;
  data?: object;
  outbox?: (next: OrderRow) => OrderMessage[];
}

const MAX_CAS_ATTEMPTS = 4;

/**
 * Orders in D1. Every change appends the order's next audit event in the same
 * batch; the event's (stream, seq) key makes the batch fail if another writer
 * appended first, so the order's stream has one writer at a time.
 */
export class OrderStore {
  readonly db: DrizzleD1Database;

  /**
   * `anchors`: where a writer anchors each event outside D1 (issue 25); null
   * for a store that only reads. Without an `outbox` to send through, the rows
   * a move writes wait for the sweep.
   */
  constructor(
    d1: D1Database,
    private readonly anchors: (Pick<Env, "AUDIT_ANCHOR"> & LogEnv) | null,
    private readonly outbox: OrderOutbox | null = null,
  ) {
    this.db = drizzle(d1);
  }

  /**
   * After D1 stored the event: the anchor trails D1 by this one write, so a
   * failure here leaves the move done and the event unanchored (verify accepts
   * D1 ahead of its anchor), never a move reported failed that happened.
   */
  private async anchor(event: ChainedEvent): Promise<void> {
    if (!this.anchors) throw new Error("an OrderStore without anchors cannot write");
    try {
      if (!(await anchorEvents(this.anchors, [event]))) {
        logger(this.anchors).critical("audit_anchor_disagrees", { stream: event.stream, seq: event.seq, hash: event.hash });
      }
    } catch (e) {
      logger(this.anchors).error("audit_anchor_failed", { stream: event.stream, seq: event.seq, error: String(e) });
    }
  }

  async get(orderId: string): Promise<StoredOrder | null> {
    const [order] = await this.db.select().from(orders).where(eq(orders.orderId, orderId));
    if (!order) return null;
    const items = await this.db.select().from(orderItems).where(eq(orderItems.orderId, orderId));
    return { order, items };
  }

  /** The order an intent of ours pays for, by the intent's id (Stripe's charge and dispute events name only the intent). */
  async byIntent(intentId: string): Promise<StoredOrder | null> {
    const [row] = await this.db.select({ orderId: orders.orderId }).from(orders).where(eq(orders.intentId, intentId)).limit(1);
    return row ? this.get(row.orderId) : null;
  }

  /**
   * Pending refunds due for another try, the longest-waiting first: a failed
   * try moves a refund back (deferRefund), so refunds that always fail cannot
   * starve the rest. A refund never tried is due `abandoned_ms` after it was recorded.
   */
  async dueRefunds(now_ms: number, abandoned_ms: number, limit: number): Promise<string[]> {
    const due = sql<number>`coalesce(${orders.refundNextAtMs}, ${orders.updatedAtMs} + ${abandoned_ms})`;
    const rows = await this.db
      .select({ orderId: orders.orderId })
      .from(orders)
      .where(and(eq(orders.refundStatus, "pending"), sql`${due} <= ${now_ms}`))
      .orderBy(due)
      .limit(limit);
    return rows.map((r) => r.orderId);
  }

  /** A try of the pending refund failed: the next waits longer (scheduling, not a move of the order: no audit event). */
  async deferRefund(orderId: string, now_ms: number, backoff: (attempts: number) => number): Promise<void> {
    const [row] = await this.db.select({ attempts: orders.refundAttempts }).from(orders).where(eq(orders.orderId, orderId));
    if (!row) return;
    const attempts = row.attempts + 1;
    await this.db
      .update(orders)
      .set({ refundAttempts: attempts, refundNextAtMs: now_ms + backoff(attempts) })
      .where(and(eq(orders.orderId, orderId), eq(orders.refundStatus, "pending")));
  }

  /** Writes the order, its items, its first audit event and its outbox rows atomically. False if the id exists. */
  async create(order: NewOrder, items: OrderItemRow[], eventData: object, messages: readonly OrderMessage[]): Promise<boolean> {
    const [event] = linkEvents(GENESIS_HASH, [
      { stream: orderStream(order.orderId), seq: 1, type: "order.created", atMs: order.createdAtMs, data: canonicalJson(eventData) },
    ]);
    try {
      await this.db.batch([
        this.db.insert(orders).values({ ...order, version: 1, updatedAtMs: order.createdAtMs }),
        this.db.insert(orderItems).values(items),
        ...insertEvents(this.db, [event!]),
        ...outboxInserts(this.db, order.orderId, 1, messages, order.createdAtMs),
      ]);
      await this.anchor(event!);
      await this.outbox?.ship(messages, order.createdAtMs);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /**
   * Moves the order with compare-and-swap on its version, retrying on a
   * concurrent change. `decide` sees the latest order and returns the move,
   * or null to leave it as it is (an illegal move is a no-op, not an error).
   * The messages the move causes (`outbox`, from the order as moved) are
   * written in the move's batch and sent after it (./outbox.ts).
   */
  async transition(orderId: string, now_ms: number, decide: (order: OrderRow) => OrderMove | null): Promise<Transition> {
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const [order] = await this.db.select().from(orders).where(eq(orders.orderId, orderId));
      if (!order) return refuse("not_found", "No such order.");
      const move = decide(order);
      if (!move || (move.to !== order.status && !canMove(order.status, move.to))) return accept({ order, moved: false });
      const seq = order.version + 1;
      // The client secret confirms a payment: it lives only while the order waits on the shopper,
      // and never enters the audit, which is append-only and served to the merchant.
      const patch: OrderPatch = move.to === "pending_payment" ? { ...move.patch } : { ...move.patch, clientSecret: null };
      const { clientSecret: _secret, ...facts } = patch;
      const data = { from: order.status, to: move.to, ...facts, ...move.data };
      const [head] = await this.db
        .select({ hash: auditEvents.hash })
        .from(auditEvents)
        .where(and(eq(auditEvents.stream, orderStream(orderId)), eq(auditEvents.seq, order.version)));
      const [event] = linkEvents(head?.hash ?? GENESIS_HASH, [
        { stream: orderStream(orderId), seq, type: move.event, atMs: now_ms, data: canonicalJson(data) },
      ]);
      const next: OrderRow = { ...order, ...patch, status: move.to, version: seq, updatedAtMs: now_ms };
      const messages = move.outbox?.(next) ?? [];
      try {
        await this.db.batch([
          this.db
            .update(orders)
            .set({ ...patch, status: move.to, version: seq, updatedAtMs: now_ms })
            .where(and(eq(orders.orderId, orderId), eq(orders.version, order.version))),
          ...insertEvents(this.db, [event!]),
          ...outboxInserts(this.db, orderId, seq, messages, now_ms),
        ]);
        await this.anchor(event!);
        if (messages.length > 0) await this.outbox?.ship(messages, now_ms);
        return accept({ order: next, moved: true });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    return { ...refuse("invalid_order_state", "The order changed concurrently; fetch it and retry."), transient: true };
  }

  /** Items of many orders, in queries small enough for D1's bound-parameter limit. */
  private async itemsOf(orderIds: readonly string[]): Promise<OrderItemRow[]> {
    const chunks: Array<Promise<OrderItemRow[]>> = [];
    for (let i = 0; i < orderIds.length; i += IDS_PER_QUERY) {
      chunks.push(
        this.db
          .select()
          .from(orderItems)
          .where(inArray(orderItems.orderId, orderIds.slice(i, i + IDS_PER_QUERY))),
      );
    }
    return (await Promise.all(chunks)).flat();
  }

  /** Newest first; the cursor is the last row's (createdAtMs, orderId). */
  async list(
    /** `locations`: only orders with units allocated at one of them (a key's scope, spec §12); an unallocated item is `default`'s. */
    filter: { status?: OrderStatus; sku?: string; customerId?: string; locations?: readonly string[] },
    cursor: { createdAtMs: number; orderId: string } | null,
    limit: number,
  ) {
    const where: SQL[] = [];
    if (filter.status) where.push(eq(orders.status, filter.status));
    if (filter.customerId) where.push(eq(orders.customerId, filter.customerId));
    if (filter.sku) {
      where.push(
        inArray(orders.orderId, this.db.select({ id: orderItems.orderId }).from(orderItems).where(eq(orderItems.sku, filter.sku))),
      );
    }
    if (filter.locations) {
      const scope = JSON.stringify(filter.locations);
      where.push(sql`${orders.orderId} IN (SELECT ${orderItems.orderId} FROM ${orderItems} WHERE CASE
        WHEN ${orderItems.allocations} IS NULL OR json_array_length(${orderItems.allocations}) = 0
          THEN ${DEFAULT_LOCATION} IN (SELECT value FROM json_each(${scope}))
        ELSE EXISTS (SELECT 1 FROM json_each(${orderItems.allocations}) a
          WHERE json_extract(a.value, '$.location') IN (SELECT value FROM json_each(${scope}))) END)`);
    }
    if (cursor) {
      where.push(
        or(
          lt(orders.createdAtMs, cursor.createdAtMs),
          and(eq(orders.createdAtMs, cursor.createdAtMs), lt(orders.orderId, cursor.orderId)),
        )!,
      );
    }
    const rows = await this.db
      .select()
      .from(orders)
      .where(where.length ? and(...where) : sql`1 = 1`)
      .orderBy(desc(orders.createdAtMs), desc(orders.orderId))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const items = await this.itemsOf(page.map((o) => o.orderId));
    return {
      orders: page.map((order) => ({ order, items: items.filter((i) => i.orderId === order.orderId) })),
      more: rows.length > limit,
    };
  }
}

/** D1 binds at most 100 parameters per query. */
const IDS_PER_QUERY = 90;

function isUniqueViolation(e: unknown): boolean {
  const text = String(e instanceof Error ? `${e.message} ${String(e.cause ?? "")}` : e);
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text);
}
