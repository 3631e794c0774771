import type { MerchantActor } from "../domain/roles";
import { currentTraceparent } from "../platform/trace";
import type { OrderItemRow, OrderRow } from "../db/schema";
import { accept, refuse, type Outcome } from "../domain/problems";
import { paymentProvider } from "../payments";
import { enqueuePayment } from "../payments/job";
import { TransientPaymentError } from "../payments/provider";
import { holdStub } from "../stock/addressing";
import { releaseHolds } from "./checkout";
import { orderScopeRefusal, shipsFromRefusal } from "./fulfilment";
import type { LocationScope } from "../stock/location-scope";
import { unlessContended } from "./contended";
import { deadlineJob, OrderOutbox, shopperMessage } from "./outbox";
import { chargeRequest, PaymentRecovery } from "./recovery";
import { OrderStore } from "./store";
import { refundFollowsUp, Refunds, type RefundPlan } from "./refunds";
import { orderView, type OrderView } from "./view";

export { OrderContended } from "./contended";

/** The longest delay Queues accept on a message. */
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

/**
 * Everything that moves a placed order: the payment's outcome (from the
 * queue consumer or Stripe's webhook, in any order and any number of times),
 * expiry, and the merchant's cancel, fulfil and refund. Each step is
 * idempotent: holds are committed, voided or returned exactly once by their
 * objects, refunds are two-phase (./refunds.ts), and the order moves by
 * compare-and-swap. Every intent the provider holds for the order ends paying
 * it or refunded: none is ignored. Retries and recovery after a crash or a
 * lost answer read the provider (./recovery.ts).
 */
export class OrderFlow {
  readonly store: OrderStore;
  private readonly refunds: Refunds;
  private readonly recovery: PaymentRecovery;

  constructor(private readonly env: Env) {
    this.store = new OrderStore(env.DB, env, new OrderOutbox(env));
    this.refunds = new Refunds(env, this.store);
    this.recovery = new PaymentRecovery(env, this.store, this);
  }

  /** Charges a pending order (payments queue). Transient provider errors propagate so the queue retries. */
  async charge(orderId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    // A refund's follow-up job (./outbox.ts), or any job of an order whose money is going back: finish that first.
    if (stored?.order.refundStatus === "pending") return this.resumeRefund(orderId, now_ms);
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
    const result = await paymentProvider(this.env, order.paymentProvider).charge(chargeRequest(order));
    if (result.status === "succeeded") return this.paymentSucceeded(orderId, result.intentId, now_ms);
    if (result.status === "failed") return this.paymentFailed(orderId, result.reason, result.intentId, now_ms);
    await this.awaiting(orderId, result.status, result.intentId, "clientSecret" in result ? result.clientSecret : null, now_ms);
  }

