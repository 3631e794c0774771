import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import type { SkuObject } from "../../src/objects/sku-object";
import { ADMIN, call, createSku, hold, putSale, unique, shopperToken } from "../support/helpers";

/**
 * A request's call into a SKU object (src/platform/object-call.ts): an object
 * that is wedged or overloaded is not retried from the request, which answers
 * 503 with Retry-After instead.
 */

afterEach(() => vi.restoreAllMocks());

describe("a failing object", () => {
  it("answers 503 with Retry-After within the call bound, and cached reads keep working", async () => {
    const sku = await createSku({ stock: 5 });
    expect((await call(`/v1/skus/${sku}`)).status).toBe(200);
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

  // Issue 7: this failed on the code before its fix.
  it("answers 503 with Retry-After when a SKU object is overloaded during a sale's fan-out", async () => {
    const sku = await createSku({ stock: 3, alwaysOn: false });
    const saleId = unique("sale");
    const overloaded = Object.assign(new Error("Durable Object is overloaded. Requests queued for too long."), { overloaded: true });
    const SKU = new Proxy(env.SKU, {
      get(ns, prop) {
        if (prop !== "getByName") return Reflect.get(ns, prop);
        return (name: string) => {
          const stub = ns.getByName(name);
          return new Proxy(stub, {
            get: (s, p) => (p === "applySaleRule" ? async () => Promise.reject(overloaded) : Reflect.get(s, p)),
          });
        };
      },
    });
    const now = Date.now();
    const body = JSON.stringify({
      name: "Overloaded",
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      items: [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }],
    });
    const res = await createApp().fetch(
      new Request(`https://holdfast.test/v1/sales/${saleId}`, {
        method: "PUT",
        body,
        headers: { authorization: ADMIN, "content-type": "application/json" },
      }),
      { ...env, SKU },
      createExecutionContext(),
    );
    expect({ status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({ status: 503, code: "unavailable" });
    expect(res.headers.get("retry-after")).toBe("1");

    // Repeating the PUT pushes the terms again.
    const healed = await putSale(saleId, [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }]);
    expect(healed.status).toBe(200);
    expect((await hold(sku, unique("cust"), 1)).status).toBe(201);
  });
});
