import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { SkuObject } from "../../src/objects/sku-object";
import { describe, expect, it } from "vitest";
import { apiKey } from "../support/api-keys";
import { ADMIN, call, expectProblem, hold, paidOrder, unique } from "../support/helpers";
import { flushOutbox } from "../support/outbox";
import { expectLocatedInvariants, located, locatedSku, registerLocation } from "../support/location-transfers";

/**
 * Keys scoped to locations (spec §12, issue 20 item 2): a scoped key sees and
 * changes only its locations, and the SKU's object refuses a location outside
 * the scope it is handed even when a route forgets to check.
 */

/** Two registered locations, a SKU stocking both, and keys scoped to each. */
async function twoWarehouses(stock: { a: number; b: number } = { a: 10, b: 5 }) {
  const [a, b] = [unique("wh-a"), unique("wh-b")];
  const sku = await locatedSku({ [a]: stock.a, [b]: stock.b });
  return { a, b, sku };
}

const adjust = (sku: string, auth: string, body: Record<string, unknown>) =>
  call(`/v1/skus/${sku}/adjustments`, { auth, body: { reason: "received", ...body } });

describe("a manager scoped to location A", () => {
  it("adjusts stock at A, and is refused at B (and without naming a location)", async () => {
    const { a, b, sku } = await twoWarehouses();
    const manager = await apiKey("manager", { locations: [a] });
    const atA = await adjust(sku, manager.auth, { delta: 3, location: a });
    expect(atA.status, JSON.stringify(atA.body)).toBe(200);
    expectProblem(await adjust(sku, manager.auth, { delta: 3, location: b }), 403, "forbidden");
    expectProblem(await adjust(sku, manager.auth, { delta: 3 }), 403, "forbidden");
    const now = await located(sku);
    expect(now.locations[a]!.onHand).toBe(13);
    expect(now.locations[b]!.onHand).toBe(5);
  });

  it("must name its location even on a SKU that stocks only that location", async () => {
    const a = unique("wh-a");
    const sku = await locatedSku({ [a]: 4 });
    const manager = await apiKey("manager", { locations: [a] });
    expectProblem(await adjust(sku, manager.auth, { delta: 1 }), 403, "forbidden");
    expect((await adjust(sku, manager.auth, { delta: 1, location: a })).status).toBe(200);
  });

  it("sees only A's levels of a SKU, with totals over what it sees", async () => {
    const { a, sku } = await twoWarehouses({ a: 10, b: 5 });
    const manager = await apiKey("manager", { locations: [a] });
    const res = await call(`/v1/skus/${sku}`, { auth: manager.auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.view).toBe("merchant");
    expect(res.body.locations.map((l: { location: string }) => l.location)).toEqual([a]);
    expect(res.body).toMatchObject({ onHand: 10, available: 10, reserved: 0, sold: 0, scope: [a] });
    expect(res.body.received).toBeUndefined();
  });

  it("stocks A at a SKU, not B", async () => {
    const { a, sku } = await twoWarehouses();
    const c = unique("wh-c");
    await registerLocation(c);
    const manager = await apiKey("manager", { locations: [a] });
    expect((await call(`/v1/skus/${sku}/locations/${a}`, { method: "PUT", auth: manager.auth, body: { safetyStock: 1 } })).status).toBe(
      200,
    );
    expectProblem(await call(`/v1/skus/${sku}/locations/${c}`, { method: "PUT", auth: manager.auth, body: {} }), 403, "forbidden");
  });

  it("lists only its locations, reads A, and is refused B", async () => {
    const { a, b } = await twoWarehouses();
    const manager = await apiKey("manager", { locations: [a] });
    const list = await call("/v1/locations?limit=100", { auth: manager.auth });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.data.map((l: { locationId: string }) => l.locationId)).toEqual([a]);
    expect((await call(`/v1/locations/${a}`, { auth: manager.auth })).status).toBe(200);
    expectProblem(await call(`/v1/locations/${b}`, { auth: manager.auth }), 403, "forbidden");
  });
});

