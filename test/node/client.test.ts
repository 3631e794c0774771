/** @holdfast/client's retries, idempotency keys and typed problems, against a fake fetch. */
import { describe, expect, it } from "vitest";
import { backoffMs, createHoldfastClient, HoldfastProblem, isProblem, RETRY_DEFAULTS, retryingFetch, unwrap } from "@holdfast/client";

interface Seen {
  method: string;
  url: string;
  key: string | null;
  body: string;
}

/** A fetch that answers from a script, one entry per call: a Response, or an Error to throw. */
function scripted(...answers: Array<Response | Error>) {
  const seen: Seen[] = [];
  const fetch = async (request: Request) => {
    seen.push({ method: request.method, url: request.url, key: request.headers.get("idempotency-key"), body: await request.text() });
    const next = answers.shift();
    if (next === undefined) throw new Error("the script ran out: more calls than expected");
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, seen };
}

const problem = (status: number, code: string, headers: Record<string, string> = {}, extra: object = {}) =>
  new Response(JSON.stringify({ type: `https://holdfast.dev/problems/${code}`, title: code, status, code, detail: code, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });

function harness(...answers: Array<Response | Error>) {
  const { fetch, seen } = scripted(...answers);
  const sleeps: number[] = [];
  let keys = 0;
  const deps = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, newKey: () => `key-${++keys}` };
  const client = createHoldfastClient({ baseUrl: "http://hf.test/", token: "tok", fetch, deps });
  return { client, seen, sleeps };
}

const hold = (client: ReturnType<typeof harness>["client"], key?: string) =>
  client.POST("/v1/skus/{sku}/holds", {
    params: { path: { sku: "tee" }, ...(key ? { header: { "idempotency-key": key } } : {}) },
    body: { quantity: 2 },
  });

describe("@holdfast/client", () => {
  it("retries a POST after network errors with one Idempotency-Key and the same body, and backs off between tries", async () => {
    const { client, seen, sleeps } = harness(
      new TypeError("fetch failed"),
      new TypeError("socket hang up"),
      Response.json({ holdId: "h1" }, { status: 201 }),
    );
    const { data, response } = await hold(client);
    expect(response.status).toBe(201);
    expect(data).toEqual({ holdId: "h1" });
    expect(seen.map((s) => s.key)).toEqual(["key-1", "key-1", "key-1"]);
    expect(new Set(seen.map((s) => s.body))).toEqual(new Set(['{"quantity":2}']));
    expect(seen[0]!.url).toBe("http://hf.test/v1/skus/tee/holds");
    // random() = 0.5: half of base * 2^n.
    expect(sleeps).toEqual([50, 100]);

    // The next logical operation gets its own key; reads get none.
    const again = harness(Response.json({}, { status: 201 }), Response.json({}));
    await hold(again.client);
    await again.client.GET("/v1/me/holds");
    expect(again.seen.map((s) => [s.method, s.key])).toEqual([
      ["POST", "key-1"],
      ["GET", null],
    ]);
  });

  it("keeps a key the caller chose, so a retry after a restart replays the same operation", async () => {
    const { client, seen } = harness(problem(503, "unavailable", { "retry-after": "1" }), Response.json({}, { status: 201 }));
    await hold(client, "cart-42-line-1");
    expect(seen.map((s) => s.key)).toEqual(["cart-42-line-1", "cart-42-line-1"]);
  });

  it("waits at least Retry-After on 429 and 503, in seconds or as an HTTP date", async () => {
    const date = new Date(Date.now() + 3_000).toUTCString();
    const { client, sleeps } = harness(
      problem(429, "rate_limited", { "retry-after": "2" }),
      problem(503, "unavailable", { "retry-after": date }),
      Response.json({}, { status: 201 }),
    );
    expect((await hold(client)).response.status).toBe(201);
    expect(sleeps[0]).toBe(2_000);
    expect(sleeps[1]).toBeGreaterThan(1_000);
    expect(sleeps[1]).toBeLessThanOrEqual(3_000);
  });

  it("stops after the bounded attempts and hands back the last answer as a typed problem", async () => {
    const unavailable = () => problem(503, "unavailable", { "retry-after": "1" });
    const { client, seen } = harness(unavailable(), unavailable(), unavailable(), unavailable());
    const { error, response } = await hold(client);
    expect(seen).toHaveLength(RETRY_DEFAULTS.attempts);
    expect(response.status).toBe(503);
    expect(isProblem(error, "unavailable")).toBe(true);

    const down = harness(...Array.from({ length: RETRY_DEFAULTS.attempts }, () => new TypeError("fetch failed")));
    await expect(hold(down.client)).rejects.toThrow("fetch failed");
    expect(down.seen).toHaveLength(RETRY_DEFAULTS.attempts);
  });

  it("answers at once what a retry would not change: other problems, 500s, and a Retry-After past the cap", async () => {
    for (const answer of [problem(409, "sold_out"), problem(500, "internal"), problem(429, "rate_limited", { "retry-after": "3600" })]) {
      const { client, seen, sleeps } = harness(answer);
      const { error } = await hold(client);
      expect(seen).toHaveLength(1);
      expect(sleeps).toEqual([]);
      expect(isProblem(error)).toBe(true);
    }
  });

  it("types problems: isProblem narrows by code, unwrap throws a HoldfastProblem carrying it", async () => {
    const { client } = harness(
      problem(409, "insufficient_stock", {}, { available: 3 }),
      problem(409, "insufficient_stock", {}, { available: 3 }),
    );
    const { error } = await hold(client);
    expect(isProblem(error, "sold_out")).toBe(false);
    if (!isProblem(error, "insufficient_stock")) throw new Error("expected insufficient_stock");
    const available: number | undefined = error.available;
    expect(available).toBe(3);
    const thrown = await unwrap(hold(client)).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(HoldfastProblem);
    expect((thrown as HoldfastProblem).code).toBe("insufficient_stock");
  });

  it("backs off exponentially, capped, with full jitter", () => {
    const max = () => 0.999_999;
    expect([0, 1, 2, 3].map((n) => backoffMs(n, RETRY_DEFAULTS, max))).toEqual([99, 199, 399, 799]);
    expect(backoffMs(20, RETRY_DEFAULTS, max)).toBe(RETRY_DEFAULTS.maxDelayMs - 1);
    expect(backoffMs(3, RETRY_DEFAULTS, () => 0)).toBe(0);
  });

  it("passes a request through untouched when nothing fails", async () => {
    const { fetch, seen } = scripted(Response.json({ ok: true }));
    const res = await retryingFetch({ fetch })(new Request("http://hf.test/healthz"));
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ method: "GET", url: "http://hf.test/healthz", key: null, body: "" }]);
  });
});
