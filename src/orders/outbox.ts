import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { drizzle } from "drizzle-orm/d1";
import { type OrderItemRow, type OrderRow, orderOutbox, orders } from "../db/schema";
import type { Notification } from "../notifications/messages";
import type { PaymentJob } from "../payments/job";
import { logger, type LogEnv } from "../platform/log";
import { withTraceparent } from "../platform/trace";
import { shopperNotification, type ShopperEvent } from "./notify";

/** Bounds and timings of the orders' outbox (every loop and batch has one). */
export const ORDER_OUTBOX = {
  /** A row this long unsent lost its send to a crash (a send in flight takes well under it). */
  grace_ms: 5 * 60_000,
  /** Rows the sweep after each move re-sends; the hourly run takes `sweep_max`. */
  sweep_after_move: 10,
  sweep_max: 50,
  /**
   * A recorded refund's follow-up job arrives this long after it: time for the
   * request that recorded it to finish it, after which the job finishes what
   * an outage or a crash left (the hourly sweep stays the last resort).
   */
  refund_follow_up_ms: 30_000,
  /** Sent rows are kept this long (for operators), then pruned by the hourly run. */
  keep_sent_ms: 24 * 60 * 60 * 1000,
} as const;

/** The longest delay Queues accept on a message. */
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

/** A message a move of an order causes; `id` is stable, so writing the same effect twice keeps one row. */
export type OrderMessage =
  | { id: string; queue: "payments"; body: PaymentJob; deliverAtMs?: number }
  | { id: string; queue: "notifications"; body: Notification };

/** The job that charges the order's current attempt. */
export function chargeJob(order: OrderRow): OrderMessage {
  return { id: `payment:${order.orderId}:${order.paymentAttempt}`, queue: "payments", body: { orderId: order.orderId } };
}

/** The job that expires the order at its deadline unless it settled (one per attempt). */
export function deadlineJob(order: OrderRow): OrderMessage {
  return {
    id: `payment:${order.orderId}:${order.paymentAttempt}:deadline`,
    queue: "payments",
    body: { orderId: order.orderId },
    deliverAtMs: order.expiresAtMs + 1000,
  };
}

/** The job that finishes the order's refund (one refund per order, so one job). */
export function refundJob(order: OrderRow, now_ms: number): OrderMessage {
  return {
    id: `payment:${order.orderId}:refund`,
    queue: "payments",
    body: { orderId: order.orderId },
    deliverAtMs: now_ms + ORDER_OUTBOX.refund_follow_up_ms,
  };
}

export function shopperMessage(order: OrderRow, items: readonly OrderItemRow[], type: ShopperEvent, now_ms: number): OrderMessage {
  const body = shopperNotification(order, items, type, now_ms);
  return { id: body.id, queue: "notifications", body };
}

/**
 * The outbox rows of a move, for the move's own D1 batch. D1 has no
 * interactive transaction, so each INSERT is guarded by the order's new
 * version: it writes only if the batch's conditional UPDATE applied.
 */
export function outboxInserts(db: DrizzleD1Database, orderId: string, version: number, messages: readonly OrderMessage[], now_ms: number) {
  return messages.map((m) =>
    db
      .insert(orderOutbox)
      .select(
        db
          .select({
            id: sql<string>`${m.id}`.as("id"),
            orderId: orders.orderId,
            queue: sql<OrderMessage["queue"]>`${m.queue}`.as("queue"),
            body: sql<string>`${JSON.stringify(withTraceparent(m.body))}`.as("body"),
            deliverAtMs: sql<number | null>`${deliverAt(m)}`.as("deliver_at_ms"),
            createdAtMs: sql<number>`${now_ms}`.as("created_at_ms"),
            sentAtMs: sql<number | null>`NULL`.as("sent_at_ms"),
          })
          .from(orders)
          .where(and(eq(orders.orderId, orderId), eq(orders.version, version))),
      )
      .onConflictDoNothing(),
  );
}

const deliverAt = (m: OrderMessage): number | null => ("deliverAtMs" in m ? (m.deliverAtMs ?? null) : null);

type OutboxEnv = Pick<Env, "DB" | "PAYMENTS" | "NOTIFICATIONS"> & LogEnv;
type Row = typeof orderOutbox.$inferSelect;

/**
 * Sends the orders' outbox rows and marks them sent. Consumers are
 * idempotent (a payment job acts on the order as it stands, charges are keyed
 * by order and attempt, notifications carry their stable id to the merchant's
 * webhook as `webhook-id`), so a row sent twice by a crash after its send is harmless.
 */
export class OrderOutbox {
  private readonly db: DrizzleD1Database;

  constructor(private readonly env: OutboxEnv) {
    this.db = drizzle(env.DB);
  }

  /** Sends a move's rows right after its batch, then re-sends a few that crashes left behind. Never throws: the sweep retries. */
  async ship(messages: readonly OrderMessage[], now_ms: number): Promise<void> {
    const rows = messages.map((m) => ({
      id: m.id,
      queue: m.queue,
      body: JSON.stringify(withTraceparent(m.body)),
      deliverAtMs: "deliverAtMs" in m ? (m.deliverAtMs ?? null) : null,
    }));
    try {
      await this.send(rows, now_ms);
      await this.sweep(now_ms, ORDER_OUTBOX.sweep_after_move);
    } catch (e) {
      logger(this.env).warn("order_outbox.send_failed", { ids: messages.map((m) => m.id), error: String(e) });
    }
  }

  /** Re-sends unsent rows older than the grace period (or every unsent row of `orderId`), oldest first; how many were sent. */
  async sweep(now_ms: number, limit: number, orderId?: string): Promise<number> {
    const rows = await this.db
      .select()
      .from(orderOutbox)
      .where(
        and(
          isNull(orderOutbox.sentAtMs),
          orderId ? eq(orderOutbox.orderId, orderId) : lte(orderOutbox.createdAtMs, now_ms - ORDER_OUTBOX.grace_ms),
        ),
      )
      .orderBy(asc(orderOutbox.createdAtMs))
      .limit(limit);
    await this.send(rows, now_ms);
    return rows.length;
  }

  /** Deletes rows sent long ago; how many. */
  async prune(now_ms: number, limit: number): Promise<number> {
    const result = await this.env.DB.prepare(
      `DELETE FROM order_outbox WHERE id IN
         (SELECT id FROM order_outbox WHERE sent_at_ms IS NOT NULL AND sent_at_ms <= ? LIMIT ?)`,
    )
      .bind(now_ms - ORDER_OUTBOX.keep_sent_ms, limit)
      .run();
    return result.meta.changes ?? 0;
  }

  /** Sends each row (one failure stops the rest: they stay for the sweep) and marks the sent ones. */
  private async send(rows: ReadonlyArray<Pick<Row, "id" | "queue" | "body" | "deliverAtMs">>, now_ms: number): Promise<void> {
    const sent: string[] = [];
    try {
      for (const row of rows) {
        const body: unknown = JSON.parse(row.body);
        if (row.queue === "notifications") await this.env.NOTIFICATIONS.send(body, { contentType: "json" });
        else if (row.deliverAtMs === null) await this.env.PAYMENTS.send(body, { contentType: "json" });
        else {
          const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((row.deliverAtMs - now_ms) / 1000)));
          await this.env.PAYMENTS.send(body, { contentType: "json", delaySeconds });
        }
        sent.push(row.id);
      }
    } finally {
      if (sent.length > 0) {
        await this.db.update(orderOutbox).set({ sentAtMs: now_ms }).where(inArray(orderOutbox.id, sent));
      }
    }
  }
}
