import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkout } from "../../src/orders/checkout";
import { backdateHold, holdStatus, objectSql } from "../support/inside-objects";
import {
  ADMIN,
  call,
  checkoutAs,
  createSku,
  expectConserved,
  expectProblem,
  hold,
  levels,
  putSale,
  shopperToken,
  unique,
  waitForStatus,
  type Order,
} from "../support/helpers";

/**
 * POST /v1/checkout end to end with the simulated provider: the order goes
 * through the real payments queue, whose consumer Miniflare runs by itself.
 */

const idem = () => ({ "Idempotency-Key": unique("idem") });

async function skuPricedIn(currency: string, stock: number, amount = 1000) {
  const sku = unique("sku");
  const put = await call(`/v1/skus/${sku}`, {
    method: "PUT",
    auth: ADMIN,
    body: { name: sku, price: { amount, currency }, alwaysOn: true },
  });
  expect(put.status).toBe(201);
  expect((await call(`/v1/skus/${sku}/adjustments`, { auth: ADMIN, body: { delta: stock, reason: "restock" } })).status).toBe(200);
  return sku;
}

describe("checkout with holds", () => {
  it("charges the sale price of the held units and commits them once paid", async () => {
    const sku = await createSku({ stock: 10, price: 5000, alwaysOn: false });
    expect((await putSale(unique("sale"), [{ sku, price: { amount: 3500, currency: "usd" }, perCustomerLimit: 5 }])).status).toBe(201);
    const h = (await hold(sku, "amy", 2)).body;
    expect(h.unitPrice).toEqual({ amount: 3500, currency: "usd" });

    const res = await checkoutAs("amy", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" }, idem());
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      customerId: "amy",
      status: "pending_payment",
      items: [{ sku, quantity: 2, unitAmount: 3500, holdId: h.holdId }],
      total: 7000,
      currency: "usd",
      holdIds: [h.holdId],
      payment: { provider: "simulated", status: null },
      refund: null,
    });
    expect(res.body.orderId).toMatch(/^ord_[0-9a-f]{24}$/);

    const paid = await waitForStatus(res.body.orderId, "paid");
    expect(paid.payment).toMatchObject({ provider: "simulated", status: "succeeded", intentId: expect.stringMatching(/^pi_/) });
    expect(paid.total).toBe(7000);
    expect(await holdStatus(sku, h.holdId)).toBe("committed");
    const after = await levels(sku);
    expect(after).toEqual({ onHand: 8, reserved: 0, available: 8, sold: 2, received: 10 });
    expectConserved(after);
  });

  it("fails a declined card with the reason and keeps the units held for a retry; cancelling puts them back", async () => {
    const sku = await createSku({ stock: 4 });
    const h = (await hold(sku, "bob", 3)).body;
    const res = await checkoutAs("bob", { holdIds: [h.holdId], paymentMethod: "pm_card_chargeDeclined" }, idem());
    expect(res.status).toBe(202);

    const failed = await waitForStatus(res.body.orderId, "payment_failed");
    expect(failed.payment).toMatchObject({ status: "failed", failureReason: "Your card was declined." });
    expect(await holdStatus(sku, h.holdId)).toBe("checkout");
    expect(await levels(sku)).toEqual({ onHand: 4, reserved: 3, available: 1, sold: 0, received: 4 });
    const cancelled = await call(`/v1/orders/${res.body.orderId}/cancel`, { method: "POST", auth: await shopperToken("bob") });
    expect(cancelled.body.status).toBe("cancelled");
    expect(await holdStatus(sku, h.holdId)).toBe("released");
    expect(await levels(sku)).toEqual({ onHand: 4, reserved: 0, available: 4, sold: 0, received: 4 });
  });

  it("refuses 410 hold_expired when one hold has expired, releasing the others", async () => {
    const [a, b] = [await createSku({ stock: 3 }), await createSku({ stock: 3 })];
    const ha = (await hold(a, "cat", 1)).body;
    const hb = (await hold(b, "cat", 2)).body;
    await backdateHold(b, hb.holdId);

    const res = await checkoutAs("cat", { holdIds: [ha.holdId, hb.holdId], paymentMethod: "pm_card_visa" }, idem());
    expectProblem(res, 410, "hold_expired");
    expect(res.body.sku).toBe(b);
    expect(await holdStatus(a, ha.holdId)).toBe("released");
    expect(await holdStatus(b, hb.holdId)).toBe("expired");
    expect(await levels(a)).toMatchObject({ reserved: 0, available: 3, sold: 0 });
    expect(await levels(b)).toMatchObject({ reserved: 0, available: 3, sold: 0 });
  });

  it("answers 404 for another shopper's hold and leaves it held", async () => {
    const sku = await createSku({ stock: 3 });
    const h = (await hold(sku, "dan", 2)).body;
    const res = await checkoutAs("eve", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" }, idem());
    expectProblem(res, 404, "not_found");
    expect(await holdStatus(sku, h.holdId)).toBe("held");
    expect(await levels(sku)).toMatchObject({ reserved: 2, available: 1 });
  });
});