  /**
   * The payment now waits on the shopper (3-D Secure) or the bank. If neither
   * answers, the order must still end when its holds do: a payment job
   * delayed to the deadline expires it then, with no polling. Queues delay
   * at most 12 h; a longer window is picked up by the next read of the order.
   */
  async expireAtDeadline(order: OrderRow, now_ms: number): Promise<void> {
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((order.expiresAtMs - now_ms) / 1000) + 1));
    await enqueuePayment(this.env.PAYMENTS, { orderId: order.orderId }, delaySeconds);
  }

  /**
   * The money of `intentId` is in. While the order awaits a payment (pending,
   * or declined with its holds alive) it commits every hold and is paid.
   * Otherwise the money is not the order's: an order that gave up on it
   * refunds it as a late payment, and one paid by another intent refunds this
   * one as a stray. Never ignored: an earlier attempt may succeed after a later one.
   * Throws TransientPaymentError while a refund it needs cannot reach the
   * provider, so the webhook or queue that brought the news delivers it again.
   */
  async paymentSucceeded(orderId: string, intentId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (!stored) return;
    const { order, items } = stored;
    // Already being given back (a redelivery finishes it), or given back.
    if (order.refundIntentId === intentId) return order.refundStatus === "pending" ? this.resumeRefund(orderId, now_ms) : undefined;
    if (order.intentId === intentId && (order.status === "paid" || order.status === "fulfilled")) return;
    if (order.status === "pending_payment" || order.status === "payment_failed") {
      const commits = await Promise.all(items.map((i) => holdStub(this.env, i.holdId).commit(i.holdId, orderId, currentTraceparent())));
      if (commits.every((c) => c.ok)) {
        const moved = unlessContended(
          orderId,
          await this.store.transition(orderId, now_ms, (o) =>
            o.status === "pending_payment" || o.status === "payment_failed"
              ? {
                  to: "paid",
                  event: "order.paid",
                  patch: { paymentStatus: "succeeded", intentId, failureReason: null },
                  outbox: (next) => [shopperMessage(next, items, "order.confirmed", now_ms)],
                }
              : null,
          ),
        );
        if (moved?.order.status === "paid" && moved.order.intentId === intentId) return;
      }
    }
    const now = (await this.store.get(orderId))?.order ?? order;
    if (now.refundStatus !== null || now.status === "paid" || now.status === "fulfilled") {
      return this.refundStray(now, intentId, now_ms);
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
    unlessContended(
      orderId,
      await this.store.transition(orderId, now_ms, (o) =>
        o.status === "pending_payment"
          ? {
              to: "payment_failed",
              event: "order.payment_failed",
              patch: { paymentStatus: "failed", failureReason: reason, intentId: intentId ?? o.intentId },
              data: { attempt: o.paymentAttempt },
              // The holds stay until the deadline: its job then expires the order unless the shopper paid again.
              outbox: (next) => [shopperMessage(next, stored.items, "order.payment_failed", now_ms), deadlineJob(next)],
            }
          : null,
      ),
    );
  }

  /** The payment waits on the shopper (3-D Secure, with the secret their page confirms it by) or on the bank. */
  async awaiting(
    orderId: string,
    status: "requires_action" | "processing",
    intentId: string,
    clientSecret: string | null,
    now_ms: number,
  ): Promise<void> {
    unlessContended(
      orderId,
      await this.store.transition(orderId, now_ms, (o) =>
        o.status === "pending_payment" && o.paymentStatus !== "succeeded" && (o.intentId === null || o.intentId === intentId)
          ? {
              to: "pending_payment",
              event: `payment.${status}`,
              patch: { paymentStatus: status, intentId, clientSecret },
              // Neither the shopper nor the bank may answer: the order must still end when its holds do.
              outbox: (next) => [deadlineJob(next)],
            }
          : null,
      ),
    );
  }

  async requiresAction(orderId: string, intentId: string, clientSecret: string | null, now_ms: number): Promise<void> {
    await this.awaiting(orderId, "requires_action", intentId, clientSecret, now_ms);
  }

  /** Pays a declined order again (./recovery.ts). */
  retryPayment(orderId: string, paymentMethod: string, now_ms: number): Promise<Outcome<OrderView>> {
    return this.recovery.retryPayment(orderId, paymentMethod, now_ms);
  }

  /** Gives up on an order whose payment window closed (./recovery.ts); returns the order as it now stands. */
  expire(orderId: string, now_ms: number): Promise<OrderRow | null> {
    return this.recovery.expire(orderId, now_ms);
  }

  /** A payment job that exhausted its retries (./recovery.ts). */
  afterDeadLetter(orderId: string, now_ms: number): Promise<void> {
    return this.recovery.afterDeadLetter(orderId, now_ms);
  }

  /** `actor`: the merchant's key when `by` is the merchant (spec §12), named in the event. */
  async cancel(orderId: string, by: "owner" | "merchant", now_ms: number, actor?: MerchantActor): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const { order, items } = stored;
    if (order.status === "cancelled") return accept(orderView(order, items));
    if (order.status === "pending_payment" || order.status === "payment_failed") {
      // A declined intent can still be confirmed: cancel it too, so nothing of this order can succeed later.
      const intent = order.intentId ? await paymentProvider(this.env, order.paymentProvider).cancel(order.intentId, orderId) : null;
      await releaseHolds(this.env, orderId, items);
      const from = (o: OrderRow) => (o.status === "pending_payment" || o.status === "payment_failed") && o.refundStatus === null;
      const cancelled = await this.move(orderId, items, now_ms, from, {
        to: "cancelled",
        event: "order.cancelled",
        data: { by, ...(actor && { actor }) },
      });
      // It had succeeded meanwhile: the cancel stands and the money goes back now, not when its event arrives.
      if (cancelled.ok && intent?.status === "succeeded")
        await this.refundLatePayment(orderId, intent.intentId, now_ms).catch(refundFollowsUp);
      return cancelled;
    }
    if (order.status === "paid" && by === "merchant") {
      return this.refundThenView(order, items, now_ms, { reason: "cancelled_by_merchant", restock: true, from: ["paid"], actor });
    }
    return refuse(
      "invalid_order_state",
      by === "owner"
        ? "Only an order awaiting payment can be cancelled by the shopper."
        : `A ${order.status} order cannot be cancelled; refund it instead.`,
      { orderStatus: order.status },
    );
  }

  /** `location`: where it ships from, which must be where its units were allocated (spec §11; ./fulfilment.ts). */
  async fulfil(
    orderId: string,
    now_ms: number,
    actor?: MerchantActor,
    location?: string,
    scope: LocationScope = null,
  ): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const outside = orderScopeRefusal(stored.items, scope, "all");
    if (outside) return outside;
    const elsewhere = location === undefined ? null : shipsFromRefusal(stored.items, location, stored.order.status);
    if (elsewhere) return elsewhere;
    if (stored.order.status === "fulfilled") return accept(orderView(stored.order, stored.items));
    // Goods must not ship on money going back: a refund in progress or a dispute not won has claimed the order.
    return this.move(
      orderId,
      stored.items,
      now_ms,
      (o) => o.status === "paid" && o.refundStatus === null && (o.disputeStatus === null || o.disputeStatus === "won"),
      {
        to: "fulfilled",
        event: "order.fulfilled",
        ...((actor || location) && { data: { ...(actor && { actor }), ...(location && { location }) } }),
      },
    );
  }

  async refund(orderId: string, restock: boolean, now_ms: number, actor?: MerchantActor): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const { order, items } = stored;
    if (order.status === "refunded") return accept(orderView(order, items));
    if (order.refundStatus === null && order.status !== "paid" && order.status !== "fulfilled") {
      return refuse("invalid_order_state", `A ${order.status} order has no payment to refund.`, { orderStatus: order.status });
    }
    return this.refundThenView(order, items, now_ms, { reason: "requested_by_merchant", restock, from: ["paid", "fulfilled"], actor });
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
  private async refundLatePayment(orderId: string, intentId: string, now_ms: number): Promise<void> {
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
  private async refundStray(order: OrderRow, intentId: string, now_ms: number): Promise<void> {
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
}
