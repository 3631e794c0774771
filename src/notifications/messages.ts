/**
 * Messages on the `notifications` queue. Each carries a stable `id` so the
 * consumer (and the receiving webhook) can drop the duplicates that
 * at-least-once delivery brings.
 */
export type Notification =
  | {
      id: string;
      audience: "shopper";
      type: "order.confirmed" | "order.payment_failed" | "order.refunded";
      orderId: string;
      customerId: string;
      data: Record<string, unknown>;
      atMs: number;
    }
  | {
      id: string;
      audience: "merchant";
      type: "stock.low" | "stock.sold_out" | "stock.back_in_stock";
      sku: string;
      data: { available: number; onHand: number; threshold?: number };
      atMs: number;
    };

/** Queues notifications, at most 100 a call as Queues allow. */
export async function enqueueNotifications(queue: Queue, notifications: readonly Notification[]): Promise<void> {
  for (let i = 0; i < notifications.length; i += 100) {
    await queue.sendBatch(notifications.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const })));
  }
}
