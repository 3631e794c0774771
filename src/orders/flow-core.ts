import type { OrderItemRow, OrderRow } from "../db/schema";
import { accept, refuse, type Outcome } from "../domain/problems";
import { paymentProvider } from "../payments";
import { TransientPaymentError } from "../payments/provider";
import { releaseHolds } from "./checkout";
import { unlessContended } from "./contended";
import { OrderOutbox } from "./outbox";
import { OrderStore } from "./store";
import { Refunds, type RefundPlan } from "./refunds";
import { orderView, type OrderView } from "./view";

/**
 * The first layer of the order flow (see ./flow.ts): what the payment's
 * steps and the merchant's actions share. The compare-and-swap move of an
 * order, and the money going back: a recorded refund completed, a late
 * payment refunded, a stray one given back.
 */
export class OrderFlowCore {
  readonly store: OrderStore;
  protected readonly refunds: Refunds;

  constructor(protected readonly env: Env) {
    this.store = new OrderStore(env.DB, env, new OrderOutbox(env));
    this.refunds = new Refunds(env, this.store);
  }

  async move(
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
      const detail =
        order.refundStatus === "pending"
          ? "A refund of this order is in progress."
          : order.disputeStatus === "open" || order.disputeStatus === "lost"
            ? `The order's payment is disputed (${order.disputeStatus}).`
            : `The order is ${order.status}.`;
      return refuse("invalid_order_state", detail, { orderStatus: order.status });
    }
    return accept(orderView(order, items));
  }

  /** Finishes a refund whose attempt died after recording it (the scheduled sweep); throws while it cannot. */
  async resumeRefund(orderId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (stored) unlessContended(orderId, await this.completeRefund(stored.items, orderId, now_ms));
  }

  /**
   * Records the refund (unless one is already recorded: its terms stand, so a
   * retry resumes it), completes it and answers the order as it ends.
   */
  protected async refundThenView(
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
    let done: Outcome<OrderRow>;
    try {
      done = await this.completeRefund(items, order.orderId, now_ms);
    } catch (e) {
      // The refund stays recorded (two-phase): a retry of this request, or the hourly sweep, completes it.
      if (!(e instanceof TransientPaymentError)) throw e;
      return refuse(
        "unavailable",
        "The payment provider did not answer; the refund is recorded and completes on a retry or within the hour.",
      );
    }
    return done.ok ? accept(orderView(done.value, items)) : done;
  }

  private async completeRefund(items: readonly OrderItemRow[], orderId: string, now_ms: number): Promise<Outcome<OrderRow>> {
    const result = await this.refunds.complete(orderId, items, now_ms);
    return result.ok ? accept(result.value.order) : result;
  }

  /**
   * Payment landed after the order gave up on it: refund, return any committed
   * units, say so. The provider's outage throws (TransientPaymentError) with
   * the refund recorded: its caller's redelivery, or its follow-up job, finishes it.
   */
  protected async refundLatePayment(orderId: string, intentId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored) return;
    const { order, items } = stored;
    // Some holds may have been committed before another was found expired: void the rest, return those.
    await releaseHolds(this.env, orderId, items);
    if (order.refundStatus === null) {
      const plan: RefundPlan = {
        reason: "late_payment",
        restock: true,
        intentId,
        from: ["pending_payment", "payment_failed", "expired", "cancelled"],
        patch: { paymentStatus: "succeeded", intentId },
      };
      const recorded = unlessContended(orderId, await this.refunds.record(orderId, now_ms, plan));
      if (recorded?.refundStatus !== "pending") return;
    }
    unlessContended(orderId, await this.completeRefund(items, orderId, now_ms));
  }

  /**
   * A second payment of an order that already has its money (or its refund):
   * given back at once, keyed by intent so a redelivery refunds once, and
   * noted in the order's audit. The provider call throws while it is down, so
   * the webhook answers 5xx and Stripe delivers the event again.
   */
  protected async refundStray(order: OrderRow, intentId: string, now_ms: number): Promise<void> {
    const { refundId } = await paymentProvider(this.env, order.paymentProvider).refund(intentId, order.orderId);
    unlessContended(
      order.orderId,
      await this.store.transition(order.orderId, now_ms, (o) => ({
        to: o.status,
        event: "payment.stray_refunded",
        data: { intentId, refundId },
      })),
    );
  }
}
