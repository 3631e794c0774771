import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, shopperToken } from "../support/helpers";

/** wrangler.toml's local CORS_ORIGINS lists http://localhost:5173; nothing lists https://evil.test. */
const STOREFRONT = "http://localhost:5173";

describe("CORS (CORS_ORIGINS, hono/cors)", () => {
  it("answers a preflight from a listed origin 204 with the allowed methods and headers", async () => {
    const res = await call("/v1/skus/anything/holds", {
      method: "OPTIONS",
      headers: {
        origin: STOREFRONT,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,idempotency-key",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(STOREFRONT);
    expect(res.headers.get("access-control-allow-methods")?.split(",")).toEqual(expect.arrayContaining(["GET", "PUT", "POST", "DELETE"]));
    const allowed = res.headers.get("access-control-allow-headers")?.toLowerCase().split(",") ?? [];
    expect(allowed).toEqual(
      expect.arrayContaining(["authorization", "content-type", "idempotency-key", "holdfast-admission", "request-id"]),
    );
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toContain("Origin");
    expect(res.headers.get("request-id")).toBeTruthy();
  });

  it("gives an unlisted origin's preflight no Access-Control-Allow-Origin", async () => {
    const res = await call("/v1/checkout", {
      method: "OPTIONS",
      headers: { origin: "https://evil.test", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("still answers OPTIONS without Origin (no preflight) 405 with Allow", async () => {
    const res = await call("/v1/checkout", { method: "OPTIONS" });
    expectProblem(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("sends Allow-Origin and the exposed headers on successes and problems", async () => {
    const sku = await createSku({ stock: 5 });
    const ok = await call(`/v1/skus/${sku}`, { headers: { origin: STOREFRONT } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(STOREFRONT);
    const exposed = ok.headers.get("access-control-expose-headers")?.toLowerCase().split(",") ?? [];
    expect(exposed).toEqual(expect.arrayContaining(["retry-after", "idempotent-replayed", "request-id", "holdfast-cache"]));
    expect(ok.headers.get("vary")).toContain("Origin");

    const unauthorized = await call("/v1/orders", { headers: { origin: STOREFRONT, authorization: "Bearer nope" } });
    expectProblem(unauthorized, 401, "unauthorized");
    expect(unauthorized.headers.get("access-control-allow-origin")).toBe(STOREFRONT);

    const replayHeaders = { origin: STOREFRONT, "idempotency-key": `k-${sku}` };
    const first = await call(`/v1/skus/${sku}/holds`, {
      auth: await shopperToken("cors-alice"),
      body: { quantity: 1 },
      headers: replayHeaders,
    });
    const again = await call(`/v1/skus/${sku}/holds`, {
      auth: await shopperToken("cors-alice"),
      body: { quantity: 1 },
      headers: replayHeaders,
    });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("access-control-allow-origin")).toBe(STOREFRONT);
  });

  it("gives an unlisted origin no Access-Control-Allow-Origin, and merchant calls still need the token", async () => {
    const res = await call("/v1/skus", { auth: ADMIN, headers: { origin: "https://evil.test" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("gives a request without Origin (no browser's cross-origin call) no CORS headers, and still Vary: Origin", async () => {
    const sku = await createSku({ stock: 5 });
    for (const res of [
      await call(`/v1/skus/${sku}`),
      await call(`/v1/skus/${sku}/holds`, { auth: await shopperToken("cors-bob"), body: { quantity: 1 } }),
      await call("/v1/orders", { headers: { authorization: "Bearer nope" } }),
    ]) {
      expect(res.headers.get("vary")).toContain("Origin");
      expect([...res.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    }
  });
});
