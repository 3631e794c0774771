import type { MerchantActor } from "../domain/roles";
import type { OrderRow } from "../db/schema";
import { accept, refuse, type Outcome } from "../domain/problems";
import { paymentProvider } from "../payments";
import { releaseHolds } from "./checkout";
import { orderScopeRefusal, shipsFromRefusal } from "./fulfilment";
import type { LocationScope } from "../stock/location-scope";
import { OrderFlowCore } from "./flow-core";
import { refundFollowsUp } from "./refunds";
import { orderView, type OrderView } from "./view";

/** The second layer of the order flow (see ./flow.ts): the merchant's (and the shopper's) cancel, fulfil and refund. */
export class OrderFlowActions extends OrderFlowCore {
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
}