describe("transfers between scoped warehouses", () => {
  it("are created by the source's manager, received only by the destination's, cancelled only by the source's", async () => {
    const { a, b, sku } = await twoWarehouses({ a: 10, b: 0 });
    const [managerA, managerB] = [await apiKey("manager", { locations: [a] }), await apiKey("manager", { locations: [b] })];
    expectProblem(await call("/v1/transfers", { auth: managerB.auth, body: { sku, from: a, to: b, quantity: 2 } }), 403, "forbidden");
    const created = await call("/v1/transfers", { auth: managerA.auth, body: { sku, from: a, to: b, quantity: 4 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.transferId as string;
    expectProblem(
      await call(`/v1/transfers/${id}/receive`, { method: "POST", auth: managerA.auth, body: { quantity: 1 } }),
      403,
      "forbidden",
    );
    const received = await call(`/v1/transfers/${id}/receive`, { method: "POST", auth: managerB.auth, body: { quantity: 1 } });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expectProblem(await call(`/v1/transfers/${id}/cancel`, { method: "POST", auth: managerB.auth }), 403, "forbidden");
    expect((await call(`/v1/transfers/${id}/cancel`, { method: "POST", auth: managerA.auth })).status).toBe(200);
    // Both ends read it; a key of a third location neither reads nor lists it.
    const c = unique("wh-c");
    const managerC = await apiKey("manager", { locations: [c] });
    expect((await call(`/v1/transfers/${id}`, { auth: managerB.auth })).status).toBe(200);
    expectProblem(await call(`/v1/transfers/${id}`, { auth: managerC.auth }), 403, "forbidden");
    expect((await call(`/v1/transfers?sku=${sku}`, { auth: managerA.auth })).body.data).toHaveLength(1);
    expect((await call(`/v1/transfers?sku=${sku}`, { auth: managerC.auth })).body.data).toEqual([]);
    await expectLocatedInvariants(sku);
  });
});

describe("fulfillment scoped to location A", () => {
  it("fulfils an order allocated at A, not one allocated at B, and lists only A's orders", async () => {
    const [a, b] = [unique("wh-a"), unique("wh-b")];
    const [skuA, skuB] = [await locatedSku({ [a]: 5 }), await locatedSku({ [b]: 5 })];
    const atA = await paidOrder(unique("cust"), skuA, 1);
    const atB = await paidOrder(unique("cust"), skuB, 1);
    const fulfillment = await apiKey("fulfillment", { locations: [a] });
    expectProblem(await call(`/v1/orders/${atB.orderId}/fulfill`, { method: "POST", auth: fulfillment.auth }), 403, "forbidden");
    const done = await call(`/v1/orders/${atA.orderId}/fulfill`, { method: "POST", auth: fulfillment.auth });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe("fulfilled");
    expect((await call(`/v1/orders/${atA.orderId}`, { auth: fulfillment.auth })).status).toBe(200);
    expectProblem(await call(`/v1/orders/${atB.orderId}`, { auth: fulfillment.auth }), 403, "forbidden");
    const listed = await call(`/v1/orders?limit=200`, { auth: fulfillment.auth });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const ids = listed.body.data.map((o: { orderId: string }) => o.orderId);
    expect(ids).toContain(atA.orderId);
    expect(ids).not.toContain(atB.orderId);
  });
});

describe("a SKU's holds list for a key scoped to A", () => {
  it("lists only the holds allocated at A", async () => {
    const { a, b, sku } = await twoWarehouses({ a: 0, b: 1 });
    const atB = await hold(sku, unique("cust"), 1);
    expect(atB.body.allocations, JSON.stringify(atB.body)).toEqual([{ location: b, quantity: 1 }]);
    expect((await adjust(sku, ADMIN, { delta: 1, location: a })).status).toBe(200);
    const atA = await hold(sku, unique("cust"), 1);
    expect(atA.body.allocations).toEqual([{ location: a, quantity: 1 }]);
    const viewer = await apiKey("viewer", { locations: [a] });
    const listed = await call(`/v1/skus/${sku}/holds`, { auth: viewer.auth });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((h: { holdId: string }) => h.holdId)).toEqual([atA.body.holdId]);
    expect((await call(`/v1/skus/${sku}/holds`, { auth: ADMIN })).body.data).toHaveLength(2);
  });
});

describe("a viewer scoped to location A", () => {
  it("reads A's levels only, in the SKU and the global view, and writes nothing", async () => {
    const { a, b, sku } = await twoWarehouses({ a: 6, b: 4 });
    const viewer = await apiKey("viewer", { locations: [a] });
    const view = await call(`/v1/skus/${sku}`, { auth: viewer.auth });
    expect(view.status).toBe(200);
    expect(view.body.locations.map((l: { location: string }) => l.location)).toEqual([a]);
    expect((await call(`/v1/inventory?location=${a}`, { auth: viewer.auth })).status).toBe(200);
    expectProblem(await call(`/v1/inventory?location=${b}`, { auth: viewer.auth }), 403, "forbidden");
    await flushOutbox(sku);
    const summary = await call(`/v1/inventory/summary?sku=${sku}`, { auth: viewer.auth });
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    expect(summary.body.data[0]).toMatchObject({ sku, byLocation: { [a]: 6 }, total: 6 });
    expect(Object.keys(summary.body.data[0].byLocation)).toEqual([a]);
    expectProblem(await adjust(sku, viewer.auth, { delta: 1, location: a }), 403, "forbidden");
    // Routes that are not limited to locations stay closed to a scoped key.
    expectProblem(await call("/v1/skus", { auth: viewer.auth }), 403, "forbidden");
  });
});

describe("the SKU object, without the route's check", () => {
  it("refuses a write and a read of a location outside the scope it is handed", async () => {
    const { a, b, sku } = await twoWarehouses({ a: 3, b: 3 });
    const stub = env.SKU.getByName(sku);
    const refused = await stub.adjust({ delta: 1, reason: "received", location: b }, null, {}, [a]);
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    expect(await stub.adjust({ delta: 1, reason: "received" }, null, {}, [a])).toMatchObject({ ok: false, code: "forbidden" });
    expect(await stub.stockLocation(b, 1, {}, [a])).toMatchObject({ ok: false, code: "forbidden" });
    const transfer = await stub.createLocationTransfer({ from: b, to: a, quantity: 1 }, { ifMatch: null, scope: [a] }, null);
    expect(transfer).toMatchObject({ ok: false, code: "forbidden" });
    const snapshot = await stub.merchantSnapshot([a]);
    expect(snapshot?.locations?.map((l) => l.location)).toEqual([a]);
    expect((await located(sku)).locations[b]!.onHand).toBe(3);
    // Unscoped (null), as every call but a scoped key's, the object serves every location.
    expect(await stub.adjust({ delta: 1, reason: "received", location: b }, null, {}, null)).toMatchObject({ ok: true });
  });
});

describe("the route, without the object's check", () => {
  it("refuses a scoped key's write outside its scope while the object's check is switched off", async () => {
    const { a, b, sku } = await twoWarehouses({ a: 3, b: 3 });
    const manager = await apiKey("manager", { locations: [a] });
    const stub = env.SKU.getByName(sku);
    // The object's own check off: every call it gets is served as unscoped.
    const restore = await runInDurableObject(stub, (object: SkuObject) => {
      const proto = Object.getPrototypeOf(object) as SkuObject;
      const adjust = proto.adjust;
      proto.adjust = function (this: SkuObject, input, idem, write) {
        return adjust.call(this, input, idem, write, null);
      };
      return () => {
        proto.adjust = adjust;
      };
    });
    try {
      // The switch works: the object now serves B to a call scoped to A.
      expect(await stub.adjust({ delta: 1, reason: "received", location: b }, null, {}, [a])).toMatchObject({ ok: true });
      expectProblem(await adjust(sku, manager.auth, { delta: 5, location: b }), 403, "forbidden");
      expectProblem(await adjust(sku, manager.auth, { delta: 5 }), 403, "forbidden");
    } finally {
      restore();
    }
    expect((await located(sku)).locations[b]!.onHand).toBe(4);
    expect(await stub.adjust({ delta: 1, reason: "received", location: b }, null, {}, [a])).toMatchObject({ ok: false, code: "forbidden" });
  });
});

describe("the transfer routes, without the object's check", () => {
  it("refuse a receipt by the source's manager while the object serves every call as unscoped", async () => {
    const { a, b, sku } = await twoWarehouses({ a: 5, b: 0 });
    const managerA = await apiKey("manager", { locations: [a] });
    const created = await call("/v1/transfers", { auth: managerA.auth, body: { sku, from: a, to: b, quantity: 2 } });
    expect(created.status).toBe(201);
    const id = created.body.transferId as string;
    const stub = env.SKU.getByName(sku);
    const restore = await runInDurableObject(stub, (object: SkuObject) => {
      const proto = Object.getPrototypeOf(object) as SkuObject;
      const receive = proto.receiveLocationTransfer;
      proto.receiveLocationTransfer = function (this: SkuObject, transferId, quantity, ctx, idem) {
        return receive.call(this, transferId, quantity, { ...ctx, scope: null }, idem);
      };
      return () => {
        proto.receiveLocationTransfer = receive;
      };
    });
    try {
      expectProblem(await call(`/v1/transfers/${id}/receive`, { method: "POST", auth: managerA.auth }), 403, "forbidden");
    } finally {
      restore();
    }
    expect((await located(sku)).locations[b]!.onHand).toBe(0);
  });
});
