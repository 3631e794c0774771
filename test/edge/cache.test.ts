import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, hold, putSale, unique } from "../support/helpers";

const TTL_MS = 1_000;
const pastTtl = () => new Promise((r) => setTimeout(r, TTL_MS + 250));
const publicGet = (sku: string, headers: Record<string, string> = {}) => call(`/v1/skus/${sku}`, { headers });

describe("public reads at the edge", () => {
  it("serves a repeat read from the cache with Cache-Control and a working ETag", async () => {
    const sku = await createSku({ stock: 5 });
    const first = await publicGet(sku);
    const second = await publicGet(sku);
    expect(first.headers.get("holdfast-cache")).toBe("miss");
    expect(second.headers.get("holdfast-cache")).toBe("hit");
    expect(second.body).toEqual(first.body);
    expect(first.headers.get("cache-control")).toBe("public, max-age=1");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{32}"$/);
    const revalidated = await publicGet(sku, { "if-none-match": etag });
    expect(revalidated.status).toBe(304);
  });

  it("shows a hold in the public view within the TTL, never sooner than the cache allows", async () => {
    const sku = await createSku({ stock: 5 });
    expect((await publicGet(sku)).body.available).toBe(5);
    expect((await hold(sku, "ana", 2)).status).toBe(201);
    // Still the cached copy: holds do not purge (they would empty the cache in a stampede).
    expect((await publicGet(sku)).body.available).toBe(5);
    await pastTtl();
    const fresh = await publicGet(sku);
    expect(fresh.headers.get("holdfast-cache")).toBe("miss");
    expect(fresh.body.available).toBe(3);
  });

  it("never caches the merchant view", async () => {
    const sku = await createSku({ stock: 5 });
    await call(`/v1/skus/${sku}`, { auth: ADMIN });
    expect((await hold(sku, "ben", 1)).status).toBe(201);
    const merchant = await call(`/v1/skus/${sku}`, { auth: ADMIN });
    expect(merchant.headers.get("cache-control")).toBe("private, no-store");
    expect(merchant.headers.get("holdfast-cache")).toBeNull();
    expect(merchant.body.reserved).toBe(1);
  });

  it("caches sales and unknown SKUs too, so floods of either stay off the objects", async () => {
    const sku = await createSku({ stock: 3, alwaysOn: false });
    const saleId = unique("edge-sale");
    expect((await putSale(saleId, [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }])).status).toBe(201);
    expect((await call(`/v1/sales/${saleId}`)).headers.get("holdfast-cache")).toBe("miss");
    expect((await call(`/v1/sales/${saleId}`)).headers.get("holdfast-cache")).toBe("hit");
    const ghost = unique("ghost");
    expectProblem(await publicGet(ghost), 404, "not_found");
    const again = await publicGet(ghost);
    expectProblem(again, 404, "not_found");
    expect(again.headers.get("holdfast-cache")).toBe("hit");
  });
});

describe("the sold-out cut", () => {
  it("refuses holds at the edge while the cached state says sold out, with the object's own problem", async () => {
    const sku = await createSku({ stock: 1 });
    expect((await hold(sku, "cat", 1)).status).toBe(201);
    const fromObject = await hold(sku, "dan", 1);
    expectProblem(fromObject, 409, "sold_out");
    expect(fromObject.headers.get("holdfast-cache")).toBeNull();

    const fromEdge = await hold(sku, "eli", 1);
    expectProblem(fromEdge, 409, "sold_out");
    expect(fromEdge.headers.get("holdfast-cache")).toBe("hit");
    expect(fromEdge.body).toEqual(fromObject.body);
  });

  it("offers stock that came back again once the cached verdict expires", async () => {
    const sku = await createSku({ stock: 1 });
    const taken = (await hold(sku, "fay", 1)).body;
    expectProblem(await hold(sku, "gil", 1), 409, "sold_out");
    // The unit comes back inside the object (as an expiry would), out of the edge's sight.
    expect(await env.SKU.getByName(sku).release(taken.holdId, "merchant")).toMatchObject({ ok: true, value: { status: "released" } });
    expect((await hold(sku, "gil", 1)).headers.get("holdfast-cache")).toBe("hit");
    await pastTtl();
    expect((await hold(sku, "gil", 1)).status).toBe(201);
  });

  it("cuts holds for a sale that has not started, with the object's problem", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    await putSale(unique("later"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 1 }], {
      startsInMs: 3_600_000,
      endsInMs: 7_200_000,
    });
    const view = await publicGet(sku);
    expect(view.body.status).toBe("upcoming");
    const cut = await hold(sku, "hal", 1);
    expectProblem(cut, 409, "sale_not_started");
    expect(cut.headers.get("holdfast-cache")).toBe("hit");
    expect(cut.body.startsAt).toBe(view.body.sale.startsAt);
  });
});
