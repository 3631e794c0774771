/**
 * Dev tools (DEV_TOOLS=on in the test bindings): expire a hold now, shift a
 * sale's clock. Merchant only, and absent (404) unless the flag is on.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ADMIN, call, createSku, expectConserved, expectProblem, hold, levels, putSale, shopperToken, unique } from "../support/helpers";
import { flushOutbox } from "../support/outbox";

const expire = (holdId: string, auth: string = ADMIN) => call(`/v1/dev/holds/${holdId}/expire`, { method: "POST", auth });
const clock = (saleId: string, offsetSeconds: number, headers: Record<string, string> = {}) =>
  call(`/v1/dev/sales/${saleId}/clock`, { auth: ADMIN, body: { offsetSeconds }, headers });

describe("POST /v1/dev/holds/{holdId}/expire", () => {
  it("expires a live hold through the object's own expiry: units freed, hold.expired audited, once", async () => {
    const sku = await createSku({ stock: 5 });
    const customer = unique("dev-alice");
    const h = await hold(sku, customer, 2);
    expect(h.status).toBe(201);
    expect((await levels(sku)).reserved).toBe(2);

    const res = await expire(h.body.holdId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ holdId: h.body.holdId, status: "expired", quantity: 2 });
    const after = await levels(sku);
    expect({ reserved: after.reserved, available: after.available }).toEqual({ reserved: 0, available: 5 });
    expectConserved(after);
    // The owner sees it expired; checking it out is refused as for any expired hold.
    const mine = await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { auth: await shopperToken(customer) });
    expect(mine.body.status).toBe("expired");

    // Again: a no-op that returns the same hold.
    expect((await expire(h.body.holdId)).body).toEqual(res.body);
    await flushOutbox(sku);
    const audit = await call(`/v1/audit?stream=${encodeURIComponent(`sku:${sku}`)}`, { auth: ADMIN });
    expect(audit.body.data.filter((e: { type: string }) => e.type === "hold.expired")).toHaveLength(1);
  });

  it("is for the merchant only, and a hold nobody took is not found", async () => {
    const sku = await createSku({ stock: 1 });
    const h = await hold(sku, unique("dev-bob"), 1);
    expectProblem(await expire(h.body.holdId, await shopperToken("dev-bob")), 403, "forbidden");
    expectProblem(await expire(h.body.holdId, ""), 401, "unauthorized");
    expectProblem(await expire(`${h.body.holdId.slice(0, -4)}zzzz`), 404, "not_found");
    expect((await levels(sku)).reserved).toBe(1);
  });
});

describe("POST /v1/dev/sales/{saleId}/clock", () => {
  it("moves a sale's window as if offsetSeconds had passed, through the merchant's own sale write", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = unique("dev-sale");
    const put = await putSale(saleId, [{ sku, price: { amount: 900, currency: "usd" }, perCustomerLimit: 2 }], {
      startsInMs: 3_600_000,
      endsInMs: 7_200_000,
    });
    expect(put.status).toBe(201);
    const customer = unique("dev-carol");
    expectProblem(await hold(sku, customer, 1), 409, "sale_not_started");

    const started = await clock(saleId, 3_600, { "idempotency-key": `start-${saleId}` });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: "live", revision: 2 });
    expect(Date.parse(started.body.startsAt)).toBe(Date.parse(put.body.startsAt) - 3_600_000);
    expect(Date.parse(started.body.endsAt)).toBe(Date.parse(put.body.endsAt) - 3_600_000);
    expect(started.body.items[0]).toMatchObject({ sku, price: { amount: 900, currency: "usd" }, perCustomerLimit: 2 });
    expect((await hold(sku, customer, 1)).status).toBe(201);

    // A retry with the same key moves nothing twice.
    const replay = await clock(saleId, 3_600, { "idempotency-key": `start-${saleId}` });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.revision).toBe(2);

    const ended = await clock(saleId, 3_600);
    expect(ended.body).toMatchObject({ status: "ended", revision: 3 });
    expectProblem(await hold(sku, unique("dev-dave"), 1), 409, "sale_ended");
  });

  it("refuses a zero or out-of-range offset and an unknown sale, changing nothing", async () => {
    expectProblem(await clock(unique("dev-none"), 60), 404, "not_found");
    for (const bad of [0, 1.5, 400 * 86_400]) expectProblem(await clock("any-sale", bad), 400, "invalid_request");
  });
});

describe("without DEV_TOOLS=on", () => {
  it("answers 404 on every /v1/dev path, whoever asks, and expires nothing", async () => {
    const sku = await createSku({ stock: 2 });
    const h = await hold(sku, unique("dev-erin"), 1);
    const app = createApp();
    for (const flag of ["off", "", "true"]) {
      const res = await app.fetch(
        new Request(`https://holdfast.test/v1/dev/holds/${h.body.holdId}/expire`, { method: "POST", headers: { authorization: ADMIN } }),
        { ...env, DEV_TOOLS: flag },
        createExecutionContext(),
      );
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe("not_found");
    }
    expect((await levels(sku)).reserved).toBe(1);
  });
});
