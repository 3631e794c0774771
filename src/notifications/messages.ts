import { z } from "zod";
import { MessageTraceparent, withTraceparent } from "../platform/trace";

/**
 * Messages on the `notifications` queue: one schema for the producers (the
 * SKU objects' outbox, the order flow) and the consumer. Each carries a stable
 * `id` so the consumer (and the receiving webhook) can drop the duplicates
 * that at-least-once delivery brings. Queue bodies are untrusted at the
 * consumer (an old producer, a manual `wrangler queues` send, a bad deploy),
 * so every message is parsed before delivery; one that does not parse is acked
 * and logged instead of being retried until it reaches the dead-letter queue.
 */
const id = z.string().min(1).max(200);
const atMs = z.number().int().nonnegative();
/** The trace of the work that raised it (src/platform/trace.ts): the consumer's lines carry it; it is not sent to the merchant. */
const traceparent = MessageTraceparent;

const ShopperNotificationSchema = z.object({
  id,
  audience: z.literal("shopper"),
  type: z.enum(["order.confirmed", "order.payment_failed", "order.refunded"]),
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  atMs,
  traceparent,
});

const StockNotificationSchema = z.object({
  id,
  audience: z.literal("merchant"),
  type: z.enum(["stock.low", "stock.sold_out", "stock.back_in_stock"]),
  sku: z.string().min(1),
  data: z.object({
    available: z.number().int(),
    onHand: z.number().int(),
    threshold: z.number().int().nonnegative().optional(),
    /** On a located SKU (spec §11) the alert may be one location's: its available, net of safety stock. */
    location: z.string().min(1).max(40).optional(),
  }),
  atMs,
  traceparent,
});

/**
 * A service-level objective breached, or back within bounds (issue 21,
 * src/metrics/alerts.ts): for whoever is on call for the sale.
 */
const SloNotificationSchema = z.object({
  id,
  audience: z.literal("merchant"),
  type: z.enum(["slo.breach", "slo.recovered"]),
  data: z.object({
    slo: z.string().min(1),
    value: z.number(),
    threshold: z.number(),
    unit: z.string(),
    /** When the breach began (for a recovery too, so the two pair up). */
    breachedAtMs: atMs,
    detail: z.record(z.string(), z.unknown()),
  }),
  atMs,
  traceparent,
});

/**
 * The global view (spec §11) is wrong or late: `drift` when a reconciliation
 * found D1 differing from the SKU's object (and repaired it), `lag` when an
 * object's oldest unshipped event is older than the allowed lag.
 */
const InventoryDriftNotificationSchema = z.object({
  id,
  audience: z.literal("merchant"),
  type: z.literal("inventory.drift"),
  sku: z.string().min(1),
  data: z.object({
    reason: z.enum(["drift", "lag"]),
    /** Rows that differed (drift), or events not yet in D1 (lag). */
    count: z.number().int().nonnegative(),
    lagMs: z.number().int().nonnegative().optional(),
    reconciliationId: z.string().optional(),
  }),
  atMs,
  traceparent,
});

export type InventoryDriftNotification = z.infer<typeof InventoryDriftNotificationSchema>;

const MerchantNotificationSchema = z.discriminatedUnion("type", [
  StockNotificationSchema,
  SloNotificationSchema,
  InventoryDriftNotificationSchema,
]);

export const NotificationSchema = z.discriminatedUnion("audience", [ShopperNotificationSchema, MerchantNotificationSchema]);
export type Notification = z.infer<typeof NotificationSchema>;

/** Queues notifications, at most 100 a call as Queues allow. */
export async function enqueueNotifications(queue: Queue, notifications: readonly Notification[]): Promise<void> {
  for (let i = 0; i < notifications.length; i += 100) {
    await queue.sendBatch(notifications.slice(i, i + 100).map((body) => ({ body: withTraceparent(body), contentType: "json" as const })));
  }
}
