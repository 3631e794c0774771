import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import type { SkuObject } from "../../src/objects/sku-object";
import { ADMIN, call, createSku, expectProblem, hold, putSale, shopperToken, unique } from "../support/helpers";

const TTL_MS = 1_000;
const pastTtl = () => new Promise((r) => setTimeout(r, TTL_MS + 250));
const publicGet = (sku: string, headers: Record<string, string> = {}) => call(`/v1/skus/${sku}`, { headers });

afterEach(() => vi.restoreAllMocks());

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
    await runInDurableObject(env.SKU.getByName(sku), (o: SkuObject) => o.ledger.release(taken.holdId, "merchant", Date.now()));
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

describe("rate limits", () => {
  it("answers 429 rate_limited with Retry-After once one address exceeds its budget", async () => {
    const sku = await createSku({ stock: 100 });
    const headers = { "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 200) + 1}` };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => hold(sku, `rl-${i}`, 1, headers)));
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 201).length).toBeLessThanOrEqual(20);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expectProblem(limited[0]!, 429, "rate_limited");
    expect(limited[0]!.headers.get("retry-after")).toBe("10");
  });
});

describe("a sale's own hold rate", () => {
  it("refuses a customer's holds beyond holdsPerMinute with 429 and Retry-After, not other customers'", async () => {
    const sku = await createSku({ stock: 50, alwaysOn: false });
    const sale = await putSale(unique("paced"), [
      { sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 10, holdsPerMinute: 2 },
    ]);
    expect(sale.body.items[0].holdsPerMinute).toBe(2);
    expect((await hold(sku, "kai", 1)).status).toBe(201);
    expect((await hold(sku, "kai", 1)).status).toBe(201);
    const third = await hold(sku, "kai", 1);
    expectProblem(third, 429, "rate_limited");
    // A bucket of 2 refills one hold every 30 s.
    expect(Number(third.headers.get("retry-after"))).toBe(30);
    expect(third.body.holdsPerMinute).toBe(2);
    expect((await hold(sku, "lou", 1)).status).toBe(201);
  });
});

describe("a failing object", () => {
  it("answers 503 with Retry-After within the call bound, and cached reads keep working", async () => {
    const sku = await createSku({ stock: 5 });
    expect((await publicGet(sku)).status).toBe(200);
    const app = createApp();
    const slowEnv = { ...env, OBJECT_TIMEOUT_MS: "150" };
    const send = async (path: string, init: RequestInit) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`https://holdfast.test${path}`, init), slowEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    const callsBefore = (await call(`/v1/skus/${sku}/stats`, { auth: ADMIN })).body.instance.calls;
    const errors = vi.spyOn(console, "error");
    // Wedge the object: nothing else runs in it for a second.
    const wedged = runInDurableObject(env.SKU.getByName(sku), (_o: SkuObject, state) =>
      state.blockConcurrencyWhile(() => new Promise((r) => setTimeout(r, 1_000))),
    );
    await new Promise((r) => setTimeout(r, 20));
    const res = await send(`/v1/skus/${sku}/holds`, {
      method: "POST",
      headers: { authorization: await shopperToken("ivy"), "content-type": "application/json" },
      body: JSON.stringify({ quantity: 1 }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(((await res.json()) as { code: string }).code).toBe("unavailable");
    const read = await send(`/v1/skus/${sku}`, {});
    expect(read.status).toBe(200);
    expect(read.headers.get("holdfast-cache")).toMatch(/hit|stale/);
    await wedged;
    const logged = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"code":"unavailable"'));
    expect(logged).toHaveLength(1);
    // No retry storm: the abandoned hold reached the object once (it runs when the wedge lifts), then this stats read.
    await new Promise((r) => setTimeout(r, 50));
    expect((await call(`/v1/skus/${sku}/stats`, { auth: ADMIN })).body.instance.calls).toBe(callsBefore + 2);
  });
});

describe("observability", () => {
  it("returns a request id, echoing a well-formed one it was given", async () => {
    const sku = await createSku({ stock: 1 });
    const made = await publicGet(sku);
    expect(made.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const given = await publicGet(sku, { "request-id": "req-abc-12345678" });
    expect(given.headers.get("request-id")).toBe("req-abc-12345678");
    const bad = await publicGet(sku, { "request-id": "x y" });
    expect(bad.headers.get("request-id")).not.toBe("x y");
  });

  it("logs one structured line per failed request with route, code, SKU and latency", async () => {
    const errors = vi.spyOn(console, "error");
    const sku = await createSku({ stock: 1 });
    await runInDurableObject(env.SKU.getByName(sku), (_o: SkuObject, state) => {
      state.storage.sql.exec("UPDATE sku SET live_units = live_units + 1");
    });
    expectProblem(await hold(sku, "jo", 1), 500, "internal");
    const lines = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"event":"request"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ route: "/v1/skus/:sku/holds", status: 500, code: "internal", sku, method: "POST" });
    expect(typeof JSON.parse(lines[0]!).latency_ms).toBe("number");
  });
});
