import type { OrderItemRow, OrderRow } from "../db/schema";
import type { Notification } from "../notifications/messages";
import { orderView } from "./view";

export type ShopperEvent = "order.confirmed" | "order.payment_failed" | "order.refunded";

/**
 * The notice that tells the shopper (through the merchant's webhook) that
 * their order moved; it goes out through the orders' outbox (./outbox.ts).
 * The order travels without its client secret: notifications are logged when
 * no webhook is configured and stored by whoever receives them, and the secret
 * confirms a payment. The id is stable per move, so a re-sent notice is the same notice.
 */
export function shopperNotification(order: OrderRow, items: readonly OrderItemRow[], type: ShopperEvent, now_ms: number): Notification {
  return {
    // Each attempt may fail on its own: the first keeps the id notifications always had.
    id:
      type === "order.payment_failed" && order.paymentAttempt > 1
        ? `order:${order.orderId}:${type}:${order.paymentAttempt}`
        : `order:${order.orderId}:${type}`,
    audience: "shopper",
    type,
    orderId: order.orderId,
    customerId: order.customerId,
    // The merchant's view: without the client secret.
    data: { ...orderView(order, items, "merchant") },
    atMs: now_ms,
  };
}
