import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { DrawShuffle } from "../../src/waiting-room/shuffle";

/**
 * The lottery's order (spec §9, ./shuffle.ts): a permutation of the entrants'
 * global indexes, keyed by the beacon's randomness, computed one index at a
 * time both ways. What the draw relies on: it is a permutation (nobody is
 * dropped or doubled), the draw's first k places (entrantAt, O(k)) are the
 * first k of the whole order (every entrant's place computed and sorted, as
 * the verifier does), and it is the documented recipe (vectors from the
 * Python in docs/waiting-room.md). Replay: MODEL_SEED=<seed>.
 */
const SEED = Number(inject("modelSeed")) || Date.now() % 2_147_483_647;
const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex"));

describe("the draw's order", () => {
  it(`is a permutation of 0..n-1, and entrantAt inverts placeOf (seed ${SEED})`, () => {
    console.log(`lottery order property: seed ${SEED}`);
    fc.assert(
      fc.property(hex64, fc.integer({ min: 1, max: 3_000 }), (randomness, n) => {
        const order = new DrawShuffle(randomness, n);
        const places = Array.from({ length: n }, (_, j) => order.placeOf(j));
        expect(new Set(places).size).toBe(n);
        expect(places.every((p) => Number.isInteger(p) && p >= 0 && p < n)).toBe(true);
        for (let j = 0; j < n; j++) expect(order.entrantAt(places[j]!)).toBe(j);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it(`names the first k places as the whole order does, at O(k) (seed ${SEED})`, () => {
    fc.assert(
      fc.property(hex64, fc.integer({ min: 1, max: 3_000 }), fc.nat(200), (randomness, n, k) => {
        const full = new DrawShuffle(randomness, n);
        const places = Array.from({ length: n }, (_, j) => full.placeOf(j));
        const sorted = Array.from({ length: n }, (_, j) => j).sort((a, b) => places[a]! - places[b]!);
        // A fresh permutation (no cached round values), asked only for the top: the same entrants.
        const lazy = new DrawShuffle(randomness, n);
        const top = Array.from({ length: Math.min(k, n) }, (_, p) => lazy.entrantAt(p));
        expect(top).toEqual(sorted.slice(0, top.length));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("is the documented recipe: the Python in docs/waiting-room.md gives the same places", () => {
    const at = (randomness: string, n: number) => Array.from({ length: n }, (_, j) => new DrawShuffle(randomness, n).placeOf(j));
    expect(at("ab".repeat(32), 10)).toEqual([7, 9, 1, 5, 4, 2, 0, 8, 6, 3]);
    expect(at("00".repeat(32), 1)).toEqual([0]);
    expect(at("cd".repeat(32), 2)).toEqual([1, 0]);
    expect(at("cd".repeat(32), 5)).toEqual([3, 4, 2, 0, 1]);
    const big = new DrawShuffle("ab".repeat(32), 1_000);
    expect(Array.from({ length: 10 }, (_, p) => big.entrantAt(p))).toEqual([248, 728, 535, 837, 692, 128, 854, 990, 862, 581]);
  });

  it("spreads every index over the places: no join position is favoured (chi-square over 400 draws)", () => {
    // Index 0 (the first to join) and the last: each lands in each tenth of the order about equally often.
    const n = 1_000;
    for (const j of [0, 1, 500, n - 1]) {
      const tenths = new Array<number>(10).fill(0);
      for (let d = 0; d < 400; d++) tenths[Math.floor(new DrawShuffle(`r${d}`.padEnd(64, "0"), n).placeOf(j) / (n / 10))]!++;
      const chi = tenths.reduce((s, c) => s + (c - 40) ** 2 / 40, 0);
      // 9 degrees of freedom: above 27.9 has probability 0.001 for a fair order.
      expect(chi, `index ${j}: ${tenths.join(",")}`).toBeLessThan(27.9);
    }
  });

  it("refuses an index outside the draw", () => {
    const order = new DrawShuffle("ab".repeat(32), 4);
    expect(() => order.placeOf(4)).toThrow(RangeError);
    expect(() => order.entrantAt(-1)).toThrow(RangeError);
  });
});