describe("checkout with items", () => {
  it("holds every SKU, summing a repeated one, and sells them all when paid", async () => {
    const a = await createSku({ stock: 10, price: 1000 });
    const b = await createSku({ stock: 10, price: 250 });
    const res = await checkoutAs(
      "fay",
      {
        items: [
          { sku: a, quantity: 1 },
          { sku: b, quantity: 2 },
          { sku: a, quantity: 2 },
        ],
        paymentMethod: "pm_card_visa",
      },
      idem(),
    );
    expect(res.status).toBe(202);
    const bySku = Object.fromEntries(res.body.items.map((i: Order["items"][number]) => [i.sku, i]));
    expect(bySku[a]).toMatchObject({ quantity: 3, unitAmount: 1000 });
    expect(bySku[b]).toMatchObject({ quantity: 2, unitAmount: 250 });
    expect(res.body.items).toHaveLength(2);
    expect(res.body.total).toBe(3 * 1000 + 2 * 250);

    await waitForStatus(res.body.orderId, "paid");
    expect(await levels(a)).toEqual({ onHand: 7, reserved: 0, available: 7, sold: 3, received: 10 });
    expect(await levels(b)).toEqual({ onHand: 8, reserved: 0, available: 8, sold: 2, received: 10 });
  });

  it("is all or nothing: one short SKU is named in a 409 and no SKU keeps a reservation", async () => {
    const a = await createSku({ stock: 5 });
    const b = await createSku({ stock: 5 });
    const short = await createSku({ stock: 1 });
    const before = await Promise.all([a, b, short].map(levels));

    const res = await checkoutAs(
      "gil",
      {
        items: [
          { sku: a, quantity: 2 },
          { sku: short, quantity: 2 },
          { sku: b, quantity: 3 },
        ],
        paymentMethod: "pm_card_visa",
      },
      idem(),
    );
    expectProblem(res, 409, "insufficient_stock");
    expect(res.body).toMatchObject({ sku: short, available: 1 });

    expect(await Promise.all([a, b, short].map(levels))).toEqual(before);
    for (const l of before) expect(l.reserved).toBe(0);
    const live = (await objectSql<{ status: string }>(a, "SELECT status FROM holds")).map((r) => r.status);
    expect(live).toEqual(["released"]);
  });

  it("refuses items priced in two currencies with 400 and releases what it held", async () => {
    const usd = await skuPricedIn("usd", 5);
    const eur = await skuPricedIn("eur", 5);
    const res = await checkoutAs(
      "hal",
      {
        items: [
          { sku: usd, quantity: 1 },
          { sku: eur, quantity: 1 },
        ],
        paymentMethod: "pm_card_visa",
      },
      idem(),
    );
    expectProblem(res, 400, "invalid_request");
    expect(await levels(usd)).toMatchObject({ reserved: 0, available: 5 });
    expect(await levels(eur)).toMatchObject({ reserved: 0, available: 5 });
  });
});

