import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { cachedPublic, claimRenewal, REFRESH_AHEAD_MS } from "../../src/edge/cache";
import type { AppEnv } from "../../src/http/context";
import { ADMIN, call, createSku, expectProblem, hold, putSale, unique } from "../support/helpers";

const TTL_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pastTtl = () => sleep(TTL_MS + 250);
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
    // Still the cached copy: holds do not purge (they would empty the cache in a stampede). A slow
    // machine may reach the copy's last 200 ms, where a read renews it instead.
    const cached = await publicGet(sku);
    expect(cached.body.available).toBe(cached.headers.get("holdfast-cache") === "hit" ? 5 : 3);
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

  it("renews a copy in its last 200 ms through one read, so a stampede never finds it lapsed", async () => {
    const sku = await createSku({ stock: 5 });
    expect((await publicGet(sku)).headers.get("holdfast-cache")).toBe("miss");
    await sleep(TTL_MS - REFRESH_AHEAD_MS / 2);
    // This read renews the copy (a late one finds it lapsed: a miss too); the next is answered from the new copy.
    const [renewing, next] = [await publicGet(sku), await publicGet(sku)];
    expect([renewing.headers.get("holdfast-cache"), next.headers.get("holdfast-cache")]).toEqual(["miss", "hit"]);
  });

  it("answers from the copy it was renewing when the renewal fails, not from the stale one", async () => {
    const id = unique("renew-fails");
    let computes = 0;
    const app = new Hono<AppEnv>().get("/probe", (c) =>
      cachedPublic(c, "probe", id, async () => {
        computes += 1;
        if (computes > 1) throw new Error("the object is failing");
        return { status: 200, body: { computed: computes } };
      }),
    );
    const read = async () => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request("https://holdfast.test/probe"), env, ctx);
      await waitOnExecutionContext(ctx);
      return { state: res.headers.get("holdfast-cache"), body: await res.json() };
    };
    const storedBy = Date.now();
    expect(await read()).toEqual({ state: "miss", body: { computed: 1 } });
    await sleep(TTL_MS - REFRESH_AHEAD_MS / 2);
    const renewal = await read();
    expect(computes).toBe(2);
    expect(renewal.body).toEqual({ computed: 1 });
    // Within the copy's life the renewal answers from it; a late machine finds it lapsed and falls back to the stale twin.
    expect(renewal.state).toBe(Date.now() < storedBy + TTL_MS ? "hit" : "stale");
  });

  it("claims a copy's renewal once per isolate, only in its last 200 ms, until a new copy is stored", () => {
    const now = Date.now();
    const id = unique("renew");
    const entry = { status: 200, text: "{}", headers: {}, expiresAtMs: now + TTL_MS };
    expect(claimRenewal("probe", id, entry, now)).toBe(false);
    expect(claimRenewal("probe", id, entry, now + TTL_MS - REFRESH_AHEAD_MS - 1)).toBe(false);
    expect(claimRenewal("probe", id, entry, now + TTL_MS - REFRESH_AHEAD_MS)).toBe(true);
    expect(claimRenewal("probe", id, entry, now + TTL_MS - 10)).toBe(false);
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

  it("lets one hold renew a verdict in its last 200 ms; the others are still cut by it", async () => {
    const sku = await createSku({ stock: 1 });
    expect((await hold(sku, "ida", 1)).status).toBe(201);
    expect((await hold(sku, "jon", 1)).headers.get("holdfast-cache")).toBeNull();
    await sleep(TTL_MS - REFRESH_AHEAD_MS / 2);
    const [renewing, next] = [await hold(sku, "kim", 1), await hold(sku, "lou", 1)];
    expectProblem(renewing, 409, "sold_out");
    expectProblem(next, 409, "sold_out");
    expect([renewing.headers.get("holdfast-cache"), next.headers.get("holdfast-cache")]).toEqual([null, "hit"]);
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
