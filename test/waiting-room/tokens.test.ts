import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/domain/canonical-json";
import { admitCount, conversion, soldOutForGood, type AdmissionBook } from "../../src/waiting-room/frontier";
import { arrivalPlace, drawKey, drawPlace, placeOf } from "../../src/waiting-room/place";
import { waiterView, type QueueState } from "../../src/waiting-room/state";
import { signAdmission, signTicket, verifyAdmission, verifyTicket } from "../../src/waiting-room/tokens";

/** Waiting room (spec §9): tokens, places and the draw, the frontier's maths, a waiter's status. */

const SECRET = "unit-secret-0123456789";
const NOW = 1_800_000_000_000;
const expect_ = { saleId: "s1", customerId: "alice", now_ms: NOW };

describe("tickets and admission tokens", () => {
  it("verifies its own, and refuses forged, expired, another sale's or another customer's", async () => {
    const admission = await signAdmission(SECRET, { s: "s1", c: "alice", t: NOW - 1_000, e: NOW + 60_000 });
    expect(await verifyAdmission(SECRET, admission, expect_)).toEqual({
      ok: true,
      claims: { s: "s1", c: "alice", t: NOW - 1_000, e: NOW + 60_000 },
    });
    expect(await verifyAdmission("another-secret-000000", admission, expect_)).toEqual({ ok: false, reason: "forged" });
    // A payload changed under its MAC.
    const [payload, mac] = admission.split(".");
    const tampered = `${btoa(atob(payload!.replace(/-/g, "+").replace(/_/g, "/")).replace("alice", "alicf"))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "")}.${mac}`;
    expect(await verifyAdmission(SECRET, tampered, expect_)).toEqual({ ok: false, reason: "forged" });
    expect(await verifyAdmission(SECRET, admission, { ...expect_, now_ms: NOW + 60_000 })).toEqual({ ok: false, reason: "expired" });
    expect(await verifyAdmission(SECRET, admission, { ...expect_, saleId: "s2" })).toEqual({ ok: false, reason: "other_sale" });
    expect(await verifyAdmission(SECRET, admission, { ...expect_, customerId: "bob" })).toEqual({ ok: false, reason: "other_customer" });
    expect(await verifyAdmission(SECRET, "not a token", expect_)).toEqual({ ok: false, reason: "malformed" });
  });

  it("never takes a ticket for an admission, nor the reverse", async () => {
    const ticket = await signTicket(SECRET, { s: "s1", c: "alice", a: NOW, e: NOW + 60_000 });
    expect((await verifyTicket(SECRET, ticket, expect_)).ok).toBe(true);
    expect(await verifyAdmission(SECRET, ticket, expect_)).toEqual({ ok: false, reason: "forged" });
    const admission = await signAdmission(SECRET, { s: "s1", c: "alice", t: NOW, e: NOW + 60_000 });
    expect(await verifyTicket(SECRET, admission, expect_)).toEqual({ ok: false, reason: "forged" });
  });
});

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
    expect(await placeOf({ ...q, seed: null }, "alice", NOW - 5_000)).toBeNull();
    expect(await placeOf({ ...q, seed: "abc" }, "alice", NOW - 5_000)).toBe(`0:${await sha256Hex("abc:s1:alice")}`);
    // Joined after the start: arrival order, draw or not.
    expect(await placeOf({ ...q, seed: "abc" }, "alice", NOW + 5)).toBe(arrivalPlace(NOW + 5, "alice"));
  });
});

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

describe("a waiter's status", () => {
  const state = (s: Partial<QueueState> = {}): QueueState => ({
    saleId: "s1",
    mode: "fifo",
    startsAtMs: NOW - 60_000,
    endsAtMs: NOW + 3_600_000,
    prequeueSeconds: 600,
    admitSeconds: 120,
    commitment: null,
    seed: null,
    frontier: arrivalPlace(NOW - 30_000, "m"),
    expiredFrontier: arrivalPlace(NOW - 50_000, "m"),
    batches: [
      { frontier: arrivalPlace(NOW - 40_000, "m"), atMs: NOW - 20_000 },
      { frontier: arrivalPlace(NOW - 30_000, "m"), atMs: NOW - 10_000 },
    ],
    closed: null,
    allHeld: false,
    admitted: 5,
    line: [],
    waiting: 3,
    atMs: NOW - 500,
    ...s,
  });

  it("admits from the batch that reached the place, and lets an unused admission lapse", () => {
    expect(waiterView(state(), arrivalPlace(NOW - 35_000, "a"), NOW)).toMatchObject({ status: "admitted", admittedAtMs: NOW - 10_000 });
    expect(waiterView(state(), arrivalPlace(NOW - 45_000, "a"), NOW)).toMatchObject({ status: "admitted", admittedAtMs: NOW - 20_000 });
    expect(waiterView(state(), arrivalPlace(NOW - 55_000, "a"), NOW)).toMatchObject({ status: "closed", reason: "admission_expired" });
    expect(waiterView(state(), arrivalPlace(NOW - 35_000, "a"), NOW + 120_000)).toMatchObject({
      status: "closed",
      reason: "admission_expired",
    });
    expect(waiterView(state({ allHeld: true }), arrivalPlace(NOW - 1_000, "a"), NOW)).toMatchObject({ status: "waiting", allHeld: true });
  });

  it("says sold_out or closed to everyone once the queue closes", () => {
    expect(waiterView(state({ closed: "sold_out" }), arrivalPlace(NOW - 35_000, "a"), NOW).status).toBe("sold_out");
    expect(waiterView(state(), arrivalPlace(NOW - 1_000, "a"), NOW + 3_600_000)).toMatchObject({ status: "closed", reason: "sale_ended" });
  });
});

describe("Turnstile", () => {
  it("passes a token siteverify vouches for and refuses one it does not (only siteverify is faked)", async () => {
    const { verifyTurnstile } = await import("../../src/waiting-room/turnstile");
    const { TURNSTILE_PASS_TOKEN } = await import("../support/fake-turnstile");
    expect(await verifyTurnstile("secret", TURNSTILE_PASS_TOKEN, "203.0.113.7")).toBe(true);
    expect(await verifyTurnstile("secret", "forged", undefined)).toBe(false);
  });
});