describe("checkout idempotency", () => {
  it("replays the first 202 for the same key and body, without a second order or charge", async () => {
    const sku = await createSku({ stock: 5 });
    const h = (await hold(sku, "ivy", 2)).body;
    const headers = idem();
    const body = { holdIds: [h.holdId], paymentMethod: "pm_card_visa" };
    const first = await checkoutAs("ivy", body, headers);
    expect(first.status).toBe(202);
    await waitForStatus(first.body.orderId, "paid");

    const replay = await checkoutAs("ivy", body, headers);
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");

    const listed = await call(`/v1/orders?sku=${sku}`, { auth: ADMIN });
    expect(listed.body.data.map((o: Order) => o.orderId)).toEqual([first.body.orderId]);
    // Give a stray second payment job time to run: still sold once.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 0, available: 3, sold: 2, received: 5 });
  });

  it("answers 422 idempotency_key_reused for the same key with another body", async () => {
    const sku = await createSku({ stock: 5 });
    const h = (await hold(sku, "jay", 1)).body;
    const headers = idem();
    expect((await checkoutAs("jay", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" }, headers)).status).toBe(202);
    const reused = await checkoutAs("jay", { holdIds: [h.holdId], paymentMethod: "pm_card_mastercard" }, headers);
    expectProblem(reused, 422, "idempotency_key_reused");
    const listed = await call(`/v1/orders?sku=${sku}`, { auth: ADMIN });
    expect(listed.body.data).toHaveLength(1);
  });

  it("replays a refused items checkout with the same 409, naming the same SKU", async () => {
    const a = await createSku({ stock: 5 });
    const short = await createSku({ stock: 1 });
    const headers = idem();
    const body = {
      items: [
        { sku: a, quantity: 1 },
        { sku: short, quantity: 2 },
      ],
      paymentMethod: "pm_card_visa",
    };
    const first = await checkoutAs("kai", body, headers);
    expectProblem(first, 409, "insufficient_stock");
    const replay = await checkoutAs("kai", body, headers);
    expect({ status: replay.status, body: replay.body }).toEqual({ status: first.status, body: first.body });
    expect(await levels(a)).toMatchObject({ reserved: 0, available: 5 });
  });

  it("runs a retry afresh when the first attempt under the key failed midway", async () => {
    const a = await createSku({ stock: 3 });
    const flaky = await createSku({ stock: 3 });
    const input = {
      items: [
        { sku: a, quantity: 1 },
        { sku: flaky, quantity: 1 },
      ],
      paymentMethod: "pm_card_visa",
    };
    const idemKey = { key: `shopper:nia|checkout|${unique("idem")}`, requestHash: "same-request" };
    // The first attempt: the flaky SKU's object is unreachable, so the checkout gives up and releases a.
    const broken = {
      ...env,
      SKU: {
        getByName: (name: string) =>
          name === flaky ? { reserve: async () => Promise.reject(new Error("object unreachable")) } : env.SKU.getByName(name),
      },
    } as unknown as Env;
    await expect(checkout(broken, "nia", input, idemKey, Date.now())).rejects.toThrow("object unreachable");
    expect(await levels(a)).toMatchObject({ reserved: 0 });

    const retry = await checkout(env, "nia", input, idemKey, Date.now());
    expect(retry).toMatchObject({ ok: true, value: { status: "pending_payment" } });
    await waitForStatus((retry as { value: { orderId: string } }).value.orderId, "paid");
    expect(await levels(a)).toMatchObject({ sold: 1, reserved: 0 });
    expect(await levels(flaky)).toMatchObject({ sold: 1, reserved: 0 });
  });

  // The first attempt released hold a while refusing for expired hold b; re-running would find a
  // released and name a. The stored reply makes the replay answer exactly as the first time.
  it("replays a refused holds checkout with the same 410 body, naming the same SKU", async () => {
    const [a, b] = [await createSku({ stock: 3 }), await createSku({ stock: 3 })];
    const ha = (await hold(a, "max", 1)).body;
    const hb = (await hold(b, "max", 1)).body;
    await backdateHold(b, hb.holdId);
    const headers = idem();
    const body = { holdIds: [ha.holdId, hb.holdId], paymentMethod: "pm_card_visa" };
    const first = await checkoutAs("max", body, headers);
    expectProblem(first, 410, "hold_expired");
    const replay = await checkoutAs("max", body, headers);
    expect({ status: replay.status, body: replay.body }).toEqual({ status: first.status, body: first.body });
  });

  it("replays a refused mixed-currency checkout with the same 400", async () => {
    const usd = await skuPricedIn("usd", 5);
    const eur = await skuPricedIn("eur", 5);
    const headers = idem();
    const body = {
      items: [
        { sku: usd, quantity: 1 },
        { sku: eur, quantity: 1 },
      ],
      paymentMethod: "pm_card_visa",
    };
    const first = await checkoutAs("lou", body, headers);
    expectProblem(first, 400, "invalid_request");
    const replay = await checkoutAs("lou", body, headers);
    expect({ status: replay.status, code: replay.body.code }).toEqual({ status: 400, code: "invalid_request" });
    expect(await levels(usd)).toMatchObject({ reserved: 0, available: 5 });
  });
});
