import type { OrderRow } from "../db/schema";
import { accept, refuse, type Outcome } from "../domain/problems";
import { paymentProvider } from "../payments";
import { TransientPaymentError, type IntentRead } from "../payments/provider";
import { releaseHolds } from "./checkout";
import { unlessContended } from "./contended";
import { chargeJob } from "./outbox";
import type { ChargeRequest } from "../payments/provider";
import { refundFollowsUp } from "./refunds";
import type { OrderStore } from "./store";
import { orderView, type OrderView } from "./view";

/** What the dead-letter handler says when even reading the provider failed: the outcome is unknown, not "nothing charged". */
export const PROVIDER_UNREACHABLE =
  "The payment provider could not be reached. If it took the payment, the order is paid or refunded when the provider reports it.";

/** The order flow's moves that recovery settles through (./flow.ts). */
export interface Settle {
  paymentSucceeded(orderId: string, intentId: string, now_ms: number): Promise<void>;
  paymentFailed(orderId: string, reason: string, intentId: string | null, now_ms: number): Promise<void>;
  awaiting(
    orderId: string,
    status: "requires_action" | "processing",
    intentId: string,
    clientSecret: string | null,
    now_ms: number,
  ): Promise<void>;
  expireAtDeadline(order: OrderRow, now_ms: number): Promise<void>;
}

/** The provider request of the order's current attempt: charged once, and read back by the same terms. */
export function chargeRequest(order: OrderRow): ChargeRequest {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    amount: order.totalAmount,
    currency: order.currency,
    paymentMethod: order.paymentMethod,
    attempt: order.paymentAttempt,
  };
}

/**
 * The steps that must find out what the provider did before acting: paying
 * again, expiring an order whose hold was committed, and a payment job that
 * ran out of retries. Each reads the intent (by id, or by our order's metadata)
 * and never creates one: a create replayed within 24 h answers its first
 * response, and after that is a second charge.
 */
export class PaymentRecovery {
  constructor(
    private readonly env: Env,
    private readonly store: OrderStore,
    private readonly flow: Settle,
  ) {}

  /**
   * Pays a declined order again, with a new payment method, while its holds
   * live: `payment_failed -> pending_payment` as attempt n + 1 (its own charge
   * at the provider), charged from the payments queue like a checkout. The
   * previous attempt's intent is cancelled first, so it can never also
   * succeed; if it already has, it pays the order instead. Refused while a
   * refund of the order is pending: that refund owns the order's money.
   */
  async retryPayment(orderId: string, paymentMethod: string, now_ms: number): Promise<Outcome<OrderView>> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    const { order, items } = stored;
    if (order.status !== "payment_failed" || order.refundStatus !== null) {
      const detail =
        order.refundStatus === "pending"
          ? "A refund of this order is in progress; it cannot be paid again."
          : `Only an order whose payment failed can be paid again; this one is ${order.status}.`;
      return refuse("invalid_order_state", detail, { orderStatus: order.status });
    }
    if (now_ms >= order.expiresAtMs) {
      return refuse("hold_expired", "The order's holds have expired; check out again.", { orderStatus: "expired" });
    }
    let previous: IntentRead | null;
    try {
      previous = await this.closePrevious(order);
    } catch (e) {
      if (!(e instanceof TransientPaymentError)) throw e;
      return {
        ...refuse("unavailable", "The payment provider could not be reached; try again.", { retryAfterSeconds: 5 }),
        transient: true,
      };
    }
    if (previous?.status === "succeeded") {
      await this.flow.paymentSucceeded(orderId, previous.intentId, now_ms).catch(refundFollowsUp);
      const settled = await this.store.get(orderId);
      return settled ? accept(orderView(settled.order, settled.items)) : refuse("not_found", "No such order.");
    }
    const result = await this.store.transition(orderId, now_ms, (o) =>
      o.status === "payment_failed" && o.refundStatus === null && now_ms < o.expiresAtMs
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
            data: { attempt: o.paymentAttempt + 1, previousIntentId: o.intentId },
            outbox: (next) => [chargeJob(next)],
          }
        : null,
    );
    if (!result.ok) return result;
    const { order: moved } = result.value;
    if (!result.value.moved) return refuse("invalid_order_state", `The order is ${moved.status}.`, { orderStatus: moved.status });
    return accept(orderView(moved, items));
  }

  /** Cancels the current attempt's intent (found by metadata when the order never learnt its id); how it now stands. */
  private async closePrevious(order: OrderRow): Promise<IntentRead | null> {
    const provider = paymentProvider(this.env, order.paymentProvider);
    const intentId = order.intentId ?? (await provider.find(chargeRequest(order), null))?.intentId ?? null;
    return intentId ? provider.cancel(intentId, order.orderId) : null;
  }

  /** Gives up on an order (unpaid or declined) whose payment window closed; returns the order as it now stands. */
  async expire(orderId: string, now_ms: number): Promise<OrderRow | null> {
    const stored = await this.store.get(orderId);
    const open = (s: OrderRow["status"]) => s === "pending_payment" || s === "payment_failed";
    if (!stored || !open(stored.order.status)) return stored?.order ?? null;
    if (await releaseHolds(this.env, orderId, stored.items)) {
      // A hold is committed, so a payment succeeded and a crash cut it off before the order
      // said so. Read that payment (never create it again): it settles as paid or, its other
      // holds gone, as a late payment refunded.
      const intent = await paymentProvider(this.env, stored.order.paymentProvider).find(chargeRequest(stored.order), stored.order.intentId);
      if (intent?.status === "succeeded") {
        await this.flow.paymentSucceeded(orderId, intent.intentId, now_ms);
        return (await this.store.get(orderId))?.order ?? null;
      }
    }
    const moved = unlessContended(
      orderId,
      await this.store.transition(orderId, now_ms, (o) =>
        open(o.status) && o.refundStatus === null && now_ms >= o.expiresAtMs ? { to: "expired", event: "order.expired" } : null,
      ),
    );
    return moved?.order ?? null;
  }

  /**
   * A payment job that could not finish after every retry. The charge may
   * have happened with its answer lost, so the provider is read: the order
   * settles as the intent stands. Only when even that read fails does the
   * order fail, saying the outcome is unknown; a later success still pays it
   * (its holds live until the deadline) or is refunded.
   */
  async afterDeadLetter(orderId: string, now_ms: number): Promise<void> {
    const stored = await this.store.get(orderId);
    if (stored?.order.status !== "pending_payment") return;
    const { order } = stored;
    let intent: IntentRead | null;
    try {
      intent = await paymentProvider(this.env, order.paymentProvider).find(chargeRequest(order), order.intentId);
    } catch (e) {
      if (!(e instanceof TransientPaymentError)) throw e;
      return this.flow.paymentFailed(orderId, PROVIDER_UNREACHABLE, order.intentId, now_ms);
    }
    switch (intent?.status) {
      case "succeeded":
        return this.flow.paymentSucceeded(orderId, intent.intentId, now_ms);
      case "failed":
        return this.flow.paymentFailed(orderId, intent.reason, intent.intentId, now_ms);
      case "canceled":
        return this.flow.paymentFailed(orderId, "The payment was canceled.", intent.intentId, now_ms);
      case "requires_action":
      case "processing":
        await this.flow.awaiting(orderId, intent.status, intent.intentId, "clientSecret" in intent ? intent.clientSecret : null, now_ms);
        return this.flow.expireAtDeadline(order, now_ms);
      default:
        // No intent found for this attempt; search lags a little, so this says nothing about money either.
        return this.flow.paymentFailed(orderId, PROVIDER_UNREACHABLE, null, now_ms);
    }
  }
}
