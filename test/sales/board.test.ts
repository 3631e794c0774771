import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { ADMIN, call, createSku, hold, putSale, shopperToken, sleep, unique } from "../support/helpers";
import { endQueuedSalesAfterAll, liveQueuedSale } from "../support/queued-sales";

/** Issue 21: GET /v1/sales/{saleId}/board, every figure about this sale alone. */

const board = (saleId: string) => call(`/v1/sales/${saleId}/board`, { auth: ADMIN });
const item = (sku: string, perCustomerLimit = 2) => ({ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit });
const made = endQueuedSalesAfterAll();

describe("GET /v1/sales/{saleId}/board", () => {
  it("counts this sale's holds and its shoppers' refusals, not the SKU's lifetime counters or the merchant's refusals", async () => {
    const sku = await createSku({ stock: 10, alwaysOn: false });
    // Before any sale: a shopper's not_on_sale and the merchant's refused removal.
    expect((await hold(sku, unique("early"), 1)).body.code).toBe("not_on_sale");
    const removal = await call(`/v1/skus/${sku}/adjustments`, { auth: ADMIN, body: { delta: -50, reason: "shrinkage" } });
    expect(removal.status).toBe(409);

    const saleId = unique("board");
    expect((await putSale(saleId, [item(sku)], { startsInMs: -5 * 60_000 })).status).toBe(201);
    const ann = unique("ann");
    for (const customer of [ann, unique("bob"), unique("cy")]) expect((await hold(sku, customer, 2)).status).toBe(201);
    expect((await hold(sku, ann, 1)).body.code).toBe("limit_exceeded");
    const dropped = await hold(sku, unique("dee"), 1);
    expect((await call(`/v1/dev/holds/${dropped.body.holdId}/expire`, { auth: ADMIN, method: "POST" })).status).toBe(200);

    const res = await board(saleId);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.body).toMatchObject({ sale: { saleId, status: "live" }, recentSeconds: 60, queue: null });
    expect(res.body.items).toEqual([
      { sku, available: 4, status: "live", holdsRecent: 4, holdsCreated: 4, holdsExpired: 1, refusals: { limit_exceeded: 1 } },
    ]);

    // The post-sale report, replayed from the audit log, counts the same holds.
    await runDurableObjectAlarm(env.SKU.getByName(sku));
    const report = await call(`/v1/sales/${saleId}/report`, { auth: ADMIN });
    const points: Array<{ holdsPerMinute: number }> = report.body.series[0].points;
    expect(points.reduce((n, p) => n + p.holdsPerMinute, 0)).toBe(res.body.items[0].holdsCreated);
  });

  it("gives a second sale of the same SKU a board of its own", async () => {
    const sku = await createSku({ stock: 10, alwaysOn: false });
    const first = unique("first");
    expect((await putSale(first, [item(sku, 1)], { startsInMs: -10 * 60_000, endsInMs: 1_000 })).status).toBe(201);
    const cy = unique("cy");
    expect((await hold(sku, cy, 1)).status).toBe(201);
    expect((await hold(sku, cy, 1)).body.code).toBe("limit_exceeded");
    await sleep(1_100);
    const second = unique("second");
    expect((await putSale(second, [item(sku, 1)], { startsInMs: 0 })).status).toBe(201);
    const res = await board(second);
    expect(res.body.items[0]).toMatchObject({ holdsCreated: 0, holdsRecent: 0, holdsExpired: 0, refusals: {} });
    expect((await board(first)).body.items[0]).toMatchObject({ holdsCreated: 1, refusals: { limit_exceeded: 1 } });
  });

  it("shows the waiting room's line for a queued sale", async () => {
    // One unit for three in line: one admitted, two waiting.
    const sku = await createSku({ stock: 1, alwaysOn: false });
    const saleId = await liveQueuedSale(made, sku, "qboard");
    for (const c of [unique("w1"), unique("w2"), unique("w3")]) {
      expect((await call(`/v1/sales/${saleId}/queue`, { auth: await shopperToken(c), body: {} })).status).toBeLessThan(300);
    }
    // The first join wakes the queue, whose own alarm may already be mid-tick with two of the three: the next tick counts all.
    await vi.waitFor(
      async () => {
        await runDurableObjectAlarm(env.WAITING_ROOM.getByName(saleId));
        expect((await board(saleId)).body.queue).toMatchObject({ mode: "fifo", waiting: 2, admitted: 1 });
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  it("is the merchant's: a shopper is refused, an unknown sale is 404", async () => {
    expect((await call(`/v1/sales/${unique("nope")}/board`, { auth: await shopperToken("eve") })).status).toBe(403);
    expect((await board(unique("nope"))).status).toBe(404);
  });
});
