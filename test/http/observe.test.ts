import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProblemError } from "../../src/domain/problems";
import worker from "../../src/worker";
import { call, createSku, expectProblem, hold, shopperToken, unique } from "../support/helpers";
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

  it("names the problem of a refusal in its log line, also when the edge answered it from its verdict", async () => {
    const logs = vi.spyOn(console, "log");
    const sku = await createSku({ stock: 1 });
    expect((await hold(sku, unique("first"), 1)).status).toBe(201);
    const world = { ...env, LOG_LEVEL: "info" } as Env;
    const caches: (string | null)[] = [];
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request(`https://holdfast.test/v1/skus/${sku}/holds`, {
          method: "POST",
          headers: { authorization: await shopperToken(unique("late")), "content-type": "application/json" },
          body: JSON.stringify({ quantity: 1 }),
        }),
        world,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(409);
      caches.push(res.headers.get("holdfast-cache"));
    }
    // The second was cut at the edge, a response Hono copies on its way out.
    expect(caches).toEqual([null, "hit"]);
    const lines = logs.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"event":"request"') && l.includes(sku));
    expect(lines.map((l) => JSON.parse(l) as { code: string; status: number })).toEqual([
      expect.objectContaining({ status: 409, code: "sold_out" }),
      expect.objectContaining({ status: 409, code: "sold_out" }),
    ]);
  });

  it("keeps no stack for a problem, an answer and not a bug, and leaves the limit for real errors as it was", () => {
    const limit = Error.stackTraceLimit;
    const problem = new ProblemError("sold_out", "No units left.");
    expect(problem.stack ?? "").not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("a bug").stack).toMatch(/\n\s+at /);
  });
});
