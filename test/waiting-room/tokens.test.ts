import { describe, expect, it } from "vitest";
import { signAdmission, signTicket, verifyAdmission, verifyTicket } from "../../src/waiting-room/tokens";

/** Waiting room (spec §9): the signed ticket a waiter polls with and the admission a hold needs. */

const SECRET = "unit-secret-0123456789";
const NOW = 1_800_000_000_000;
const expect_ = { saleId: "s1", customerId: "alice", now_ms: NOW };

describe("tickets and admission tokens", () => {
  it("verifies its own, and refuses forged, expired, another sale's or another customer's", async () => {
    const admission = await signAdmission(SECRET, { s: "s1", c: "alice", t: NOW - 1_000, k: "k1", e: NOW + 60_000 });
    expect(await verifyAdmission(SECRET, admission, expect_)).toEqual({
      ok: true,
      claims: { s: "s1", c: "alice", t: NOW - 1_000, k: "k1", e: NOW + 60_000 },
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
    const ticket = await signTicket(SECRET, { s: "s1", c: "alice", a: NOW, k: "k1", e: NOW + 60_000 });
    expect((await verifyTicket(SECRET, ticket, expect_)).ok).toBe(true);
    expect(await verifyAdmission(SECRET, ticket, expect_)).toEqual({ ok: false, reason: "forged" });
    const admission = await signAdmission(SECRET, { s: "s1", c: "alice", t: NOW, k: "k1", e: NOW + 60_000 });
    expect(await verifyTicket(SECRET, admission, expect_)).toEqual({ ok: false, reason: "forged" });
  });
});
