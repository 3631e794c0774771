import type { Levels } from "../../src/domain/types";

/** An operation of the model-based test. `pick` chooses among holds made so far. */
export type Op =
  | { kind: "hold"; customer: number; quantity: number }
  | { kind: "release"; pick: number }
  | { kind: "checkout"; pick: number }
  | { kind: "commit"; pick: number }
  | { kind: "return"; pick: number }
  /** The owner sets the hold's quantity in place (spec §3); 0 releases it. */
  | { kind: "change"; pick: number; quantity: number }
  | { kind: "adjust"; delta: number }
  | { kind: "advance"; ms: number }
  | { kind: "alarm" };

interface SaleTerms {
  limit: number;
  maxPerOrder: number;
  holdSeconds: number;
  paymentSeconds: number;
}

interface ModelHold {
  customer: string;
  quantity: number;
  status: "held" | "checkout" | "committed" | "released" | "expired" | "returned";
  expiresAt: number;
  orderId: string | null;
}

const DEFAULT_HOLD_SECONDS = 600;

/**
 * spec §§2-3 as plainly as they can be written: a list of holds and
 * three numbers. `apply` returns the verdict the real ledger must give.
 */
export class SkuModel {
  private onHand: number;
  private sold = 0;
  private returned = 0;
  private received: number;
  private readonly holds = new Map<string, ModelHold>();
  /** Hold ids in creation order, mirroring the test's list. */
  private readonly order: string[] = [];

  constructor(
    public now: number,
    stock: number,
    private readonly sale: SaleTerms | null,
  ) {
    this.onHand = stock;
    this.received = stock;
  }

  levels(): Levels {
    let reserved = 0;
    for (const h of this.holds.values()) if (live(h)) reserved += h.quantity;
    return {
      onHand: this.onHand,
      reserved,
      available: this.onHand - reserved,
      sold: this.sold,
      received: this.received,
      returned: this.returned,
    };
  }

  /** Holds past their deadline count as expired. */
  sweep(): void {
    for (const h of this.holds.values()) if (live(h) && h.expiresAt <= this.now) h.status = "expired";
  }

  apply(op: Op, holdIds: readonly string[]): string | null {
    switch (op.kind) {
      case "advance":
        this.now += op.ms;
        return null;
      case "alarm":
        this.sweep();
        return null;
      case "adjust": {
        this.sweep();
        if (this.levels().available + op.delta < 0) return "insufficient_stock";
        this.onHand += op.delta;
        this.received += op.delta;
        return "ok";
      }
      case "hold":
        return this.hold(`c${op.customer}`, op.quantity, holdIds.length);
      case "change":
        if (holdIds.length === 0) return null;
        return this.change(this.holds.get(this.order[op.pick % holdIds.length]!)!, op.quantity);
      default: {
        if (holdIds.length === 0) return null;
        const id = this.order[op.pick % holdIds.length]!;
        return this.transition(op.kind, this.holds.get(id)!, `order-${op.pick % 2}`);
      }
    }
  }

  private hold(customer: string, quantity: number, index: number): string {
    this.sweep();
    const { available } = this.levels();
    if (available <= 0) return "sold_out";
    if (this.sale && (quantity > this.sale.maxPerOrder || quantity > this.sale.limit - this.used(customer))) return "limit_exceeded";
    if (quantity > available) return "insufficient_stock";
    const id = `h${index}`;
    const seconds = this.sale?.holdSeconds ?? DEFAULT_HOLD_SECONDS;
    this.holds.set(id, { customer, quantity, status: "held", expiresAt: this.now + seconds * 1000, orderId: null });
    this.order.push(id);
    return "ok:held";
  }

  /** A held hold's new quantity: units added are a new hold's (the sale's limits, then the stock); 0 releases. */
  private change(h: ModelHold, quantity: number): string {
    this.sweep();
    if (quantity === 0) return this.transition("release", h, "");
    if (h.status === "released" || h.status === "expired") return "hold_expired";
    if (h.status !== "held") return "hold_not_releasable";
    const added = quantity - h.quantity;
    if (added > 0) {
      if (this.sale && (quantity > this.sale.maxPerOrder || added > this.sale.limit - this.used(h.customer))) return "limit_exceeded";
      if (added > this.levels().available) return "insufficient_stock";
    }
    h.quantity = quantity;
    return "ok:held";
  }

  /** Units the customer holds or bought. */
  private used(customer: string): number {
    let used = 0;
    for (const h of this.holds.values()) if (h.customer === customer && (live(h) || h.status === "committed")) used += h.quantity;
    return used;
  }

  private transition(kind: "release" | "checkout" | "commit" | "return", h: ModelHold, orderId: string): string {
    if (live(h) && h.expiresAt <= this.now) h.status = "expired";
    switch (kind) {
      case "release":
        if (h.status === "held") h.status = "released";
        if (h.status === "released" || h.status === "expired") return `ok:${h.status}`;
        return "hold_not_releasable";
      case "checkout":
        if (h.status === "checkout" && h.orderId === orderId) return "ok:checkout";
        if (!live(h)) return "hold_expired";
        if (h.status !== "held") return "hold_not_releasable";
        h.status = "checkout";
        h.orderId = orderId;
        h.expiresAt = Math.max(h.expiresAt, this.now + (this.sale?.paymentSeconds ?? 900) * 1000);
        return "ok:checkout";
      case "commit":
        // A commit names its order and applies only to a hold in checkout for it (spec §3).
        if (h.orderId !== orderId) return "not_found";
        if (h.status === "committed" || h.status === "returned") return `ok:${h.status}`;
        if (h.status !== "checkout") return "hold_expired";
        h.status = "committed";
        this.onHand -= h.quantity;
        this.sold += h.quantity;
        return "ok:committed";
      case "return":
        if (h.orderId !== orderId) return "not_found";
        if (h.status === "returned") return "ok:returned";
        if (h.status !== "committed") return "hold_not_releasable";
        h.status = "returned";
        this.onHand += h.quantity;
        this.sold -= h.quantity;
        this.returned += h.quantity;
        return "ok:returned";
    }
  }
}

function live(h: ModelHold): boolean {
  return h.status === "held" || h.status === "checkout";
}
