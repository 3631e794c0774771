import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/maintenance";
import { OrderStore } from "../../src/orders/store";
import { Refunds } from "../../src/orders/refunds";
import { holdStatus, objectSql } from "../support/inside-objects";
import {
  ADMIN,
  call,
  createSku,
  expectConserved,
  expectProblem,
  getOrder,
  hold,
  levels,
  putSale,
  returnedUnits,
  unique,
  paidOrder,
} from "../support/helpers";

/**
 * spec §§3 and 6: a refund is recorded before it returns units, so a retry,
 * a crash or the scheduled sweep finishes it without restocking twice.
 * Each test here failed on the code before the change that made it pass.
 */

const keyed = () => ({ "Idempotency-Key": unique("idem") });
const refund = (orderId: string, restock = true) =>
  call(`/v1/orders/${orderId}/refund`, { auth: ADMIN, body: { restock }, headers: keyed() });

describe("refunds are two-phase and restock once, forever", () => {
  it("restocks nothing twice when retried after every reply store has forgotten it", async () => {
    const sku = await createSku({ stock: 5 });
    const { orderId, holdId } = await paidOrder("rae", sku, 2);
    expect((await refund(orderId)).status).toBe(200);
    const after = await levels(sku);
    expect(after).toEqual({ onHand: 5, reserved: 0, available: 5, sold: 0, received: 5 });
    expect(await holdStatus(sku, holdId)).toBe("returned");

    // A week later: every idempotency reply is gone.
    await env.DB.prepare("DELETE FROM idempotency_replies").run();
    await objectSql(sku, "DELETE FROM idempotency");
    expect((await refund(orderId)).status).toBe(200);
    expect(await env.SKU.getByName(sku).returnHold(holdId, orderId)).toMatchObject({ ok: true, value: { status: "returned" } });
    expect(await levels(sku)).toEqual(after);
    expect(await returnedUnits(sku)).toBe(2);
    expectConserved(after);
  });

  it("frees the customer's allowance: returned units leave what they bought", async () => {
    const sku = await createSku({ stock: 10, alwaysOn: false });
    await putSale(unique("limited"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 2 }]);
    const { orderId } = await paidOrder("lim", sku, 2);
    expectProblem(await hold(sku, "lim", 1), 409, "limit_exceeded");
    expect((await refund(orderId)).status).toBe(200);
    expect((await hold(sku, "lim", 2)).status).toBe(201);
  });

  it("heals a crash between the provider and the database on the next attempt", async () => {
    const sku = await createSku({ stock: 4 });
    const { orderId, holdId } = await paidOrder("cid", sku, 1);
    const store = new OrderStore(env.DB, env);
    // The attempt recorded the refund and returned the units, then died before the order moved.
    await new Refunds(env, store).record(orderId, Date.now(), {
      reason: "requested_by_merchant",
      restock: true,
      from: ["paid", "fulfilled"],
    });
    expect(await env.SKU.getByName(sku).returnHold(holdId, orderId)).toMatchObject({ ok: true });
    expect((await getOrder(orderId)).body).toMatchObject({ status: "paid", refund: { status: "pending" } });

    const retry = await refund(orderId, false);
    // The recorded terms stand (restock: true), and the units came back once.
    expect(retry.body).toMatchObject({ status: "refunded", refund: { status: "succeeded", restocked: true } });
    expect(await levels(sku)).toMatchObject({ onHand: 4, sold: 0, received: 4 });
    expect(await returnedUnits(sku)).toBe(1);
  });

  it("refuses a fulfil racing a refund in progress, so money never goes back on a shipped order", async () => {
    const sku = await createSku({ stock: 4 });
    const { orderId } = await paidOrder("fio", sku, 1);
    await new Refunds(env, new OrderStore(env.DB, env)).record(orderId, Date.now(), {
      reason: "requested_by_merchant",
      restock: false,
      from: ["paid"],
    });
    const fulfil = await call(`/v1/orders/${orderId}/fulfill`, { method: "POST", auth: ADMIN, headers: keyed() });
    expectProblem(fulfil, 409, "invalid_order_state");
    expect(fulfil.body.detail).toMatch(/refund/);
    expect((await refund(orderId, false)).body).toMatchObject({ status: "refunded" });
  });

  it("finishes a refund whose request died, from the scheduled sweep", async () => {
    const sku = await createSku({ stock: 4 });
    const { orderId } = await paidOrder("swe", sku, 1);
    await new Refunds(env, new OrderStore(env.DB, env)).record(orderId, Date.now(), {
      reason: "requested_by_merchant",
      restock: true,
      from: ["paid"],
    });
    const swept = await runMaintenance(env, Date.now() + 120_000);
    expect(swept.refunds).toBeGreaterThanOrEqual(1);
    expect((await getOrder(orderId)).body).toMatchObject({ status: "refunded", refund: { status: "succeeded", restocked: true } });
    expect(await levels(sku)).toMatchObject({ onHand: 4, sold: 0 });
  });
});
