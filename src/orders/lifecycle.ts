import type { OrderRow } from "../db/schema";

export type OrderStatus = OrderRow["status"];

/**
 * spec §5, plus the edges users of a payment API expect: a merchant
 * may cancel a paid order before fulfilment (refunding it), a payment that
 * lands after the order gave up is refunded (`-> refunded`), and a declined
 * payment may be retried while the order's holds live
 * (`payment_failed -> pending_payment`, POST /v1/orders/{orderId}/pay), and
 * a declined attempt that succeeds after all pays the order while its holds
 * live (`payment_failed -> paid`).
 */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ["paid", "payment_failed", "expired", "cancelled", "refunded"],
  paid: ["fulfilled", "refunded", "cancelled"],
  fulfilled: ["refunded"],
  // A declined order keeps its holds until its deadline: the shopper may pay again, cancel, or let it expire;
  // and the declined attempt's intent may still succeed (a failed intent can be confirmed again), paying it.
  payment_failed: ["pending_payment", "paid", "expired", "cancelled", "refunded"],
  expired: ["refunded"],
  cancelled: ["refunded"],
  refunded: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}
