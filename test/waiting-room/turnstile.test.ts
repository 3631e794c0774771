import { describe, expect, it } from "vitest";

describe("Turnstile", () => {
  it("passes a token siteverify vouches for and refuses one it does not (only siteverify is faked)", async () => {
    const { verifyTurnstile } = await import("../../src/waiting-room/turnstile");
    const { TURNSTILE_PASS_TOKEN } = await import("../support/fake-turnstile");
    expect(await verifyTurnstile("secret", TURNSTILE_PASS_TOKEN, "203.0.113.7")).toBe(true);
    expect(await verifyTurnstile("secret", "forged", undefined)).toBe(false);
  });
});
