import { z } from "@hono/zod-openapi";
import { ORDER_ID_PATTERN } from "../domain/ids";
import { Allocation } from "../domain/locations";

export const OrderStatus = z.enum(["pending_payment", "paid", "fulfilled", "payment_failed", "expired", "cancelled", "refunded"]);

export const OrderId = z
  .string()
  .regex(ORDER_ID_PATTERN, "an order id as returned by POST /v1/checkout")
  .openapi({ param: { name: "orderId", in: "path" } });

export const Order = z
  .object({
    orderId: z.string(),
    customerId: z.string(),
    status: OrderStatus,
    items: z.array(
      z.object({
        sku: z.string(),
        quantity: z.number().int(),
        unitAmount: z.number().int(),
        holdId: z.string(),
        allocations: z.array(Allocation).optional().openapi({
          description: "On a located SKU (spec §11): where the hold's units were allocated; fulfilment, cancel and a restock follow it.",
        }),
      }),
    ),
    total: z.number().int(),
    currency: z.string(),
    holdIds: z.array(z.string()),
    payment: z.object({
      provider: z.enum(["stripe", "simulated"]),
      status: z
        .enum(["requires_action", "processing", "succeeded", "failed"])
        .nullable()
        .openapi({ description: "The provider's answer to the current attempt; null until it has answered." }),
      attempt: z
        .number()
        .int()
        .min(1)
        .openapi({ description: "1 for the checkout's charge, +1 for each `POST /v1/orders/{orderId}/pay` after a decline." }),
      intentId: z.string().optional(),
      clientSecret: z.string().optional().openapi({
        description: "Shown to the owning shopper only, and only while the order is `pending_payment` (3-D Secure confirms with it).",
      }),
      failureReason: z.string().optional(),
    }),
    refund: z
      .object({
        status: z
          .enum(["pending", "succeeded"])
          .openapi({ description: "`pending` from the moment a refund is recorded until money and stock have moved." }),
        refundId: z.string().nullable(),
        reason: z.string().nullable(),
        restocked: z.boolean().openapi({ description: "Whether committed units went back on hand (each hold `committed -> returned`)." }),
      })
      .nullable(),
    refundedAmount: z.number().int().nonnegative().openapi({
      description: "Minor units refunded at the provider so far; a partial refund in its dashboard leaves the status as it is.",
    }),
    disputeStatus: z.enum(["open", "won", "lost"]).nullable().openapi({
      description:
        "A cardholder's dispute of the payment: while `open` or once `lost` the order cannot be fulfilled; a lost one ends `refunded`.",
    }),
    expiresAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Order");
