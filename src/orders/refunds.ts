import type { OrderItemRow, OrderRow } from "../db/schema";
import type { MerchantActor } from "../domain/roles";
import { accept, refuse, type Outcome } from "../domain/problems";
import { holdStub } from "../stock/addressing";
import { paymentProvider } from "../payments";
import { TransientPaymentError } from "../payments/provider";
import type { OrderStatus } from "./lifecycle";
import { refundJob, shopperMessage } from "./outbox";
import type { OrderPatch, OrderStore, Transition } from "./store";

/** Why money goes back; a merchant's cancel of a paid order ends `cancelled`, every other refund `refunded`. */
export type RefundReason = "requested_by_merchant" | "cancelled_by_merchant" | "late_payment" | "refunded_at_provider" | "dispute_lost";

export interface RefundPlan {
  reason: RefundReason;
  restock: boolean;
  /** The statuses the order may be in when the refund is recorded. */
  from: readonly OrderStatus[];
  /** The intent whose money goes back; the order's current intent unless given (a late payment names its own). */
  intentId?: string;
  /** Facts the refund's record adds to the order (a late payment's intent). */
  patch?: OrderPatch;
  /** The merchant's key that asked for it (spec §12), named in `order.refund_requested`. */
  actor?: MerchantActor | undefined;
}

/**
 * Refunds are a two-phase transfer of money and stock (spec §§3, 5):
 *
 * 1. `record`: the order notes `refundStatus: pending`, whether to restock and
 *    why, by compare-and-swap, before anything moves, and in the same batch a
 *    delayed payments job that completes it. From then on a fulfil is
 *    refused, and every later attempt resumes this refund, never a new one.
 * 2. `complete`: the provider refunds (idempotent per order), each committed
 *    hold is returned by its SKU object (committed -> returned, once forever),
 *    and the order moves to its final status with `refundStatus: succeeded`.
 *
 * A crash or an outage anywhere between leaves a pending refund that the next
 * attempt, its follow-up job, or the hourly sweep completes.
 */
export class Refunds {
  constructor(
    private readonly env: Env,
    private readonly store: OrderStore,
  ) {}

  /** Records the refund; the order as it now stands (its refundStatus says whether one is recorded). */
  async record(orderId: string, now_ms: number, plan: RefundPlan): Promise<Outcome<OrderRow>> {
    const result = await this.store.transition(orderId, now_ms, (o) => {
      // The target is fixed here and never overwritten: a later attempt's intent is another payment.
      const target = plan.intentId ?? o.intentId;
      return target !== null && o.refundStatus === null && plan.from.includes(o.status)
        ? {
            to: o.status,
            event: "order.refund_requested",
            ...(plan.actor && { data: { actor: plan.actor } }),
            patch: {
              ...plan.patch,
              refundStatus: "pending",
              refundRestock: plan.restock,
              refundReason: plan.reason,
              refundIntentId: target,
            },
            // Nothing else may be left to finish it (a webhook answered, a worker died): the payments queue will.
            outbox: (next) => [refundJob(next, now_ms)],
          }
        : null;
    });
    return result.ok ? accept(result.value.order) : result;
  }

  /** Finishes a recorded refund; a no-op for an order with none pending. */
  async complete(orderId: string, items: readonly OrderItemRow[], now_ms: number): Promise<Transition> {
    const stored = await this.store.get(orderId);
    if (!stored) return refuse("not_found", "No such order.");
    if (stored.order.refundStatus !== "pending") return accept({ order: stored.order, moved: false });
    const { order } = stored;
    // Completing without a target would mark money returned that never was: a bug to surface, not a success.
    if (order.refundIntentId === null) throw new Error(`the pending refund of ${orderId} has no payment to refund`);
    const { refundId } = await paymentProvider(this.env, order.paymentProvider).refund(order.refundIntentId, orderId);
    const restocked = order.refundRestock ? await this.returnUnits(orderId, items) : false;
    const to: OrderStatus = order.refundReason === "cancelled_by_merchant" ? "cancelled" : "refunded";
    return this.store.transition(orderId, now_ms, (o) =>
      o.refundStatus === "pending"
        ? {
            to,
            event: to === "cancelled" ? "order.cancelled" : "order.refunded",
            patch: { refundStatus: "succeeded", refundId, restocked, refundedAmount: o.totalAmount },
            // A merchant's cancel of a paid order ends `cancelled`, but the shopper's money is coming back all the same.
            outbox: (next) => [shopperMessage(next, items, "order.refunded", now_ms)],
          }
        : null,
    );
  }

  /**
   * Refunds a payment that no order holds (found by reconciliation: its order
   * is gone, or another attempt's intent settled it, so the order has nothing
   * to record a second refund in). The provider's refund, keyed per intent,
   * is the record: asking again answers the first refund, never a second.
   */
  async refundStray(provider: OrderRow["paymentProvider"], intentId: string, orderId: string): Promise<{ refundId: string }> {
    return paymentProvider(this.env, provider).refund(intentId, orderId);
  }

  /**
   * Returns every committed hold of the order. A hold the object no longer
   * has was returned and then retired: committed holds are never deleted.
   * True when any unit came back.
   */
  private async returnUnits(orderId: string, items: readonly OrderItemRow[]): Promise<boolean> {
    const results = await Promise.all(items.map((i) => holdStub(this.env, i.holdId).returnHold(i.holdId, orderId)));
    const failed = results.find((r) => !r.ok && r.code !== "not_found" && r.code !== "hold_not_releasable");
    if (failed && !failed.ok) throw new Error(`return of ${orderId}'s holds refused: ${failed.code}`);
    return results.some((r) => r.ok || r.code === "not_found");
  }
}

/**
 * For a step that answers a person (a cancel, a pay-again): a late payment's
 * refund that met a provider outage stays recorded, and its follow-up job
 * finishes it; the person's answer is the order as it stands.
 */
export function refundFollowsUp(e: unknown): void {
  if (!(e instanceof TransientPaymentError)) throw e;
}
