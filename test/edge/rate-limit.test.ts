import { describe, expect, it } from "vitest";
import { call, clientAddress, createSku, expectProblem, hold, holdOf, shopperToken } from "../support/helpers";

/** The per-address budget at the edge (IP_RATE_LIMITER, 20 requests per 10 s in vitest.config.ts). */
const PERIOD_MS = 10_000;

/**
 * The local limiter counts in windows aligned to the wall clock, so a burst
 * that straddles a boundary gets up to two budgets (a loaded run once passed
 * 23 of 30). A burst starts early in a window, with most of it left.
 */
async function earlyInAWindow(): Promise<void> {
  const left_ms = PERIOD_MS - (Date.now() % PERIOD_MS);
  if (left_ms < PERIOD_MS / 2) await scheduler.wait(left_ms + 50);
}

describe("rate limits", () => {
  it("answers 429 rate_limited with Retry-After once one address exceeds its budget", async () => {
    const sku = await createSku({ stock: 100 });
    const headers = clientAddress();
    await earlyInAWindow();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => hold(sku, `rl-${i}`, 1, headers)));
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 201).length).toBeLessThanOrEqual(20);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expectProblem(limited[0]!, 429, "rate_limited");
    expect(limited[0]!.headers.get("retry-after")).toBe("10");
  });

  it("spends the same budget on changes of a hold's quantity, and answers a keyed retry over budget from its stored reply", async () => {
    const sku = await createSku({ stock: 100 });
    const headers = clientAddress();
    await earlyInAWindow();
    const customer = "rl-patch";
    const auth = await shopperToken(customer);
    const held = await hold(sku, customer, 1, headers);
    expect(held.status).toBe(201);
    const { holdId } = holdOf(held);
    const path = `/v1/skus/${sku}/holds/${holdId}`;
    const keyed = await call(path, {
      method: "PATCH",
      auth,
      body: { quantity: 2 },
      headers: { ...headers, "idempotency-key": "rl-patch-2" },
    });
    expect(keyed.status).toBe(200);

    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(path, { method: "PATCH", auth, body: { quantity: 1 + (i % 2) }, headers })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expectProblem(limited[0]!, 429, "rate_limited");

    // Over budget still: the retry of a change that ran gets what it got, not a 429.
    const retry = await call(path, {
      method: "PATCH",
      auth,
      body: { quantity: 2 },
      headers: { ...headers, "idempotency-key": "rl-patch-2" },
    });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(keyed.body);
  });
});
