import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { verifyShopperToken } from "../../src/access/shopper-tokens";
import { authenticate } from "../../src/http/auth";
import { verifyStripeEvent } from "../../src/payments/webhook";
import { fromBase64url, toBase64url } from "../../src/platform/base64url";
import { verifyHs256 } from "../../src/platform/jwt";
import { signAdmission, verifyAdmission } from "../../src/waiting-room/tokens";
import { ADMIN, call, clientAddress, createSku, expectProblem, unique } from "../support/helpers";
import { signStripePayload, stripeEvent } from "../support/fake-stripe";
import { TEST_SECRETS } from "../support/secrets";

/**
 * Issue 22 item 6: one spelling per token, a bounded shopper token lifetime
 * with optional audience and issuer, failed credentials throttled per client
 * address, and no Stripe event from the future.
 */

const SECRET = TEST_SECRETS.SHOPPER_JWT_SECRET;
const now = () => Math.floor(Date.now() / 1000);
const DAY_S = 86_400;

/** The other spellings of a base64url text whose last character carries unused bits (none when it carries none). */
function otherSpellings(text: string): string[] {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const spare = { 2: 4, 3: 2 }[(text.length % 4) as 2 | 3] ?? 0;
  const last = alphabet.indexOf(text.at(-1)!);
  return Array.from({ length: (1 << spare) - 1 }, (_, i) => `${text.slice(0, -1)}${alphabet[last + i + 1]}`);
}

async function holdWith(token: string) {
  const sku = await createSku({ stock: 5 });
  return call(`/v1/skus/${sku}/holds`, { auth: `Bearer ${token}`, body: { quantity: 1 } });
}

describe("canonical base64url only", () => {
  it("reads each byte string from exactly one spelling", () => {
    for (const bytes of [new Uint8Array([0]), new Uint8Array([1, 2]), crypto.getRandomValues(new Uint8Array(32))]) {
      const canonical = toBase64url(bytes);
      expect(fromBase64url(canonical)).toEqual(bytes);
      const others = otherSpellings(canonical);
      expect(others.length).toBeGreaterThan(0);
      for (const other of others) expect(fromBase64url(other), other).toBeNull();
    }
  });

  it("refuses a JWT whose signature is spelled another way", async () => {
    const token = await sign({ sub: unique("c"), exp: now() + 600 }, SECRET, "HS256");
    const [h, p, s] = token.split(".") as [string, string, string];
    expect((await holdWith(token)).status).toBe(201);
    for (const other of otherSpellings(s)) expectProblem(await holdWith(`${h}.${p}.${other}`), 401, "unauthorized");
  });

  it("refuses an admission whose MAC is spelled another way", async () => {
    const t = Date.now();
    const token = await signAdmission(TEST_SECRETS.QUEUE_SIGNING_SECRET, { s: "s1", c: "alice", t, k: "sku-1", e: t + 60_000 });
    const [payload, mac] = token.split(".") as [string, string];
    const expected = { saleId: "s1", customerId: "alice", now_ms: t };
    expect((await verifyAdmission(TEST_SECRETS.QUEUE_SIGNING_SECRET, token, expected)).ok).toBe(true);
    for (const other of otherSpellings(mac)) {
      expect((await verifyAdmission(TEST_SECRETS.QUEUE_SIGNING_SECRET, `${payload}.${other}`, expected)).ok).toBe(false);
    }
  });
});

describe("shopper token lifetime, audience and issuer", () => {
  it("refuses a token that expires in 9999 or lives longer than 24 hours, and takes one of 23 hours", async () => {
    const sub = unique("c");
    expectProblem(await holdWith(await sign({ sub, exp: 253_402_300_799 }, SECRET, "HS256")), 401, "unauthorized");
    expectProblem(await holdWith(await sign({ sub, exp: now() + 2 * DAY_S }, SECRET, "HS256")), 401, "unauthorized");
    expectProblem(await holdWith(await sign({ sub, iat: now() - DAY_S, exp: now() + 600 }, SECRET, "HS256")), 401, "unauthorized");
    expect((await holdWith(await sign({ sub, iat: now(), exp: now() + 23 * 3600 }, SECRET, "HS256"))).status).toBe(201);
  });

  it("checks aud and iss when they are configured, and only then", async () => {
    const configured = { ...env, SHOPPER_JWT_AUDIENCE: "holdfast", SHOPPER_JWT_ISSUER: "https://id.example" } as Env;
    const bearer = async (claims: Record<string, unknown>) =>
      `Bearer ${await sign({ sub: "alice", exp: now() + 600, ...claims }, SECRET, "HS256")}`;
    const good = await bearer({ aud: "holdfast", iss: "https://id.example" });
    expect(await authenticate(good, configured)).toEqual({ kind: "shopper", customerId: "alice" });
    expect(await authenticate(await bearer({ aud: ["other", "holdfast"], iss: "https://id.example" }), configured)).toEqual({
      kind: "shopper",
      customerId: "alice",
    });
    for (const claims of [
      { aud: "other", iss: "https://id.example" },
      { aud: "holdfast", iss: "https://evil.example" },
      { aud: "holdfast" },
      {},
    ]) {
      await expect(authenticate(await bearer(claims), configured), JSON.stringify(claims)).rejects.toMatchObject({ code: "unauthorized" });
    }
    expect(await authenticate(await bearer({ aud: "anything" }), env)).toEqual({ kind: "shopper", customerId: "alice" });
  });
});

