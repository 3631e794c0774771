import { describe, expect, it } from "vitest";
import { randomHex } from "../../src/platform/random-hex";

/**
 * Trace ids, span ids and hold ids are random hex drawn from a pool of
 * CSPRNG bytes filled a few kilobytes at a time (src/platform/random-hex.ts).
 * What the pool must never do is hand out the same bytes twice, on either
 * side of a refill.
 */
describe("random hex", () => {
  it("gives each caller fresh bytes, across many refills of the pool and draws of mixed sizes", () => {
    const sizes = [8, 16, 6, 24, 7];
    const drawn = Array.from({ length: 5_000 }, (_, i) => randomHex(sizes[i % sizes.length]!));
    const shapeless = drawn.filter((hex, i) => !new RegExp(`^[0-9a-f]{${2 * sizes[i % sizes.length]!}}$`).test(hex));
    expect(shapeless).toEqual([]);
    // 61 KB drawn: a byte range handed out twice would repeat an id.
    expect(new Set(drawn).size).toBe(drawn.length);
    // Consecutive draws are not pieces of one another (a pool that did not advance, or advanced too little).
    for (let i = 1; i < drawn.length; i++) expect(drawn[i - 1]!.includes(drawn[i]!.slice(0, 12))).toBe(false);
  });

  it("spreads its digits evenly", () => {
    const digits = Array.from({ length: 4_000 }, () => randomHex(8)).join("");
    const counts = new Map<string, number>();
    for (const d of digits) counts.set(d, (counts.get(d) ?? 0) + 1);
    expect(counts.size).toBe(16);
    // 64,000 digits: 4,000 expected each; a stuck or biased source is far outside 10%.
    for (const n of counts.values()) expect(Math.abs(n - 4_000)).toBeLessThan(400);
  });

  it("refuses a draw larger than its pool rather than repeat bytes", () => {
    expect(() => randomHex(1 << 20)).toThrow(RangeError);
  });
});
