import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../src/platform/backoff";

/** The delay before a queue message's next attempt (src/platform/backoff.ts), shared by the consumers. */

describe("retry delay", () => {
  it("backs off exponentially from 4 s to a 5 min cap, jitter never reordering attempts below the cap", () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => retryDelaySeconds(a, () => 0.5))).toEqual([4, 8, 16, 32, 64, 128, 256, 300]);
    for (let a = 1; a < 7; a++) expect(retryDelaySeconds(a + 1, low)).toBeGreaterThan(retryDelaySeconds(a, high));
    expect(retryDelaySeconds(50, high)).toBe(300);
    expect(retryDelaySeconds(50, low)).toBe(240); // still spread at the cap, against bursts
    expect(retryDelaySeconds(0, low)).toBeGreaterThanOrEqual(1);
  });
});
