import type { OrderRow } from "../db/schema";
import { unlessContended } from "./contended";
import { shopperMessage } from "./outbox";
import type { OrderStore } from "./store";

export type DisputeStatus = NonNullable<OrderRow["disputeStatus"]>;

/**
 * Money moved at the provider without us (a refund in its dashboard, a
 * cardholder's dispute): the order follows, so a refunded order is never
 * fulfilled. Our own refunds emit the same events; they are recognised by
 * their recorded target and leave the order to the refund's own completion.
 */
export class ProviderEvents {
  constructor(private readonly store: OrderStore) {}

  /** A charge of `intentId` was refunded in full; true when the order moved. */
  async refunded(intentId: string, now_ms: number): Promise<boolean> {
    const stored = await this.store.byIntent(intentId);
    if (!stored || stored.order.refundStatus !== null) return false;
    const moved = unlessContended(
      stored.order.orderId,
      await this.store.transition(stored.order.orderId, now_ms, (o) =>
        o.intentId === intentId && o.refundStatus === null && (o.status === "paid" || o.status === "fulfilled")
          ? {
              to: "refunded",
              event: "order.refunded",
              patch: {
                refundStatus: "succeeded",
                refundReason: "refunded_at_provider",
                refundIntentId: intentId,
                refundRestock: false,
                restocked: false,
                refundedAmount: o.totalAmount,
              },
              outbox: (next) => [shopperMessage(next, stored.items, "order.refunded", now_ms)],
            }
          : null,
      ),
    );
    return moved?.moved ?? false;
  }

  /**
   * Part of a charge of `intentId` was refunded (`amount_refunded` in total so
   * far): recorded, the order stays as it is. Events come out of order, so
   * only a larger total moves the record; true when it did.
   */
  async partlyRefunded(intentId: string, amountRefunded: number, now_ms: number): Promise<boolean> {
    const stored = await this.store.byIntent(intentId);
    if (!stored) return false;
    const moved = unlessContended(
      stored.order.orderId,
      await this.store.transition(stored.order.orderId, now_ms, (o) =>
        o.intentId === intentId && amountRefunded > o.refundedAmount && amountRefunded < o.totalAmount
          ? { to: o.status, event: "order.partially_refunded", patch: { refundedAmount: amountRefunded } }
          : null,
      ),
    );
    return moved?.moved ?? false;
  }

  /**
   * The dispute of a charge of `intentId` opened, changed or closed; true when
   * the order moved. A lost dispute took the money back: a paid or fulfilled
   * order ends `refunded` (reason `dispute_lost`, nothing restocked: the goods
   * may be gone), so it is never fulfilled and is listed with the refunded orders.
   */
  async disputed(intentId: string, status: DisputeStatus, now_ms: number): Promise<boolean> {
    const stored = await this.store.byIntent(intentId);
    if (!stored) return false;
    const moved = unlessContended(
      stored.order.orderId,
      await this.store.transition(stored.order.orderId, now_ms, (o) => {
        if (o.intentId !== intentId) return null;
        const settled = o.status === "paid" || o.status === "fulfilled";
        if (status === "lost" && settled && o.refundStatus === null) {
          return {
            to: "refunded",
            event: "order.dispute_lost",
            patch: {
              disputeStatus: status,
              refundStatus: "succeeded",
              refundReason: "dispute_lost",
              refundIntentId: intentId,
              refundRestock: false,
              restocked: false,
            },
            outbox: (next) => [shopperMessage(next, stored.items, "order.refunded", now_ms)],
          };
        }
        return o.disputeStatus !== status ? { to: o.status, event: `order.dispute_${status}`, patch: { disputeStatus: status } } : null;
      }),
    );
    return moved?.moved ?? false;
  }
}
