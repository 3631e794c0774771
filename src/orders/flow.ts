import type { OrderItemRow, OrderRow } from "../db/schema";
import { accept, refuse, type Outcome } from "../domain/problems";
import { enqueueNotifications, type Notification } from "../notifications/messages";
import { paymentProvider } from "../payments";
import { enqueuePayment } from "../payments/job";
import { holdStub } from "../stock/addressing";
import { releaseHolds } from "./checkout";
import { OrderStore } from "./store";
import { Refunds, type RefundPlan } from "./refunds";
import { orderView, type OrderView } from "./view";

/** The longest delay Queues accept on a message. */
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

/**
 * Everything that moves a placed order: the payment's outcome (from the
 * queue consumer or Stripe's webhook, in any order and any number of times),
 * expiry, and the merchant's cancel, fulfil and refund. Each step is
 * idempotent: holds are committed, voided or returned exactly once by their
 * objects, refunds are two-phase (./refunds.ts), and the order moves by
 * compare-and-swap.
 */
export class OrderFlow {
  private readonly store: OrderStore;
  private readonly refunds: Refunds;

  constructor(private readonly env: Env) {
    this.store = new OrderStore(env.DB, env);
    this.refunds = new Refunds(env, this.store);
  }

  /** Charges a pending order (payments queue). Transient provider errors propagate so the queue retries. */
  async charge(orderId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored || (stored.order.status !== "pending_payment" && stored.order.status !== "payment_failed")) return;
    const { order } = stored;
    if (now_ms >= order.expiresAtMs) {
      await this.expire(orderId, now_ms);
      return;
    }
    // A declined order waits for a retry or its deadline; a job delivered before that (Queues' 12 h cap) waits again.
    if (order.status === "payment_failed") return this.expireAtDeadline(order, now_ms);
    // Already attempted: this is a duplicate, or the deadline job of a payment still in
    // flight that Queues' 12 h delay cap delivered early; either way, wait for the deadline again.
    if (order.paymentStatus !== null) return this.expireAtDeadline(order, now_ms);
    const result = await this.chargeAt(order);
    switch (result.status) {
      case "succeeded":
        return this.paymentSucceeded(orderId, result.intentId, now_ms);
      case "failed":
        return this.paymentFailed(orderId, result.reason, result.intentId, now_ms);
      default:
        unlessContended(
          orderId,
          await this.store.transition(orderId, now_ms, (o) =>
            o.status === "pending_payment" && o.paymentStatus !== "succeeded"
              ? {
                  to: "pending_payment",
                  event: `payment.${result.status}`,
                  patch: {
                    paymentStatus: result.status,
                    intentId: result.intentId,
                    clientSecret: "clientSecret" in result ? result.clientSecret : null,
                  },
                }
              : null,
          ),
        );
        await this.expireAtDeadline(order, now_ms);
    }
  }

  /** Charges the order's total; the provider keys it by order id, so asking again never charges twice. */
  private chargeAt(order: OrderRow) {
    return paymentProvider(this.env, order.paymentProvider).charge({
      orderId: order.orderId,
      customerId: order.customerId,
      amount: order.totalAmount,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
      attempt: order.paymentAttempt,
    });
  }

  /**
   * The payment now waits on the shopper (3-D Secure) or the bank. If neither
   * answers, the order must still end when its holds do: a payment job
   * delayed to the deadline expires it then, with no polling. Queues delay
   * at most 12 h; a longer window is picked up by the next read of the order.
   */
  private async expireAtDeadline(order: OrderRow, now_ms: number): Promise<void> {
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((order.expiresAtMs - now_ms) / 1000) + 1));
    await enqueuePayment(this.env.PAYMENTS, { orderId: order.orderId }, delaySeconds);
  }

  /** The money is in. Commits every hold; if any hold is gone the payment is refunded and the order says so. */
  async paymentSucceeded(orderId: string, intentId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored || ["paid", "fulfilled", "refunded"].includes(stored.order.status)) return;
    const { order, items } = stored;
    if (order.status === "pending_payment") {
      const commits = await Promise.all(items.map((i) => holdStub(this.env, i.holdId).commit(i.holdId, orderId)));
      if (commits.every((c) => c.ok)) {
        const moved = unlessContended(
          orderId,
          await this.store.transition(orderId, now_ms, (o) =>
            o.status === "pending_payment" ? { to: "paid", event: "order.paid", patch: { paymentStatus: "succeeded", intentId } } : null,
          ),
        );
        if (moved?.moved) await this.notify(moved.order, items, "order.confirmed", now_ms);
        if (moved?.order.status === "paid") return;
      }
    }
    await this.refundLatePayment(orderId, intentId, now_ms);
  }

  /**
   * A declined payment. The holds stay in checkout until the order's deadline
   * so the shopper can pay again with another method (retryPayment); a job
   * delayed to the deadline then expires the order and its holds, unless the
   * shopper cancels first.
   */
  async paymentFailed(orderId: string, reason: string, intentId: string | null, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (stored?.order.status !== "pending_payment") return;
    const moved = unlessContended(
      orderId,
      await this.store.transition(orderId, now_ms, (o) =>
        o.status === "pending_payment"
          ? {
              to: "payment_failed",
              event: "order.payment_failed",
              patch: { paymentStatus: "failed", failureReason: reason, intentId },
              data: { attempt: o.paymentAttempt },
            }
          : null,
      ),
    );
    if (moved?.moved) {
      await this.notify(moved.order, stored.items, "order.payment_failed", now_ms);
      await this.expireAtDeadline(moved.order, now_ms);
    }
  }

  /**
   * Pays a declined order again, with a new payment method, while its holds
   * live: `payment_failed -> pending_payment` as attempt n + 1 (its own charge
   * at the provider), charged from the payments queue like a checkout.
   */
  async retryPayment(orderId: string, paymentMethod: string, now_ms: number): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const { order, items } = stored;
    if (order.status !== "payment_failed") {
      return refuse("invalid_order_state", `Only an order whose payment failed can be paid again; this one is ${order.status}.`, {
        orderStatus: order.status,
      });
    }
    if (now_ms >= order.expiresAtMs) {
      return refuse("hold_expired", "The order's holds have expired; check out again.", { orderStatus: "expired" });
    }
    const result = await this.store.transition(orderId, now_ms, (o) =>
      o.status === "payment_failed" && now_ms < o.expiresAtMs
        ? {
            to: "pending_payment",
            event: "order.payment_retried",
            patch: {
              paymentMethod,
              paymentAttempt: o.paymentAttempt + 1,
              paymentStatus: null,
              intentId: null,
              clientSecret: null,
              failureReason: null,
            },
            data: { attempt: o.paymentAttempt + 1 },
          }
        : null,
    );
    if (!result.ok) return result;
    const { order: moved } = result.value;
    if (!result.value.moved) return refuse("invalid_order_state", `The order is ${moved.status}.`, { orderStatus: moved.status });
    await enqueuePayment(this.env.PAYMENTS, { orderId });
    return accept(orderView(moved, items));
  }

  async requiresAction(orderId: string, intentId: string, clientSecret: string | null, now_ms: number): Promise<void> {
    unlessContended(
      orderId,
      await this.store.transition(orderId, now_ms, (o) =>
        o.status === "pending_payment" && o.paymentStatus !== "succeeded"
          ? { to: "pending_payment", event: "payment.requires_action", patch: { paymentStatus: "requires_action", intentId, clientSecret } }
          : null,
      ),
    );
  }

  /** Gives up on an order (unpaid or declined) whose payment window closed; returns the order as it now stands. */
  async expire(orderId: string, now_ms: number): Promise<OrderRow | null> {
    const stored = await this.store.get(orderId);
    const open = (s: OrderRow["status"]) => s === "pending_payment" || s === "payment_failed";
    if (!stored || !open(stored.order.status)) return stored?.order ?? null;
    if (await releaseHolds(this.env, orderId, stored.items)) {
      // A hold is committed, so a payment succeeded and a crash cut it off before the order
      // said so. Asking the provider again is idempotent per order: it answers that payment,
      // which then settles as paid or, its other holds gone, as a late payment refunded.
      const again = await this.chargeAt(stored.order);
      if (again.status === "succeeded") {
        await this.paymentSucceeded(orderId, again.intentId, now_ms);
        return (await this.store.get(orderId))?.order ?? null;
      }
    }
    const moved = unlessContended(
      orderId,
      await this.store.transition(orderId, now_ms, (o) =>
        open(o.status) && now_ms >= o.expiresAtMs ? { to: "expired", event: "order.expired" } : null,
      ),
    );
    return moved?.order ?? null;
  }

  async cancel(orderId: string, by: "owner" | "merchant", now_ms: number): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const { order, items } = stored;
    if (order.status === "cancelled") return accept(orderView(order, items));
    if (order.status === "pending_payment" || order.status === "payment_failed") {
      if (order.status === "pending_payment" && order.intentId)
        await paymentProvider(this.env, order.paymentProvider).cancel(order.intentId, orderId);
      await releaseHolds(this.env, orderId, items);
      return this.move(orderId, items, now_ms, order.status, { to: "cancelled", event: "order.cancelled", data: { by } });
    }
    if (order.status === "paid" && by === "merchant") {
      return this.refundThenView(order, items, now_ms, { reason: "cancelled_by_merchant", restock: true, from: ["paid"] });
    }
    return refuse(
      "invalid_order_state",
      by === "owner"
        ? "Only an order awaiting payment can be cancelled by the shopper."
        : `A ${order.status} order cannot be cancelled; refund it instead.`,
      { orderStatus: order.status },
    );
  }

  async fulfil(orderId: string, now_ms: number): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    if (stored.order.status === "fulfilled") return accept(orderView(stored.order, stored.items));
    // A refund in progress has claimed the order: goods must not ship on money going back.
    return this.move(orderId, stored.items, now_ms, (o) => o.status === "paid" && o.refundStatus === null, {
      to: "fulfilled",
      event: "order.fulfilled",
    });
  }

  async refund(orderId: string, restock: boolean, now_ms: number): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const { order, items } = stored;
    if (order.status === "refunded") return accept(orderView(order, items));
    if (order.refundStatus === null && order.status !== "paid" && order.status !== "fulfilled") {
      return refuse("invalid_order_state", `A ${order.status} order has no payment to refund.`, { orderStatus: order.status });
    }
    return this.refundThenView(order, items, now_ms, { reason: "requested_by_merchant", restock, from: ["paid", "fulfilled"] });
  }

  /** Finishes refunds whose attempt died after recording them (the scheduled sweep). */
  async resumeRefund(orderId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (stored) unlessContended(orderId, await this.completeRefund(stored.items, orderId, now_ms));
  }

  /**
   * Records the refund (unless one is already recorded: its terms stand, so a
   * retry resumes it), completes it and answers the order as it ends.
   */
  private async refundThenView(
    order: OrderRow,
    items: readonly OrderItemRow[],
    now_ms: number,
    plan: RefundPlan,
  ): Promise<Outcome<OrderView>> {
    const recorded = order.refundStatus === null ? await this.refunds.record(order.orderId, now_ms, plan) : accept(order);
    if (!recorded.ok) return recorded;
    if (recorded.value.refundStatus === null) {
      return refuse("invalid_order_state", `The order is ${recorded.value.status}.`, { orderStatus: recorded.value.status });
    }
    const done = await this.completeRefund(items, order.orderId, now_ms);
    return done.ok ? accept(orderView(done.value, items)) : done;
  }

  private async completeRefund(items: readonly OrderItemRow[], orderId: string, now_ms: number): Promise<Outcome<OrderRow>> {
    const result = await this.refunds.complete(orderId, items, now_ms);
    if (!result.ok) return result;
    const { order, moved } = result.value;
    if (moved && order.status === "refunded") await this.notify(order, items, "order.refunded", now_ms);
    return accept(order);
  }

  /** Payment landed after the order gave up on it: refund, return any committed units, say so. */
  private async refundLatePayment(orderId: string, intentId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored || stored.order.status === "refunded" || stored.order.status === "paid") return;
    const { order, items } = stored;
    // Some holds may have been committed before another was found expired: void the rest, return those.
    await releaseHolds(this.env, orderId, items);
    unlessContended(
      orderId,
      await this.refundThenView(order, items, now_ms, {
        reason: "late_payment",
        restock: true,
        from: ["pending_payment", "payment_failed", "expired", "cancelled"],
        patch: { paymentStatus: "succeeded", intentId },
      }),
    );
  }

  private async move(
    orderId: string,
    items: readonly OrderItemRow[],
    now_ms: number,
    from: OrderRow["status"] | ((o: OrderRow) => boolean),
    step: { to: OrderRow["status"]; event: string; data?: object },
  ): Promise<Outcome<OrderView>> {
    const allowed = typeof from === "function" ? from : (o: OrderRow) => o.status === from;
    const result = await this.store.transition(orderId, now_ms, (o) => (allowed(o) ? step : null));
    if (!result.ok) return result;
    const { order, moved } = result.value;
    if (!moved && order.status !== step.to) {
      const detail = order.refundStatus === "pending" ? "A refund of this order is in progress." : `The order is ${order.status}.`;
      return refuse("invalid_order_state", detail, { orderStatus: order.status });
    }
    return accept(orderView(order, items));
  }

  private async notify(
    order: OrderRow,
    items: readonly OrderItemRow[],
    type: "order.confirmed" | "order.payment_failed" | "order.refunded",
    now_ms: number,
  ) {
    const message: Notification = {
      // Each attempt may fail on its own: the first keeps the id notifications always had.
      id:
        type === "order.payment_failed" && order.paymentAttempt > 1
          ? `order:${order.orderId}:${type}:${order.paymentAttempt}`
          : `order:${order.orderId}:${type}`,
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

/**
 * A step with nobody to answer (the payments queue, Stripe's webhook, the
 * refund sweep) takes its outcome's value, or null for any refusal: those are
 * states the step leaves alone. An order that stayed contended is the
 * exception: nothing was written, so the step throws and its queue or Stripe
 * delivers it again, to decide against the new state.
 */
function unlessContended<T>(orderId: string, outcome: Outcome<T>): T | null {
  if (outcome.ok) return outcome.value;
  if (outcome.transient) throw new OrderContended(orderId, outcome.detail);
  return null;
}

/** A step's order stayed contended: nothing was written, and a later delivery decides against the new state. */
export class OrderContended extends Error {
  constructor(
    readonly orderId: string,
    detail: string,
  ) {
    super(`order ${orderId}: ${detail}`);
  }
}
