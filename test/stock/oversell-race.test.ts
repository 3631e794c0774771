import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createSku, hold, levels, holdOf, problemOf, putSale, type Reply, shopperToken, unique } from "../support/helpers";

/** Fires every request at once and tallies the answers by status and code. */
async function stampede(n: number, attempt: (i: number) => Promise<Reply<unknown>>) {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => attempt(i)));
  const tally: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 201 ? "201" : `${r.status} ${problemOf(r).code}`;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return { results, tally };
}

/** The object's audit of its invariants (spec §2), as the merchant's stats report it. */
async function audit(sku: string) {
  return (await env.SKU.getByName(sku).stats())?.escrow.audit;
}

describe("zero oversell under a stampede", () => {
  it("grants exactly `stock` single-unit holds out of 400 concurrent attempts", async () => {
    const stock = 50;
    const sku = await createSku({ stock });
    const { results, tally } = await stampede(400, (i) => hold(sku, `racer-${i}`, 1));

    expect(tally).toEqual({ "201": stock, "409 sold_out": 400 - stock });
    const holdIds = results.filter((r) => r.status === 201).map((r) => holdOf(r).holdId);
    expect(new Set(holdIds).size).toBe(stock);
    expect(await levels(sku)).toEqual({ onHand: stock, reserved: stock, available: 0, sold: 0, received: stock });
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });

  it("never over-reserves with mixed quantities: granted units never exceed stock", async () => {
    const stock = 97;
    const sku = await createSku({ stock });
    const { results } = await stampede(300, (i) => hold(sku, `mixed-${i}`, 1 + (i % 4)));

    const granted = results.filter((r) => r.status === 201).reduce((sum, r) => sum + holdOf(r).quantity, 0);
    for (const r of results.filter((r) => r.status !== 201)) {
      expect(r.status).toBe(409);
      expect(["sold_out", "insufficient_stock"]).toContain(problemOf(r).code);
    }
    // Quantities 1-4 against 97 units: the last unit always fits a 1-unit request, so all are taken.
    expect(granted).toBe(stock);
    expect(await levels(sku)).toMatchObject({ onHand: stock, reserved: stock, available: 0 });
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });

  it("holds one customer to the per-customer limit when they race themselves", async () => {
    const sku = await createSku({ stock: 100, alwaysOn: false });
    const sale = await putSale(unique("race-sale"), [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 3 }]);
    expect(sale.status).toBe(201);
    const { tally } = await stampede(60, () => hold(sku, "greedy", 1));

    expect(tally).toEqual({ "201": 3, "409 limit_exceeded": 57 });
    expect(await levels(sku)).toMatchObject({ reserved: 3, available: 97 });
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });

  it("keeps invariants when holds and releases interleave", async () => {
    const stock = 20;
    const sku = await createSku({ stock });
    const first = await stampede(stock, (i) => hold(sku, `cycle-${i}`, 1));
    expect(first.tally).toEqual({ "201": stock });

    // Release every hold while 100 newcomers race for the freed units.
    const releases = first.results.map(async (r, i) =>
      call(`/v1/skus/${sku}/holds/${holdOf(r).holdId}`, { method: "DELETE", auth: await shopperToken(`cycle-${i}`) }),
    );
    const newcomers = stampede(100, (i) => hold(sku, `newcomer-${i}`, 1));
    const released = await Promise.all(releases);
    const { tally } = await newcomers;

    expect(released.every((r) => r.status === 200 && r.body.status === "released")).toBe(true);
    const after = await levels(sku);
    expect(after.reserved).toBe(tally["201"] ?? 0);
    expect(after.reserved).toBeLessThanOrEqual(stock);
    expect(after).toMatchObject({ onHand: stock, received: stock, sold: 0 });
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });
});
