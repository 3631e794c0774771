import type { OrderRow } from "../db/schema";

export type OrderStatus = OrderRow["status"];

/**
 * SPEC section 5, plus two edges users of a payment API expect: a merchant
 * may cancel a paid order before fulfilment (refunding it), and a payment
 * that lands after the order gave up is refunded (`-> refunded`).
 */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ["paid", "payment_failed", "expired", "cancelled", "refunded"],
  paid: ["fulfilled", "refunded", "cancelled"],
  fulfilled: ["refunded"],
  payment_failed: ["refunded"],
  expired: ["refunded"],
  cancelled: ["refunded"],
  refunded: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}
