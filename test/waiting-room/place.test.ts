import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { arrivalPlace, drawPlace, entrantId, inDraw, placeOf } from "../../src/waiting-room/place";
import { DrawShuffle } from "../../src/waiting-room/shuffle";

/** Waiting room (spec §9): a waiter's place in line, by arrival or by the lottery's draw. */

const NOW = 1_800_000_000_000;
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("places", () => {
  it("orders arrivals by time, then the draw before every arrival", async () => {
    const early = arrivalPlace(NOW, "zed");
    const late = arrivalPlace(NOW + 1, "abe");
    expect(early < late).toBe(true);
    expect(arrivalPlace(NOW, "abe") < early).toBe(true);
    const last = drawPlace(Number.MAX_SAFE_INTEGER);
    expect(last < early).toBe(true);
    // Places sort as numbers: 16 digits, zero-padded.
    expect(drawPlace(9) < drawPlace(10)).toBe(true);
    expect(drawPlace(123)).toBe("0:0000000000000123");
  });

  it("keeps an entrant's place unknown until the beacon's randomness is in, then computes it from the ticket's index alone", () => {
    const q = { mode: "lottery" as const, saleId: "s1" };
    const randomness = "ab".repeat(32);
    const shards = [{ entrants: 3 }, { entrants: 0 }, { entrants: 5 }];
    const alice = { customerId: "alice", arrivalMs: NOW - 5_000, shard: 2, index: 4 };
    expect(placeOf({ ...q, lottery: { closesAtMs: NOW, randomness: null, shards } }, alice)).toBeNull();
    expect(entrantId("s1", "alice")).toBe(sha("holdfast-entrant:s1:alice"));
    // Global index: the entrants of the shards before theirs (3 + 0), then their own index.
    expect(placeOf({ ...q, lottery: { closesAtMs: NOW, randomness, shards } }, alice)).toBe(
      drawPlace(new DrawShuffle(randomness, 8).placeOf(3 + 4)),
    );
    // A ticket without its index (issued before the log), or one beyond its shard's committed count: no place yet.
    expect(placeOf({ ...q, lottery: { closesAtMs: NOW, randomness, shards } }, { customerId: "alice", arrivalMs: NOW - 5_000 })).toBeNull();
    expect(placeOf({ ...q, lottery: { closesAtMs: NOW, randomness, shards } }, { ...alice, index: 5 })).toBeNull();
    // Joined after the close: arrival order, draw or not.
    expect(placeOf({ ...q, lottery: { closesAtMs: NOW, randomness, shards } }, { ...alice, arrivalMs: NOW })).toBe(
      arrivalPlace(NOW, "alice"),
    );
    expect(inDraw({ ...q, lottery: { closesAtMs: NOW, randomness: null } }, NOW - 1)).toBe(true);
    expect(inDraw({ ...q, mode: "fifo", lottery: null }, NOW - 1)).toBe(false);
  });
});
