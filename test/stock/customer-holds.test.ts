import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/maintenance";
import { customerHoldStatements, holdStatesIn } from "../../src/stock/customer-holds";
import { ADMIN, call, checkoutAs, createSku, expectProblem, hold, shopperToken, unique } from "../support/helpers";
import { flushOutbox } from "../support/outbox";

const myHolds = async (customerId: string) => call("/v1/me/holds", { auth: await shopperToken(customerId) });

describe("GET /v1/me/holds", () => {
  it("lists the caller's live holds across SKUs, soonest to expire first, once the objects have shipped them", async () => {
    const [a, b] = [await createSku({ stock: 10 }), await createSku({ stock: 10 })];
    const me = unique("me");
    const h1 = await hold(a, me, 2);
    const h2 = await hold(b, me, 1);
    await hold(a, unique("someone-else"), 1);
    expect([h1.status, h2.status]).toEqual([201, 201]);
    await Promise.all([flushOutbox(a), flushOutbox(b)]);

    const res = await myHolds(me);
    expect(res.status).toBe(200);
    expect(res.body.data.map((h: { holdId: string }) => h.holdId)).toEqual([h1.body.holdId, h2.body.holdId]);
    expect(res.body.data[0]).toEqual(h1.body);

    // Released and checked-out holds: the first leaves the list, the second shows `checkout` with its later deadline.
    expect((await call(`/v1/skus/${a}/holds/${h1.body.holdId}`, { method: "DELETE", auth: await shopperToken(me) })).body.status).toBe(
      "released",
    );
    const order = await checkoutAs(me, { holdIds: [h2.body.holdId], paymentMethod: "pm_card_authenticationRequired" });
    expect(order.status).toBe(202);
    await Promise.all([flushOutbox(a), flushOutbox(b)]);
    const after = await myHolds(me);
    expect(after.body.data).toHaveLength(1);
    expect(after.body.data[0]).toMatchObject({ holdId: h2.body.holdId, status: "checkout", orderId: order.body.orderId });
    expect(Date.parse(after.body.data[0].expiresAt)).toBeGreaterThanOrEqual(Date.parse(h2.body.expiresAt));
  });

  it("moves a hold forward only, whatever order events arrive in, and hides holds past their deadline", async () => {
    const sku = await createSku({ stock: 5 });
    const me = unique("me");
    const h = await hold(sku, me, 1);
    await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { method: "DELETE", auth: ADMIN });
    await flushOutbox(sku);
    // A batch re-sent after a crash carries the older `held` state: it must not undo `released`.
    const resent = holdStatesIn([{ type: "hold.created", atMs: Date.now(), body: { hold: h.body } }]);
    await env.DB.batch(customerHoldStatements(env.DB, resent));
    const row = await env.DB.prepare("SELECT status FROM customer_holds WHERE hold_id = ?").bind(h.body.holdId).first<{ status: string }>();
    expect(row?.status).toBe("released");
    expect((await myHolds(me)).body.data).toEqual([]);
    const h2 = await hold(sku, me, 1);
    await flushOutbox(sku);
    await env.DB.prepare("UPDATE customer_holds SET expires_at_ms = ? WHERE hold_id = ?")
      .bind(Date.now() - 1, h2.body.holdId)
      .run();
    expect((await myHolds(me)).body.data).toEqual([]);
  });

  it("is for shoppers: no token is 401, the merchant's is 403", async () => {
    expectProblem(await call("/v1/me/holds"), 401, "unauthorized");
    expectProblem(await call("/v1/me/holds", { auth: ADMIN }), 403, "forbidden");
    expectProblem(await call("/v1/me/orders", { auth: ADMIN }), 403, "forbidden");
  });

  it("forgets holds a day after they ended (the scheduled sweep)", async () => {
    const sku = await createSku({ stock: 5 });
    const me = unique("me");
    const h = await hold(sku, me, 1);
    await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { method: "DELETE", auth: ADMIN });
    await flushOutbox(sku);
    const count = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM customer_holds WHERE hold_id = ?").bind(h.body.holdId).first<{ n: number }>())!.n;
    expect(await count()).toBe(1);
    await runMaintenance(env, Date.now() + 25 * 60 * 60 * 1000);
    expect(await count()).toBe(0);
  });
});
