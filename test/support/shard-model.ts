import fc from "fast-check";
import { shardOf } from "../../src/stock/addressing";

/**
 * The model of a SKU split into stock shards (spec §§2, 3 and 8), for
 * test/stock/shards/cross-shard.model.test.ts. It knows nothing of pools, allotments or
 * transfers: only what the whole SKU must look like from outside (holds, three
 * numbers and the sale's per-customer limit), plus which object owns each hold.
 */

/** An operation of the sharded model test. `pick` chooses among holds made so far. */
export type ShardOp =
  | { kind: "hold"; customer: number; quantity: number }
  | { kind: "release"; pick: number }
  | { kind: "expire"; pick: number }
  | { kind: "checkout"; pick: number }
  | { kind: "commit"; pick: number }
  | { kind: "void"; pick: number }
  | { kind: "return"; pick: number }
  /** The owner sets the hold's quantity in place (spec §3) on the object that owns it; 0 releases it. */
  | { kind: "change"; pick: number; quantity: number }
  | { kind: "restock"; units: number }
  | { kind: "shrink"; units: number }
  | { kind: "shards"; shards: number }
  /**
   * One transfer between the pool and shard `object` cut short by a crash:
   * `lost` stops after the sender's debit, `unposted` after the receiver's
   * credit, `twice` delivers and posts it twice. `evict` restarts one side
   * right after the sender's debit.
   */
  | {
      kind: "crash";
      from: "pool" | "shard";
      object: number;
      units: number;
      cut: "lost" | "unposted" | "twice";
      evict: "none" | "sender" | "receiver";
    }
  /** Every object's alarm runs with its pending transfers older than the re-delivery delay. */
  | { kind: "redeliver" }
  /** Restarts one object (`object` picks among the pool and every shard that ever existed). */
  | { kind: "restart"; object: number }
  /**
   * Holds at once, through the Worker's routing, from customers of the run's
   * small set (the same customer may ask twice, and the same customers come
   * back across bursts and shard-count changes), while the merchant changes
   * `shards`, shrinks, restocks, or one object restarts.
   */
  | {
      kind: "burst";
      requests: Array<{ customer: number; quantity: number }>;
      during: "nothing" | "shards" | "shrink" | "restock" | "restart";
      arg: number;
    };

export interface SaleTerms {
  limit: number;
  maxPerOrder: number;
}

export type HoldStatus = "held" | "checkout" | "committed" | "released" | "expired" | "returned";

export interface ModelHold {
  id: string;
  customer: string;
  quantity: number;
  status: HoldStatus;
  orderId: string | null;
  /** The object that owns it: null is the SKU's own object. */
  shard: number | null;
}

/** What a hold request may answer, given the units in flight between objects when it was made. */
export interface HoldExpectation {
  /** The answer if the SKU gives every unit it has, at once. */
  strict: "ok" | "limit_exceeded" | "stock";
  /** Answers also allowed because units in flight (not yet holdable) may or may not have landed. */
  alsoAllowed: ReadonlyArray<"ok" | "limit_exceeded" | "stock">;
}

export const MAX_MODEL_SHARDS = 6;
export const CUSTOMERS = 6;

