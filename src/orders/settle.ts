import type { OrderItemRow, OrderRow } from "../db/schema";
import { accept, refuse, type Outcome } from "../domain/problems";
import { enqueueNotifications, type Notification } from "../notifications/messages";
import { paymentProvider } from "../payments";
import { releaseHolds } from "./checkout";
import { OrderStore, type OrderPatch } from "./order-store";
import { orderView, type OrderView } from "./view";

/** The longest delay Queues accept on a message. */
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

/**
 * Everything that moves a placed order: the payment's outcome (from the
 * queue consumer or Stripe's webhook, in any order and any number of times),
 * expiry, and the merchant's cancel, fulfil and refund. Each step is
 * idempotent: holds are committed or voided exactly once by their objects,
 * refunds and adjustments carry idempotency keys, and the order moves by
 * compare-and-swap.
 */
export class OrderFlow {
  private readonly store: OrderStore;

  constructor(private readonly env: Env) {
    this.store = new OrderStore(env.DB);
  }

  /** Charges a pending order (payments queue). Transient provider errors propagate so the queue retries. */
  async charge(orderId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored || stored.order.status !== "pending_payment") return;
    const { order } = stored;
    if (now_ms >= order.expiresAtMs) {
      await this.expire(orderId, now_ms);
      return;
    }
    // Already attempted: this is a duplicate, or the deadline job of a payment still in flight.
    if (order.paymentStatus !== null) return;
    const result = await paymentProvider(this.env, order.paymentProvider).charge({
      orderId,
      customerId: order.customerId,
      amount: order.totalAmount,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
    });
    switch (result.status) {
      case "succeeded":
        return this.paymentSucceeded(orderId, result.intentId, now_ms);
      case "failed":
        return this.paymentFailed(orderId, result.reason, result.intentId, now_ms);
      default:
        await this.store.transition(orderId, now_ms, (o) =>
          o.status === "pending_payment" && o.paymentStatus !== "succeeded"
            ? {
                to: "pending_payment",
                event: `payment.${result.status}`,
                patch: { paymentStatus: result.status, intentId: result.intentId, clientSecret: "clientSecret" in result ? result.clientSecret : null },
              }
            : null,
        );
        await this.expireAtDeadline(order, now_ms);
    }
  }

  /**
   * The payment now waits on the shopper (3-D Secure) or the bank. If neither
   * answers, the order must still end when its holds do: a payment job
   * delayed to the deadline expires it then, with no polling. Queues delay
   * at most 12 h; a longer window is picked up by the next read of the order.
   */
  private async expireAtDeadline(order: OrderRow, now_ms: number): Promise<void> {
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((order.expiresAtMs - now_ms) / 1000) + 1));
    await this.env.PAYMENTS.send({ orderId: order.orderId }, { contentType: "json", delaySeconds });
  }

  /** The money is in. Commits every hold; if any hold is gone the payment is refunded and the order says so. */
  async paymentSucceeded(orderId: string, intentId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored || ["paid", "fulfilled", "refunded"].includes(stored.order.status)) return;
    const { order, items } = stored;
    if (order.status === "pending_payment") {
      const commits = await Promise.all(items.map((i) => this.env.SKU.getByName(i.sku).commit(i.holdId)));
      if (commits.every((c) => c.ok)) {
        const moved = await this.store.transition(orderId, now_ms, (o) =>
          o.status === "pending_payment" ? { to: "paid", event: "order.paid", patch: { paymentStatus: "succeeded", intentId } } : null,
        );
        if (moved?.moved) await this.notify(moved.order, items, "order.confirmed", now_ms);
        if (moved?.order.status === "paid") return;
      }
    }
    await this.refundLatePayment(orderId, intentId, now_ms);
  }

  async paymentFailed(orderId: string, reason: string, intentId: string | null, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored || stored.order.status !== "pending_payment") return;
    await releaseHolds(this.env, orderId, stored.items);
    const moved = await this.store.transition(orderId, now_ms, (o) =>
      o.status === "pending_payment"
        ? { to: "payment_failed", event: "order.payment_failed", patch: { paymentStatus: "failed", failureReason: reason, intentId } }
        : null,
    );
    if (moved?.moved) await this.notify(moved.order, stored.items, "order.payment_failed", now_ms);
  }

  async requiresAction(orderId: string, intentId: string, clientSecret: string | null, now_ms: number): Promise<void> {
    await this.store.transition(orderId, now_ms, (o) =>
      o.status === "pending_payment" && o.paymentStatus !== "succeeded"
        ? { to: "pending_payment", event: "payment.requires_action", patch: { paymentStatus: "requires_action", intentId, clientSecret } }
        : null,
    );
  }

  /** Gives up on an order whose payment window closed; returns the order as it now stands. */
  async expire(orderId: string, now_ms: number): Promise<OrderRow | null> {
    const stored = await this.store.get(orderId);
    if (!stored || stored.order.status !== "pending_payment") return stored?.order ?? null;
    await releaseHolds(this.env, orderId, stored.items);
    const moved = await this.store.transition(orderId, now_ms, (o) =>
      o.status === "pending_payment" && now_ms >= o.expiresAtMs ? { to: "expired", event: "order.expired" } : null,
    );
    return moved?.order ?? null;
  }

  async cancel(orderId: string, by: "owner" | "merchant", now_ms: number): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const { order, items } = stored;
    if (order.status === "cancelled") return accept(orderView(order, items));
    if (order.status === "pending_payment") {
      if (order.intentId) await paymentProvider(this.env, order.paymentProvider).cancel(order.intentId, orderId);
      await releaseHolds(this.env, orderId, items);
      return this.move(orderId, items, now_ms, "pending_payment", { to: "cancelled", event: "order.cancelled", data: { by } });
    }
    if (order.status === "paid" && by === "merchant") {
      const patch = await this.refundMoney(order, items, true, "cancelled_by_merchant");
      return this.move(orderId, items, now_ms, "paid", { to: "cancelled", event: "order.cancelled", patch, data: { by } });
    }
    return refuse(
      "invalid_order_state",
      by === "owner" ? "Only an order awaiting payment can be cancelled by the shopper." : `A ${order.status} order cannot be cancelled; refund it instead.`,
      { orderStatus: order.status },
    );
  }

  async fulfil(orderId: string, now_ms: number): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    if (stored.order.status === "fulfilled") return accept(orderView(stored.order, stored.items));
    return this.move(orderId, stored.items, now_ms, "paid", { to: "fulfilled", event: "order.fulfilled" });
  }

  async refund(orderId: string, restock: boolean, now_ms: number): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const { order, items } = stored;
    if (order.status === "refunded") return accept(orderView(order, items));
    if (order.status !== "paid" && order.status !== "fulfilled") {
      return refuse("invalid_order_state", `A ${order.status} order has no payment to refund.`, { orderStatus: order.status });
    }
    const patch = await this.refundMoney(order, items, restock, "requested_by_merchant");
    const moved = await this.move(orderId, items, now_ms, order.status, { to: "refunded", event: "order.refunded", patch });
    if (moved.ok) await this.notify({ ...order, status: "refunded" }, items, "order.refunded", now_ms);
    return moved;
  }

  /** Payment landed after the order gave up on it: refund, return any committed units, say so. */
  private async refundLatePayment(orderId: string, intentId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored || stored.order.status === "refunded" || stored.order.status === "paid") return;
    const { order, items } = stored;
    // Some holds may have been committed before another was found expired: void the rest, restock those.
    await releaseHolds(this.env, orderId, items);
    const patch = await this.refundMoney({ ...order, intentId }, items, true, "late_payment");
    const moved = await this.store.transition(orderId, now_ms, (o) =>
      o.status === "refunded" || o.status === "paid" || o.status === "fulfilled"
        ? null
        : { to: "refunded", event: "order.refunded", patch: { ...patch, paymentStatus: "succeeded", intentId } },
    );
    if (moved?.moved) await this.notify(moved.order, items, "order.refunded", now_ms);
  }

  /** Refunds at the provider and, if asked, puts committed units back on hand with an idempotent adjustment. */
  private async refundMoney(order: OrderRow, items: readonly OrderItemRow[], restock: boolean, reason: string): Promise<OrderPatch> {
    const refundId = order.intentId
      ? (await paymentProvider(this.env, order.paymentProvider).refund(order.intentId, order.orderId)).refundId
      : null;
    let restocked = false;
    if (restock) {
      for (const item of items) {
        const hold = await this.env.SKU.getByName(item.sku).getHold(item.holdId, "merchant");
        if (!hold.ok || hold.value.status !== "committed") continue;
        const adjusted = await this.env.SKU.getByName(item.sku).adjust(
          { delta: item.quantity, reason: "restock", reference: order.orderId },
          { key: `refund|${order.orderId}|${item.holdId}`, requestHash: String(item.quantity) },
        );
        if (!adjusted.ok) throw new Error(`restock of ${item.sku} for ${order.orderId} refused: ${adjusted.code}`);
        restocked = true;
      }
    }
    return { refundId, refundReason: reason, restocked };
  }

  private async move(
    orderId: string,
    items: readonly OrderItemRow[],
    now_ms: number,
    from: OrderRow["status"],
    step: { to: OrderRow["status"]; event: string; patch?: OrderPatch; data?: object },
  ): Promise<Outcome<OrderView>> {
    const result = await this.store.transition(orderId, now_ms, (o) => (o.status === from ? step : null));
    if (!result) return refuse("not_found", "No such order.");
    if (!result.moved && result.order.status !== step.to) {
      return refuse("invalid_order_state", `The order is ${result.order.status}.`, { orderStatus: result.order.status });
    }
    return accept(orderView(result.order, items));
  }

  private async notify(order: OrderRow, items: readonly OrderItemRow[], type: "order.confirmed" | "order.payment_failed" | "order.refunded", now_ms: number) {
    const message: Notification = {
      id: `order:${order.orderId}:${type}`,
      audience: "shopper",
      type,
      orderId: order.orderId,
      customerId: order.customerId,
      data: { ...orderView(order, items) },
      atMs: now_ms,
    };
    await enqueueNotifications(this.env.NOTIFICATIONS, [message]);
  }
}
