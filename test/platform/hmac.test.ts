import { describe, expect, it } from "vitest";
import { fromBase64url, toBase64url } from "../../src/platform/base64url";
import { hmacSign, hmacVerify } from "../../src/platform/hmac";

/** The shared HMAC helper (src/platform/hmac.ts) and base64url (src/platform/base64url.ts). */

describe("HMAC-SHA256", () => {
  it("matches RFC 4231 test case 2", async () => {
    const mac = await hmacSign("Jefe", "what do ya want for nothing?");
    expect([...mac].map((b) => b.toString(16).padStart(2, "0")).join("")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("verifies a whole MAC and a truncated one of 16 bytes or more, under its own secret only", async () => {
    const mac = await hmacSign("secret-a", "payload");
    expect(await hmacVerify("secret-a", "payload", mac)).toBe(true);
    expect(await hmacVerify("secret-a", "payload", mac.subarray(0, 16))).toBe(true);
    expect(await hmacVerify("secret-b", "payload", mac)).toBe(false);
    expect(await hmacVerify("secret-b", "payload", mac.subarray(0, 16))).toBe(false);
    expect(await hmacVerify("secret-a", "payload!", mac)).toBe(false);
    // Too short to be worth anything, however well it matches.
    expect(await hmacVerify("secret-a", "payload", mac.subarray(0, 15))).toBe(false);
    expect(await hmacVerify("secret-a", "payload", new Uint8Array(0))).toBe(false);
  });

  it("keeps each secret's key apart when two alternate", async () => {
    const a = await hmacSign("secret-a", "x");
    const b = await hmacSign("secret-b", "x");
    expect(a).not.toEqual(b);
    expect(await hmacSign("secret-a", "x")).toEqual(a);
  });
});

describe("base64url", () => {
  it("round-trips bytes without padding, and refuses text outside its alphabet", () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00, 0x01]);
    expect(toBase64url(bytes)).toBe("-_-_AAE");
    expect(fromBase64url("-_-_AAE")).toEqual(bytes);
    expect(fromBase64url("+/+/AAE")).toBeNull();
    expect(fromBase64url("AAE=")).toBeNull();
    expect(fromBase64url("A")).toBeNull();
  });

  it("has one spelling per byte string: unused bits set in the last character are refused", () => {
    expect(fromBase64url("AAE")).toEqual(Uint8Array.from([0x00, 0x01]));
    expect(fromBase64url("AAF")).toBeNull();
    expect(fromBase64url("AB")).toBeNull();
    expect(fromBase64url("AA")).toEqual(Uint8Array.from([0x00]));
    expect(fromBase64url("")).toEqual(new Uint8Array(0));
  });

  it("encodes a view as its own bytes, not its whole buffer, and decodes into bytes of their own", () => {
    const whole = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(toBase64url(whole.subarray(2, 4))).toBe(toBase64url(Uint8Array.from([3, 4])));
    const decoded = fromBase64url("AQID")!;
    expect(decoded.byteOffset).toBe(0);
    expect(decoded.buffer.byteLength).toBe(3);
  });
});
