import { afterEach, describe, expect, it, vi } from "vitest";
import { call, createSku, expectProblem, hold } from "../support/helpers";
import { corruptLiveUnits } from "../support/inside-objects";

const publicGet = (sku: string, headers: Record<string, string> = {}) => call(`/v1/skus/${sku}`, { headers });

afterEach(() => vi.restoreAllMocks());

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
    await corruptLiveUnits(sku);
    expectProblem(await hold(sku, "jo", 1), 500, "internal");
    const lines = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"event":"request"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ route: "/v1/skus/:sku/holds", status: 500, code: "internal", sku, method: "POST" });
    expect(typeof JSON.parse(lines[0]!).latency_ms).toBe("number");
  });
});
