import { describe, expect, it } from "vitest";
import { admitCount, conversion, soldOutForGood, type AdmissionBook } from "../../src/waiting-room/frontier";

/** Waiting room (spec §9): how many waiters the frontier admits, from the stock and what admitted shoppers did. */

describe("the frontier's maths", () => {
  const book = (b: Partial<AdmissionBook> = {}): AdmissionBook => ({
    admittedRecent: 0,
    usedRecent: 0,
    admittedExpired: 0,
    usedExpired: 0,
    ...b,
  });

  it("admits no more unheld shoppers than units available, until the sale teaches otherwise", () => {
    expect(admitCount({ available: 10, reserved: 0, liveHolds: 0 }, book(), 1_000)).toBe(10);
    expect(admitCount({ available: 10, reserved: 0, liveHolds: 0 }, book({ admittedRecent: 6, usedRecent: 2 }), 1_000)).toBe(6);
    expect(admitCount({ available: 10, reserved: 0, liveHolds: 0 }, book(), 4)).toBe(4);
    expect(admitCount({ available: 0, reserved: 5, liveHolds: 5 }, book(), 1_000)).toBe(0);
    // Shoppers take two units each: half as many cover the stock.
    expect(admitCount({ available: 10, reserved: 4, liveHolds: 2 }, book(), 1_000)).toBe(5);
  });

  it("learns the share of admitted shoppers who hold, within a floor", () => {
    expect(conversion(book({ admittedExpired: 10, usedExpired: 1 }))).toBe(1);
    expect(conversion(book({ admittedExpired: 100, usedExpired: 50 }))).toBe(0.5);
    expect(conversion(book({ admittedExpired: 100, usedExpired: 1 }))).toBe(0.2);
    expect(admitCount({ available: 10, reserved: 0, liveHolds: 0 }, book({ admittedExpired: 100, usedExpired: 50 }), 1_000)).toBe(20);
  });

  it("calls the sale sold out only when no unit can come back", () => {
    expect(soldOutForGood({ available: 0, reserved: 0, liveHolds: 0 })).toBe(true);
    expect(soldOutForGood({ available: 0, reserved: 1, liveHolds: 1 })).toBe(false);
  });
});