describe("failed credentials from one address", () => {
  it("are throttled: past the budget the address gets 429, even with the right token, and others are unaffected", async () => {
    const ip = clientAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(429); i++) {
      statuses.push((await call("/v1/skus", { auth: `Bearer guess-${i}`, headers: ip })).status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const blocked = await call("/v1/skus", { auth: ADMIN, headers: ip });
    expectProblem(blocked, 429, "rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await call("/v1/skus", { auth: ADMIN, headers: { "cf-connecting-ip": "192.0.2.77" } })).status).toBe(200);
  });
});

describe("Stripe events", () => {
  it("refuses an event signed a year ahead, and takes one signed now", async () => {
    const payload = JSON.stringify(stripeEvent("customer.created", { id: "cus_1", object: "customer" }));
    const ahead = await signStripePayload(payload, { timestamp: now() + 365 * DAY_S });
    expect(await verifyStripeEvent(env, payload, ahead)).toBeNull();
    expect(await verifyStripeEvent(env, payload, await signStripePayload(payload))).not.toBeNull();
  });
});

describe("tokens this isolate already verified", () => {
  it("answer as a first verification would: another secret, a later clock and a stricter policy still refuse", async () => {
    const t = now();
    const token = await sign({ sub: unique("c"), nbf: t + 60, exp: t + 600 }, SECRET, "HS256");
    // Signature checked, but not yet valid: refused, and still refused from the isolate's memory.
    expect(await verifyHs256(token, SECRET, {}, t)).toBeNull();
    expect(await verifyHs256(token, SECRET, {}, t)).toBeNull();
    expect(await verifyHs256(token, SECRET, {}, t + 120)).toMatchObject({ exp: t + 600 });
    expect(await verifyHs256(token, "another-secret-of-at-least-32-bytes", {}, t + 120)).toBeNull();
    expect(await verifyHs256(token, SECRET, { audience: "holdfast" }, t + 120)).toBeNull();
    expect(await verifyHs256(token, SECRET, {}, t + 600 + 31)).toBeNull();
  });

  it("answer through the shopper verifier as a first verification would, though it skips decoding them", async () => {
    const t = now();
    const token = await sign({ sub: unique("c"), exp: t + 600 }, SECRET, "HS256");
    expect(await verifyShopperToken(token, env, t)).toMatchObject({ exp: t + 600 });
    expect(await verifyShopperToken(token, env, t)).toMatchObject({ exp: t + 600 });
    expect(await verifyShopperToken(token, { ...env, SHOPPER_JWT_SECRET: "another-secret-of-at-least-32-bytes" }, t)).toBeNull();
    expect(await verifyShopperToken(token, { ...env, SHOPPER_JWT_AUDIENCE: "holdfast" }, t)).toBeNull();
    expect(await verifyShopperToken(token, { ...env, SHOPPER_JWT_MAX_LIFETIME_SECONDS: "60" }, t)).toBeNull();
    expect(await verifyShopperToken(token, env, t + 600 + 31)).toBeNull();
  });

  it("hand out claims nobody can change for the next request", async () => {
    const token = await sign({ sub: unique("c"), exp: now() + 600 }, SECRET, "HS256");
    const claims = (await verifyHs256(token, SECRET))!;
    expect(() => {
      claims.sub = "someone-else";
    }).toThrow();
    expect((await verifyHs256(token, SECRET))!.sub).toBe(claims.sub);
  });
});
