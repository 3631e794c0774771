import { describe, expect, it } from "vitest";
import { Pace } from "../../../src/stock/shards/pace";

describe("a shard's pace (units held in the last window)", () => {
  const window_ms = 125;
  const t0 = 1_700_000_000_000;

  it("adds what was held within the window", () => {
    const pace = new Pace(window_ms);
    pace.add(1, t0);
    pace.add(3, t0 + 40);
    pace.add(2, t0 + 100);
    expect(pace.units(t0 + 100)).toBe(6);
  });

  it("forgets a unit once the window has slid past it, at most one step early", () => {
    const pace = new Pace(window_ms);
    const step_ms = window_ms / 8;
    pace.add(5, t0);
    expect(pace.units(t0 + window_ms - step_ms - 1)).toBe(5);
    expect(pace.units(t0 + window_ms)).toBe(0);
    // A later unit stays while the earlier one leaves.
    pace.add(2, t0 + 200);
    pace.add(4, t0 + 300);
    expect(pace.units(t0 + 300)).toBe(6);
    expect(pace.units(t0 + 330)).toBe(4);
  });

  it("is empty after a long pause, and when the window is zero", () => {
    const pace = new Pace(window_ms);
    for (let i = 0; i < 1_000; i++) pace.add(1, t0 + i);
    expect(pace.units(t0 + 999)).toBeGreaterThanOrEqual(110);
    expect(pace.units(t0 + 999)).toBeLessThanOrEqual(125);
    expect(pace.units(t0 + 60_000)).toBe(0);
    const none = new Pace(0);
    none.add(3, t0);
    expect(none.units(t0 + 2)).toBe(0);
  });
});
