import type { OrderItemRow, OrderRow } from "../db/schema";
import { enqueueNotifications, type Notification } from "../notifications/messages";
import { orderView } from "./view";

export type ShopperEvent = "order.confirmed" | "order.payment_failed" | "order.refunded";

/**
 * Tells the shopper (through the merchant's webhook) that their order moved.
 * The order travels without its client secret: notifications are logged when
 * no webhook is configured and stored by whoever receives them, and the secret
 * confirms a payment.
 */
export async function notifyShopper(
  queue: Queue,
  order: OrderRow,
  items: readonly OrderItemRow[],
  type: ShopperEvent,
  now_ms: number,
): Promise<void> {
  const { clientSecret: _secret, ...payment } = orderView(order, items).payment;
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
    data: { ...orderView(order, items), payment },
    atMs: now_ms,
  };
  await enqueueNotifications(queue, [message]);
}
