import { z } from "zod";
import type { Notification } from "./messages";

/**
 * Runtime shape of a `notifications` queue message. Queue bodies are untrusted at
 * the consumer (an old producer, a manual `wrangler queues` send, a bad deploy), so
 * every message is parsed before delivery; one that does not parse is acked and
 * logged instead of being retried until it reaches the dead-letter queue.
 */
const id = z.string().min(1).max(200);
const atMs = z.number().int().nonnegative();

export const ShopperNotificationSchema = z.object({
  id,
  audience: z.literal("shopper"),
  type: z.enum(["order.confirmed", "order.payment_failed", "order.refunded"]),
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  atMs,
});

export const MerchantNotificationSchema = z.object({
  id,
  audience: z.literal("merchant"),
  type: z.enum(["stock.low", "stock.sold_out", "stock.back_in_stock"]),
  sku: z.string().min(1),
  data: z.object({
    available: z.number().int(),
    onHand: z.number().int(),
    threshold: z.number().int().nonnegative().optional(),
  }),
  atMs,
});

export const NotificationSchema = z.discriminatedUnion("audience", [ShopperNotificationSchema, MerchantNotificationSchema]);

// Compile-time guard: the schema and the producers' `Notification` type must agree
// in both directions, so extending one without the other fails `tsc`.
type Parsed = z.infer<typeof NotificationSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesContract: Same<Parsed, Notification> = true;
void schemaMatchesContract;
