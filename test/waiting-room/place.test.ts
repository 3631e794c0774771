import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/domain/canonical-json";
import { arrivalPlace, drawKey, drawPlace, placeOf } from "../../src/waiting-room/place";

/** Waiting room (spec §9): a waiter's place in line, by arrival or by the lottery's draw. */

const NOW = 1_800_000_000_000;

describe("places", () => {
  it("orders arrivals by time, then the draw before every arrival", async () => {
    const early = arrivalPlace(NOW, "zed");
    const late = arrivalPlace(NOW + 1, "abe");
    expect(early < late).toBe(true);
    expect(arrivalPlace(NOW, "abe") < early).toBe(true);
    const drawn = drawPlace(await drawKey("seed", "s1", "zed"));
    expect(drawn < early).toBe(true);
  });

  it("keeps a lottery joiner's place unknown until the seed is revealed, then recomputable by anyone", async () => {
    const q = { mode: "lottery" as const, startsAtMs: NOW, saleId: "s1" };
    expect(await placeOf({ ...q, seed: null }, "alice", NOW - 5_000, true)).toBeNull();
    expect(await placeOf({ ...q, seed: "abc" }, "alice", NOW - 5_000, true)).toBe(`0:${await sha256Hex("abc:s1:alice")}`);
    // Recorded by its join shard outside the draw: arrival order, whatever the seed.
    expect(await placeOf({ ...q, seed: "abc" }, "alice", NOW + 5, false)).toBe(arrivalPlace(NOW + 5, "alice"));
  });
});
