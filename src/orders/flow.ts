import { currentTraceparent } from "../platform/trace";
import type { OrderRow } from "../db/schema";
import type { Outcome } from "../domain/problems";
import { paymentProvider } from "../payments";
import { enqueuePayment } from "../payments/job";
import { holdStub } from "../stock/addressing";
import { unlessContended } from "./contended";
import { OrderFlowActions } from "./flow-actions";
import { deadlineJob, shopperMessage } from "./outbox";
import { chargeRequest, PaymentRecovery } from "./recovery";
import type { OrderView } from "./view";

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
 *
 * One class in three layers, a file each: ./flow-core.ts (the move, money
 * going back), ./flow-actions.ts (cancel, fulfil, refund), this file (the
 * payment's steps and their recovery).
 */
export class OrderFlow extends OrderFlowActions {
  private readonly recovery: PaymentRecovery;

  constructor(env: Env) {
    super(env);
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
}
