import { describe, expect, it } from "vitest";
import { createSku, expectProblem, hold } from "../support/helpers";

/** The per-address budget at the edge (IP_RATE_LIMITER, 20 requests per 10 s in vitest.config.ts). */

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
