/**
 * What the clients were told, kept on the client side: the acknowledged holds,
 * orders, adjustments and refunds that the final audit holds the service to,
 * and a tally of every operation by kind and outcome.
 */
import type { Request, Result } from "./client.ts";

export type OpKind =
  | "hold"
  | "release"
  | "checkout_holds"
  | "checkout_items"
  | "poll_order"
  | "refund"
  | "refund_again"
  | "fulfil"
  | "restock"
  | "list_orders"
  | "merchant_view"
  | "pay_again"
  | "transfer_create"
  | "transfer_receive"
  | "transfer_cancel"
  | "list_transfers";

/**
 * What became of an acknowledged hold, as far as its owner knows:
 * `open` (nothing done since the 201), `released` (DELETE answered),
 * `checkout` (an acknowledged order has it), `refused` (a checkout with it was
 * refused: it stays as it was), `unknown` (a checkout with it never got a
 * definite answer).
 */
export type HoldFate = "open" | "released" | "checkout" | "refused" | "unknown";

export interface HoldRecord {
  holdId: string;
  sku: string;
  customerId: string;
  quantity: number;
  expiresAtMs: number;
  ackedAtMs: number;
  fate: HoldFate;
  /** Status in the DELETE's answer (`released`, or `expired` if it lapsed first). */
  releasedAs?: string;
  orderId?: string;
  /** Acknowledged only through an order (items-mode checkout). */
  viaOrder?: boolean;
}

export interface OrderRecord {
  orderId: string;
  customerId: string;
  items: Array<{ sku: string; quantity: number; holdId: string }>;
  paymentMethod: string;
  ackedAtMs: number;
  expiresAtMs: number;
}

export interface RefundRecord {
  orderId: string;
  restock: boolean;
  status: number;
  code: string;
  orderStatus: string | null;
}

/** A request that never got a definite answer; the audit asks once more with the same key. */
export interface Unresolved {
  kind: OpKind;
  req: Request;
  /** Applies a definite answer to the ledger, like the shopper would have. */
  resolve: (status: number, body: any) => void;
}

export interface Suspicious {
  kind: OpKind;
  key: string | undefined;
  status: number;
  code: string;
  edge: boolean;
}

export class Ledger {
  readonly holds = new Map<string, HoldRecord>();
  readonly orders = new Map<string, OrderRecord>();
  /** Location transfers acknowledged (201), by id: units each acknowledged receipt moved, and whether a cancel was acknowledged. */
  readonly transfers = new Map<string, { quantity: number; receipts: number; cancelled: boolean }>();
  /** Acknowledged stock adjustments per SKU (the setup's restock included). */
  readonly adjusted = new Map<string, number>();
  readonly refunds: RefundRecord[] = [];
  readonly unresolved: Unresolved[] = [];
  /** Refusals answered to a retry whose earlier attempt's outcome was unknown. */
  readonly refusedAfterUnknown: Suspicious[] = [];
  /** ops[kind][outcome] = count; outcome is "201", "409 sold_out", "unresolved", ... */
  readonly ops: Record<string, Record<string, number>> = {};
  replayed = 0;
  retriedOps = 0;
  /** Holds whose 201 disagreed with the request (quantity, status). */
  readonly badAcks: string[] = [];

  /** Counts one operation's final result; returns its definite answer or null. */
  tally(kind: OpKind, req: Request, result: Result): (Result & { definite: true }) | null {
    const outcome = result.definite ? `${result.answer.status}${result.answer.code ? ` ${result.answer.code}` : ""}` : "unresolved";
    const byKind = this.ops[kind] ?? {};
    this.ops[kind] = byKind;
    byKind[outcome] = (byKind[outcome] ?? 0) + 1;
    if (result.attempts > 1) this.retriedOps++;
    if (!result.definite) return null;
    if (result.answer.replayed) this.replayed++;
    if (result.unknown > 0 && result.answer.status >= 400 && req.method !== "GET") {
      this.refusedAfterUnknown.push({
        kind,
        key: req.key,
        status: result.answer.status,
        code: result.answer.code,
        edge: result.answer.edge,
      });
    }
    return result;
  }

  addHold(h: Omit<HoldRecord, "fate"> & { fate?: HoldFate }): HoldRecord {
    const record: HoldRecord = { fate: "open", ...h };
    this.holds.set(h.holdId, record);
    return record;
  }

  /** An order the service acknowledged (202): its holds are now the order's. */
  addOrder(body: any, paymentMethod: string, now_ms: number): OrderRecord {
    const items = (body.items as Array<{ sku: string; quantity: number; holdId: string }>).map((i) => ({
      sku: i.sku,
      quantity: i.quantity,
      holdId: i.holdId,
    }));
    const order: OrderRecord = {
      orderId: body.orderId,
      customerId: body.customerId,
      items,
      paymentMethod,
      ackedAtMs: now_ms,
      expiresAtMs: Date.parse(body.expiresAt),
    };
    this.orders.set(order.orderId, order);
    for (const item of items) {
      const known = this.holds.get(item.holdId);
      if (known) {
        known.fate = "checkout";
        known.orderId = order.orderId;
      } else {
        this.addHold({
          holdId: item.holdId,
          sku: item.sku,
          customerId: order.customerId,
          quantity: item.quantity,
          expiresAtMs: order.expiresAtMs,
          ackedAtMs: now_ms,
          fate: "checkout",
          orderId: order.orderId,
          viaOrder: true,
        });
      }
    }
    return order;
  }

  adjust(sku: string, delta: number): void {
    this.adjusted.set(sku, (this.adjusted.get(sku) ?? 0) + delta);
  }
}
