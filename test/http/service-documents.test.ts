import { describe, expect, it } from "vitest";
import { call } from "../support/helpers";

describe("service documents", () => {
  it("GET /openapi.json is an OpenAPI 3.1 document listing the /v1 paths", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        "/v1/skus/{sku}",
        "/v1/skus/{sku}/adjustments",
        "/v1/skus/{sku}/holds",
        "/v1/skus/{sku}/holds/{holdId}",
        "/v1/sales/{saleId}",
        "/healthz",
      ]),
    );
    expect(Object.keys(res.body.paths["/v1/skus/{sku}/holds/{holdId}"]).sort()).toEqual(["delete", "get", "patch"]);
    expect(res.body.components.securitySchemes).toHaveProperty("merchant");
    expect(res.body.components.securitySchemes).toHaveProperty("shopper");
  });

  it("GET /healthz reports ok with its bindings", async () => {
    const res = await call("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, bindings: { DB: "ok", SKU: "ok" } });
  });
});
