import { describe, expect, it } from "vitest";
import { LIVE, windowFor } from "../../../src/stock/live/push";

describe("live push pacing", () => {
  it("pushes about four times a second to a few sockets, and widens the window to keep within the send budget", () => {
    expect(windowFor(1)).toBe(LIVE.window_ms);
    expect(windowFor(250)).toBe(LIVE.window_ms);
    expect(windowFor(1_000)).toBe(1_000);
    expect(windowFor(LIVE.sockets_max)).toBe(10_000);
    // Past the plain window's reach, sockets × messages a second stays within the budget.
    for (const sockets of [251, 999, 1_001, 4_321, LIVE.sockets_max]) {
      expect((sockets * 1000) / windowFor(sockets)).toBeLessThanOrEqual(LIVE.sends_per_second_max);
    }
  });
});
