import { describe, expect, it } from "vitest";
import { bucketsOf, SkuReplay } from "../../src/sales/replay";

/** The post-sale report's replay (issue 10), on events built by hand. */

const MIN = 60_000;
const created = (holdId: string, customerId: string, quantity: number, atMs: number, available: number, saleId = "s") => ({
  stream: "sku:k",
  type: "hold.created",
  atMs,
  data: JSON.stringify({ hold: { holdId, customerId, quantity, saleId }, levels: { available } }),
});
const ended = (type: string, holdId: string, customerId: string, quantity: number, atMs: number) => ({
  stream: "sku:k",
  type,
  atMs,
  data: JSON.stringify({ hold: { holdId, customerId, quantity, saleId: "s" } }),
});

describe("bucketsOf", () => {
  it("gives one bucket a minute, and wider buckets so a long window stays within the bound", () => {
    expect(bucketsOf(0, 10 * MIN, 1_440)).toEqual({ startMs: 0, bucketMs: MIN, count: 10 });
    const week = bucketsOf(0, 7 * 24 * 60 * MIN, 1_440);
    expect(week.bucketMs).toBe(7 * MIN);
    expect(week.count).toBeLessThanOrEqual(1_440);
    expect(bucketsOf(5, 5, 1_440).count).toBe(0);
  });
});

describe("SkuReplay", () => {
  it("counts a customer's units under the sale, freed by release, expiry and return, against the limit in force", () => {
    const r = new SkuReplay("k", "s", 2, bucketsOf(0, 3 * MIN, 1_440));
    r.apply(created("h1", "ann", 2, 1_000, 8));
    r.apply(ended("hold.released", "h1", "ann", 2, 2_000));
    r.apply(created("h2", "ann", 2, 3_000, 8));
    r.apply(ended("hold.committed", "h2", "ann", 2, 4_000));
    r.apply(ended("hold.returned", "h2", "ann", 2, 5_000));
    r.apply(created("h3", "ann", 1, MIN + 1, 9));
    // Another sale's holds do not count against this one.
    r.apply(created("h4", "ann", 5, MIN + 2, 4, "other"));
    expect(r.firstViolation).toBeNull();
    r.apply({ stream: "sku:k", type: "sale_rule.applied", atMs: MIN + 3, data: JSON.stringify({ saleId: "s", perCustomerLimit: 1 }) });
    r.apply(created("h5", "ann", 1, MIN + 4, 3));
    expect(r.firstViolation).toEqual({ customerId: "ann", sku: "k", units: 2, limit: 1 });
    expect({ sold: r.sold, returned: r.returned, customers: r.customers }).toEqual({ sold: 0, returned: 2, customers: 1 });
    expect(r.series()).toEqual([
      { at: new Date(0).toISOString(), available: 8, holdsPerMinute: 2 },
      { at: new Date(MIN).toISOString(), available: 3, holdsPerMinute: 2 },
      { at: new Date(2 * MIN).toISOString(), available: 3, holdsPerMinute: 0 },
    ]);
  });

  it("counts an unreadable event instead of trusting it", () => {
    const r = new SkuReplay("k", "s", 2, bucketsOf(0, MIN, 1_440));
    r.apply({ stream: "sku:k", type: "stock.adjusted", atMs: 1, data: "{not json" });
    r.apply({ stream: "sku:k", type: "hold.created", atMs: 2, data: JSON.stringify({ hold: { quantity: -1 } }) });
    expect(r.unreadable).toBe(2);
    expect(r.received).toBe(0);
  });
});
