import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN, call, checkoutAs, createSku, expectProblem, hold, unique } from "../support/helpers";

/**
 * Issue 22 item 2: nobody skips the waiting room. The edge reads exactly the
 * sales live now (never a page of a SKU's sales), and the SKU's own object
 * refuses a hold under a queued sale unless the edge passed it a verified
 * admission, so one edge bug does not open the line (spec §9).
 */

const item = (sku: string) => ({ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 5 });
const iso = (ms: number) => new Date(ms).toISOString();

const made: Array<{ saleId: string; skus: string[] }> = [];
afterAll(async () => {
  // Ended, so their queue objects stop ticking before the runtime goes away.
  for (const { saleId, skus } of made) {
    const body = { name: "over", startsAt: iso(Date.now() - 7_200_000), endsAt: iso(Date.now() - 3_600_000), items: skus.map(item) };
    await call(`/v1/sales/${saleId}`, { method: "PUT", auth: ADMIN, body: { ...body, queue: { mode: "fifo" } } });
  }
  await new Promise((r) => setTimeout(r, 1_500));
});

async function putSale(saleId: string, skus: string[], startsAtMs: number, endsAtMs: number, queue?: Record<string, unknown>) {
  const res = await call(`/v1/sales/${saleId}`, {
    method: "PUT",
    auth: ADMIN,
    body: { name: `Sale ${saleId}`, startsAt: iso(startsAtMs), endsAt: iso(endsAtMs), items: skus.map(item), ...(queue ? { queue } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function queuedSale(sku: string) {
  const saleId = unique("qsale");
  made.push({ saleId, skus: [sku] });
  await putSale(saleId, [sku], Date.now() - 60_000, Date.now() + 3_600_000, { mode: "fifo" });
  return saleId;
}

describe("the queued-sale lookup", () => {
  it("finds the live queued sale of a SKU that has 100 or more unfinished sales", { timeout: 60_000 }, async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    // 100 later sales, one after another, stored before the live one.
    const later = Date.now() + 2 * 3_600_000;
    for (let i = 0; i < 100; i++) await putSale(unique("later"), [sku], later + i * 120_000, later + i * 120_000 + 60_000);
    await queuedSale(sku);
    expectProblem(await hold(sku, unique("skipper"), 1), 403, "admission_required");
    // Checkout by items uses the same lookup.
    expectProblem(
      await checkoutAs(unique("skipper"), { items: [{ sku, quantity: 1 }], paymentMethod: "pm_card_visa" }),
      403,
      "admission_required",
    );
  });
});

describe("the SKU object under a queued sale", () => {
  it("refuses a hold the edge did not pass a verified admission for, and takes one it did", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = await queuedSale(sku);
    const stub = env.SKU.getByName(sku);
    const refused = await stub.reserve({ customerId: unique("c"), quantity: 1 }, null);
    expect(refused).toMatchObject({ ok: false, code: "admission_required" });
    const otherSale = await stub.reserve({ customerId: unique("c"), quantity: 1, admittedTo: [unique("other")] }, null);
    expect(otherSale).toMatchObject({ ok: false, code: "admission_required" });
    const taken = await stub.reserve({ customerId: unique("c"), quantity: 1, admittedTo: [saleId] }, null);
    expect(taken.ok).toBe(true);
  });

  it("does not store the refusal under the key: the retry with an admission takes the hold", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = await queuedSale(sku);
    const stub = env.SKU.getByName(sku);
    const customerId = unique("c");
    const idem = { key: unique("k"), requestHash: "h" };
    expect(await stub.reserve({ customerId, quantity: 1 }, idem)).toMatchObject({ ok: false, code: "admission_required" });
    expect((await stub.reserve({ customerId, quantity: 1, admittedTo: [saleId] }, idem)).ok).toBe(true);
  });

  it("needs no admission outside a queued sale", async () => {
    const sku = await createSku({ stock: 5 });
    expect((await env.SKU.getByName(sku).reserve({ customerId: unique("c"), quantity: 1 }, null)).ok).toBe(true);
  });
});
