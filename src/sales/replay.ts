import { z } from "zod";

/**
 * The post-sale report's arithmetic (issue 10), replayed from a SKU's audit
 * events alone, never from the objects' counters: units received and sold,
 * each customer's units under the sale against its per-customer limit, and
 * per-bucket availability and hold rate. Pure: the caller feeds events in
 * time order, one SKU at a time.
 */

export interface ReplayEvent {
  stream: string;
  type: string;
  atMs: number;
  data: string;
}

const HoldFacts = z.object({
  hold: z.object({ holdId: z.string(), customerId: z.string(), quantity: z.number().int().positive(), saleId: z.string().nullable() }),
});
const LevelFacts = z.object({ levels: z.object({ available: z.number().int() }) });
const AdjustFacts = z.object({ delta: z.number().int() });
const RuleFacts = z.object({ saleId: z.string(), perCustomerLimit: z.number().int() });

export interface Violation {
  customerId: string;
  sku: string;
  units: number;
  limit: number;
}

export interface Point {
  at: string;
  available: number;
  holdsPerMinute: number;
}

/** The window's buckets: one a minute, wider when the window would need more than `max_points`. */
export interface Buckets {
  startMs: number;
  bucketMs: number;
  count: number;
}

export function bucketsOf(startMs: number, endMs: number, max_points: number): Buckets {
  const minutes = Math.max(0, Math.ceil((endMs - startMs) / 60_000));
  const bucketMs = 60_000 * Math.max(1, Math.ceil(minutes / max_points));
  return { startMs, bucketMs, count: minutes === 0 ? 0 : Math.ceil((endMs - startMs) / bucketMs) };
}

export class SkuReplay {
  received = 0;
  sold = 0;
  returned = 0;
  /** Units of this sale's holds that were committed and not returned. */
  soldInSale = 0;
  firstViolation: Violation | null = null;
  /** Events whose facts did not parse (an edited row; the audit verify names it). */
  unreadable = 0;
  private readonly usage = new Map<string, number>();
  /** Live or committed holds of this sale that count against their customer: id -> units. */
  private readonly counted = new Map<string, { customerId: string; units: number }>();
  private readonly latestAvailable = new Map<string, number>();
  private readonly points: Point[] = [];
  private bucket = 0;
  private holdsInBucket = 0;

  constructor(
    readonly sku: string,
    private readonly saleId: string,
    /** The sale's limit now; the log's `sale_rule.applied` events give the one in force at each hold. */
    private limit: number,
    private readonly buckets: Buckets,
  ) {}

  get customers(): number {
    return this.usage.size;
  }

  apply(e: ReplayEvent): void {
    this.closeBucketsBefore(e.atMs);
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      this.unreadable += 1;
      return;
    }
    const levels = LevelFacts.safeParse(data);
    if (levels.success) this.latestAvailable.set(e.stream, levels.data.levels.available);
    if (e.type === "sale_rule.applied") {
      const rule = RuleFacts.safeParse(data);
      if (rule.success && rule.data.saleId === this.saleId) this.limit = rule.data.perCustomerLimit;
      return;
    }
    if (e.type === "stock.adjusted") {
      const adj = AdjustFacts.safeParse(data);
      if (adj.success) this.received += adj.data.delta;
      else this.unreadable += 1;
      return;
    }
    if (!e.type.startsWith("hold.")) return;
    const facts = HoldFacts.safeParse(data);
    if (!facts.success) {
      this.unreadable += 1;
      return;
    }
    this.applyHold(e, facts.data.hold);
  }

  private applyHold(e: ReplayEvent, hold: z.infer<typeof HoldFacts>["hold"]): void {
    const q = hold.quantity;
    const ours = hold.saleId === this.saleId;
    switch (e.type) {
      case "hold.created":
        if (!ours) return;
        if (this.inWindow(e.atMs)) this.holdsInBucket += 1;
        this.counted.set(hold.holdId, { customerId: hold.customerId, units: q });
        this.use(hold.customerId, q);
        return;
      case "hold.changed": {
        // A quantity changed in place (spec §3): the customer's usage moves by the difference.
        const c = this.counted.get(hold.holdId);
        if (!c) return;
        this.counted.set(hold.holdId, { ...c, units: q });
        this.use(c.customerId, q - c.units);
        return;
      }
      case "hold.committed":
        this.sold += q;
        if (ours) this.soldInSale += q;
        return;
      case "hold.returned":
        this.sold -= q;
        this.returned += q;
        if (ours) this.soldInSale -= q;
        // A return frees the customer's allowance (spec §3), as a release does.
        this.uncount(hold.holdId);
        return;
      case "hold.released":
      case "hold.expired":
        this.uncount(hold.holdId);
        return;
      default:
        return;
    }
  }

  private use(customerId: string, units: number): void {
    const used = (this.usage.get(customerId) ?? 0) + units;
    this.usage.set(customerId, used);
    if (used > this.limit && this.firstViolation === null) {
      this.firstViolation = { customerId, sku: this.sku, units: used, limit: this.limit };
    }
  }

  private uncount(holdId: string): void {
    const c = this.counted.get(holdId);
    if (!c) return;
    this.counted.delete(holdId);
    this.usage.set(c.customerId, (this.usage.get(c.customerId) ?? 0) - c.units);
  }

  private inWindow(atMs: number): boolean {
    return atMs >= this.buckets.startMs && atMs < this.buckets.startMs + this.buckets.count * this.buckets.bucketMs;
  }

  /** Emits every bucket that ends at or before `atMs`, with the availability as of its end. */
  private closeBucketsBefore(atMs: number): void {
    const { startMs, bucketMs, count } = this.buckets;
    while (this.bucket < count && startMs + (this.bucket + 1) * bucketMs <= atMs) {
      let available = 0;
      for (const a of this.latestAvailable.values()) available += a;
      this.points.push({
        at: new Date(startMs + this.bucket * bucketMs).toISOString(),
        available,
        holdsPerMinute: (this.holdsInBucket * 60_000) / bucketMs,
      });
      this.holdsInBucket = 0;
      this.bucket += 1;
    }
  }

  /** Every bucket of the window, once all events were applied (the last one may be partial: the sale is live). */
  series(): Point[] {
    this.closeBucketsBefore(Number.POSITIVE_INFINITY);
    return this.points;
  }
}
