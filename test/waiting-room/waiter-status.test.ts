import { describe, expect, it } from "vitest";
import { arrivalPlace } from "../../src/waiting-room/place";
import { EMPTY_LINE, type QueueLine, type QueueState, waiterView } from "../../src/waiting-room/state";

/** Waiting room (spec §9): what a waiter's poll answers, from the room's state and the waiter's place. */

const NOW = 1_800_000_000_000;

describe("a waiter's status", () => {
  const state = (s: Partial<QueueState> = {}): QueueState => ({
    saleId: "s1",
    mode: "fifo",
    startsAtMs: NOW - 60_000,
    endsAtMs: NOW + 3_600_000,
    prequeueSeconds: 600,
    admitSeconds: 120,
    lottery: null,
    skus: ["k"],
    lines: {},
    closed: null,
    allHeld: false,
    admitted: 5,
    waiting: 3,
    atMs: NOW - 500,
    ...s,
  });
  const line = (l: Partial<QueueLine> = {}): QueueLine => ({
    ...EMPTY_LINE,
    frontier: arrivalPlace(NOW - 30_000, "m"),
    expiredFrontier: arrivalPlace(NOW - 50_000, "m"),
    batches: [
      { frontier: arrivalPlace(NOW - 40_000, "m"), atMs: NOW - 20_000 },
      { frontier: arrivalPlace(NOW - 30_000, "m"), atMs: NOW - 10_000 },
    ],
    admitted: 5,
    waiting: 3,
    ...l,
  });

  it("admits from the batch that reached the place, and lets an unused admission lapse", () => {
    expect(waiterView(state(), line(), arrivalPlace(NOW - 35_000, "a"), NOW)).toMatchObject({
      status: "admitted",
      admittedAtMs: NOW - 10_000,
    });
    expect(waiterView(state(), line(), arrivalPlace(NOW - 45_000, "a"), NOW)).toMatchObject({
      status: "admitted",
      admittedAtMs: NOW - 20_000,
    });
    expect(waiterView(state(), line(), arrivalPlace(NOW - 55_000, "a"), NOW)).toMatchObject({
      status: "closed",
      reason: "admission_expired",
    });
    expect(waiterView(state(), line(), arrivalPlace(NOW - 35_000, "a"), NOW + 120_000)).toMatchObject({
      status: "closed",
      reason: "admission_expired",
    });
    expect(waiterView(state(), line({ allHeld: true }), arrivalPlace(NOW - 1_000, "a"), NOW)).toMatchObject({
      status: "waiting",
      allHeld: true,
    });
  });

  it("says sold_out to the waiters of an item that sold out, while another item's line goes on", () => {
    expect(waiterView(state(), line({ soldOut: true }), arrivalPlace(NOW - 1_000, "a"), NOW).status).toBe("sold_out");
    expect(waiterView(state(), line(), arrivalPlace(NOW - 1_000, "a"), NOW).status).toBe("waiting");
  });

  it("says sold_out or closed to everyone once the queue closes", () => {
    expect(waiterView(state({ closed: "sold_out" }), line(), arrivalPlace(NOW - 35_000, "a"), NOW).status).toBe("sold_out");
    expect(waiterView(state(), line(), arrivalPlace(NOW - 1_000, "a"), NOW + 3_600_000)).toMatchObject({
      status: "closed",
      reason: "sale_ended",
    });
  });
});