export const shardOp: fc.Arbitrary<ShardOp> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("hold" as const),
      customer: fc.integer({ min: 0, max: CUSTOMERS - 1 }),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("expire" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("checkout" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("commit" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("void" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("return" as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("change" as const), pick: fc.nat(), quantity: fc.integer({ min: 0, max: 4 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("restock" as const), units: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shrink" as const), units: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shards" as const), shards: fc.integer({ min: 1, max: MAX_MODEL_SHARDS }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("crash" as const),
      from: fc.constantFrom("pool" as const, "shard" as const),
      object: fc.nat(),
      units: fc.integer({ min: 1, max: 4 }),
      cut: fc.constantFrom("lost" as const, "unposted" as const, "twice" as const),
      evict: fc.constantFrom("none" as const, "sender" as const, "receiver" as const),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: "redeliver" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("restart" as const), object: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("burst" as const),
      requests: fc.array(fc.record({ customer: fc.integer({ min: 0, max: CUSTOMERS - 1 }), quantity: fc.integer({ min: 1, max: 3 }) }), {
        minLength: 2,
        maxLength: 5,
      }),
      during: fc.constantFrom(
        "nothing" as const,
        "shards" as const,
        "shards" as const,
        "shrink" as const,
        "restock" as const,
        "restart" as const,
      ),
      arg: fc.integer({ min: 1, max: MAX_MODEL_SHARDS }),
    }),
  },
);

/** The transition verdicts of spec §3, as SkuModel states them (time never runs out here: `expire` ends holds). */
export class ShardModel {
  received: number;
  sold = 0;
  returned = 0;
  readonly holds: ModelHold[] = [];
  /** Shards that ever existed: the SKU's own object pushes settings to all of them. */
  span: number;

  constructor(
    stock: number,
    public shards: number,
    readonly sale: SaleTerms | null,
  ) {
    this.received = stock;
    this.span = shards;
  }

  get onHand(): number {
    return this.received - this.sold;
  }

  get reserved(): number {
    return this.holds.reduce((n, h) => n + (live(h) ? h.quantity : 0), 0);
  }

  get free(): number {
    return this.onHand - this.reserved;
  }

  /** Units a customer holds or bought in the sale, over every object of the SKU. */
  usage(customer: string): number {
    return this.holds.reduce((n, h) => n + (h.customer === customer && (live(h) || h.status === "committed") ? h.quantity : 0), 0);
  }

  /** Live units and committed units held by the object `shard` (null: the SKU's own object). */
  onObject(shard: number | null): { reserved: number; sold: number; liveHolds: number } {
    const mine = this.holds.filter((h) => h.shard === shard);
    return {
      reserved: mine.reduce((n, h) => n + (live(h) ? h.quantity : 0), 0),
      sold: mine.reduce((n, h) => n + (h.status === "committed" ? h.quantity : 0), 0),
      liveHolds: mine.filter(live).length,
    };
  }

  setShards(shards: number): void {
    this.shards = shards;
    this.span = Math.max(this.span, shards);
  }

  /**
   * A hold of `quantity` for `customer`, with `inFlight` units debited by one
   * object and not yet credited by another. Limits come first, except that a
   * SKU with nothing left says so (SkuLedger.reserve's order).
   */
  expectHold(customer: string, quantity: number, inFlight: number): HoldExpectation {
    const holdable = this.free - inFlight;
    const over = this.overLimit(customer, quantity);
    const verdict = (units: number): "ok" | "limit_exceeded" | "stock" =>
      units <= 0 ? "stock" : over ? "limit_exceeded" : quantity > units ? "stock" : "ok";
    const strict = verdict(holdable);
    const landed = verdict(this.free);
    return { strict, alsoAllowed: landed === strict ? [] : [landed] };
  }

  /** Whether the sale refuses this customer `quantity` more units. */
  overLimit(customer: string, quantity: number): boolean {
    return this.sale !== null && (quantity > this.sale.maxPerOrder || quantity > this.sale.limit - this.usage(customer));
  }

  /**
   * A change of `h` to `quantity` (SkuLedger.changeHold's order): the verdict
   * of one that adds no units (applied), or null for an increase, which
   * `expectIncrease` judges and `grow` applies once granted.
   */
  change(h: ModelHold, quantity: number): string | null {
    if (quantity === 0) return this.transition("release", h, "");
    if (h.status === "released" || h.status === "expired") return "hold_expired";
    if (h.status !== "held") return "hold_not_releasable";
    if (quantity > h.quantity) return null;
    h.quantity = quantity;
    return "ok:held";
  }

  /**
   * What an increase may answer: only the customer's home adds units (a hold
   * left where a change of the count moved them from says there is none),
   * then the sale's limits, then the stock, with units in flight counted either way.
   */
  expectIncrease(h: ModelHold, quantity: number, inFlight: number): HoldExpectation {
    const home = this.shards <= 1 ? null : shardOf(h.customer, this.shards);
    if (h.shard !== home) return { strict: "stock", alsoAllowed: [] };
    const added = quantity - h.quantity;
    if (this.sale && (quantity > this.sale.maxPerOrder || added > this.sale.limit - this.usage(h.customer))) {
      return { strict: "limit_exceeded", alsoAllowed: [] };
    }
    const verdict = (units: number): "ok" | "stock" => (added > units ? "stock" : "ok");
    const strict = verdict(this.free - inFlight);
    const landed = verdict(this.free);
    return { strict, alsoAllowed: landed === strict ? [] : [landed] };
  }

  addHold(h: ModelHold): void {
    this.holds.push(h);
  }

  pick(p: number): ModelHold | undefined {
    return this.holds.length === 0 ? undefined : this.holds[p % this.holds.length];
  }

  adjust(delta: number): void {
    this.received += delta;
  }

  expire(h: ModelHold): void {
    if (live(h)) h.status = "expired";
  }

  /** The verdict (`ok:<status>` or a problem code) the ledger must give, applied to the model. */
  transition(kind: "release" | "checkout" | "commit" | "void" | "return", h: ModelHold, orderId: string): string {
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
        return "ok:checkout";
      case "commit":
        if (h.orderId !== orderId) return "not_found";
        if (h.status === "committed" || h.status === "returned") return `ok:${h.status}`;
        if (h.status !== "checkout") return "hold_expired";
        h.status = "committed";
        this.sold += h.quantity;
        return "ok:committed";
      case "void":
        if (h.orderId !== orderId) return "not_found";
        if (h.status === "checkout") h.status = "released";
        if (h.status === "released" || h.status === "expired") return `ok:${h.status}`;
        return "hold_not_releasable";
      case "return":
        if (h.orderId !== orderId) return "not_found";
        if (h.status === "returned") return "ok:returned";
        if (h.status !== "committed") return "hold_not_releasable";
        h.status = "returned";
        this.sold -= h.quantity;
        this.returned += h.quantity;
        return "ok:returned";
    }
  }
}

export function live(h: { status: HoldStatus }): boolean {
  return h.status === "held" || h.status === "checkout";
}
