import type { OrderItemRow, OrderRow } from "../db/schema";
import type { Allocation } from "../domain/locations";
import { iso } from "../stock/offer";

/** The API's order (spec §5). */
export interface OrderView {
  orderId: string;
  customerId: string;
  status: OrderRow["status"];
  items: Array<{ sku: string; quantity: number; unitAmount: number; holdId: string; allocations?: Allocation[] }>;
  total: number;
  currency: string;
  holdIds: string[];
  payment: {
    provider: OrderRow["paymentProvider"];
    status: "requires_action" | "processing" | "succeeded" | "failed" | null;
    attempt: number;
    intentId?: string;
    clientSecret?: string;
    failureReason?: string;
  };
  refund: { status: "pending" | "succeeded"; refundId: string | null; reason: string | null; restocked: boolean } | null;
  /** Minor units refunded at the provider so far: a partial refund made in its dashboard leaves the order as it is. */
  refundedAmount: number;
  disputeStatus: OrderRow["disputeStatus"];
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

/** Who reads the order: only its owner sees the client secret. */
export type OrderViewer = "owner" | "merchant";

/**
 * The order as `viewer` sees it. The client secret confirms the payment, so
 * only the owning shopper gets it (their page confirms 3-D Secure with it),
 * and only while the order waits on them (every other move clears it).
 */
export function orderView(order: OrderRow, items: readonly OrderItemRow[], viewer: OrderViewer = "merchant"): OrderView {
  const payment: OrderView["payment"] = {
    provider: order.paymentProvider,
    status: order.paymentStatus as OrderView["payment"]["status"],
    attempt: order.paymentAttempt,
  };
  if (order.intentId) payment.intentId = order.intentId;
  if (order.clientSecret && viewer === "owner") payment.clientSecret = order.clientSecret;
  if (order.failureReason) payment.failureReason = order.failureReason;
  const sorted = [...items].sort((a, b) => (a.holdId < b.holdId ? -1 : 1));
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: order.status,
    // An unlocated SKU's item is as it always was: no `allocations` member at all.
    items: sorted.map((i) => ({
      sku: i.sku,
      quantity: i.quantity,
      unitAmount: i.unitAmount,
      holdId: i.holdId,
      ...(i.allocations && { allocations: i.allocations }),
    })),
    total: order.totalAmount,
    currency: order.currency,
    holdIds: sorted.map((i) => i.holdId),
    payment,
    refund: order.refundReason
      ? {
          status: order.refundStatus ?? "succeeded",
          refundId: order.refundId,
          reason: order.refundReason,
          restocked: order.restocked ?? false,
        }
      : null,
    refundedAmount: order.refundedAmount,
    disputeStatus: order.disputeStatus,
    expiresAt: iso(order.expiresAtMs),
    createdAt: iso(order.createdAtMs),
    updatedAt: iso(order.updatedAtMs),
  };
}
