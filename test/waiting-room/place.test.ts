import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { arrivalPlace, drawKey, drawPlace, entrantId, inDraw, placeOf } from "../../src/waiting-room/place";

/** Waiting room (spec §9): a waiter's place in line, by arrival or by the lottery's draw. */

const NOW = 1_800_000_000_000;
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("places", () => {
  it("orders arrivals by time, then the draw before every arrival", async () => {
    const early = arrivalPlace(NOW, "zed");
    const late = arrivalPlace(NOW + 1, "abe");
    expect(early < late).toBe(true);
    expect(arrivalPlace(NOW, "abe") < early).toBe(true);
    const drawn = drawPlace(await drawKey("ff".repeat(32), await entrantId("s1", "zed")));
    expect(drawn < early).toBe(true);
  });

  it("keeps an entrant's place unknown until the beacon's randomness is in, then recomputable by anyone with sha256", async () => {
    const q = { mode: "lottery" as const, saleId: "s1" };
    const randomness = "ab".repeat(32);
    expect(await placeOf({ ...q, lottery: { closesAtMs: NOW, randomness: null } }, "alice", NOW - 5_000)).toBeNull();
    const entrant = sha("holdfast-entrant:s1:alice");
    expect(await entrantId("s1", "alice")).toBe(entrant);
    expect(await placeOf({ ...q, lottery: { closesAtMs: NOW, randomness } }, "alice", NOW - 5_000)).toBe(
      `0:${sha(`${randomness}:${entrant}`)}`,
    );
    // Joined after the close: arrival order, draw or not.
    expect(await placeOf({ ...q, lottery: { closesAtMs: NOW, randomness } }, "alice", NOW)).toBe(arrivalPlace(NOW, "alice"));
    expect(inDraw({ ...q, lottery: { closesAtMs: NOW, randomness: null } }, NOW - 1)).toBe(true);
    expect(inDraw({ ...q, mode: "fifo", lottery: null }, NOW - 1)).toBe(false);
  });
});
