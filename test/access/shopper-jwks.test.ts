import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ProblemError } from "../../src/domain/problems";
import { authenticate } from "../../src/http/auth";
import { IDP_ORIGIN } from "../support/fake-idp";
import { shopperToken, unique } from "../support/helpers";

/**
 * Spec §12: shopper tokens from the merchant's identity provider, RS256 or
 * ES256, verified against its JWKS with `iss`, `aud`, `exp` and `nbf` checked
 * and keys rotating by `kid`. The JWKS is served from the test runtime
 * (test/support/fake-idp.ts) and rotated by publishing another set. The
 * deployment's settings are the env `authenticate` is given.
 */
const ISSUER = "https://tenant.idp.test/";
const AUDIENCE = "https://api.shop.test";
const SUBJECT = "auth0|5f7c8ec7c33c6c004bbafe82";

type Key = { kid: string; alg: "RS256" | "ES256"; privateKey: CryptoKey; jwk: JWK };
async function key(kid: string, alg: Key["alg"]): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

let jwksUrl: string;
let settings: Env;
const publish = async (...keys: Key[]) => {
  const res = await fetch(jwksUrl, { method: "PUT", body: JSON.stringify({ keys: keys.map((k) => k.jwk) }) });
  expect(res.status).toBe(204);
};
const reads = async () => ((await (await fetch(`${jwksUrl}?reads`)).json()) as { reads: number }).reads;

function token(k: Key, claims: Record<string, unknown> = {}, opts: { iss?: string; aud?: string; exp?: number; nbf?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: k.alg, kid: k.kid, typ: "JWT" })
    .setSubject(SUBJECT)
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(now)
    .setNotBefore(opts.nbf ?? now)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(k.privateKey);
}

async function who(bearer: string, on: Env = settings) {
  try {
    return await authenticate(`Bearer ${bearer}`, on);
  } catch (e) {
    if (e instanceof ProblemError) return e.code;
    throw e;
  }
}

let k1: Key;
let k2: Key;
beforeAll(async () => {
  jwksUrl = `${IDP_ORIGIN}/${unique("tenant")}/.well-known/jwks.json`;
  settings = {
    ...env,
    SHOPPER_JWKS_URL: jwksUrl,
    SHOPPER_JWT_ISSUER: ISSUER,
    SHOPPER_JWT_AUDIENCE: AUDIENCE,
    SHOPPER_JWKS_COOLDOWN_SECONDS: "0",
  };
  [k1, k2] = await Promise.all([key("k1", "RS256"), key("k2", "ES256")]);
  await publish(k1);
});

describe("shopper tokens from the merchant's identity provider", () => {
  it("accepts an RS256 token signed with a key of the JWKS, with an identity provider's subject", async () => {
    expect(await who(await token(k1))).toEqual({ kind: "shopper", customerId: SUBJECT });
  });

  it("refuses a wrong issuer, audience, an expired or not-yet-valid token, and an unknown key", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await who(await token(k1, {}, { iss: "https://evil.idp.test/" }))).toBe("unauthorized");
    expect(await who(await token(k1, {}, { aud: "https://other.test" }))).toBe("unauthorized");
    expect(await who(await token(k1, {}, { exp: now - 120 }))).toBe("unauthorized");
    expect(await who(await token(k1, {}, { nbf: now + 3600, exp: now + 7200 }))).toBe("unauthorized");
    const stranger = await key("k1", "RS256"); // the same kid, another key: the signature fails
    expect(await who(await token(stranger))).toBe("unauthorized");
  });

  it("refuses identity-provider tokens where the deployment names no JWKS, issuer or audience", async () => {
    const t = await token(k1);
    expect(await who(t, { ...settings, SHOPPER_JWKS_URL: undefined })).toBe("unauthorized");
    expect(await who(t, { ...settings, SHOPPER_JWT_ISSUER: undefined })).toBe("unauthorized");
    expect(await who(t, { ...settings, SHOPPER_JWT_AUDIENCE: undefined })).toBe("unauthorized");
  });

  it("still accepts HS256 shopper tokens beside them (one verification path, one claims rule)", async () => {
    const hs = await shopperToken("alice", {});
    // The deployment's issuer/audience apply to HS256 tokens too: this one names neither.
    expect(await who(hs.slice("Bearer ".length), env)).toEqual({ kind: "shopper", customerId: "alice" });
    expect(await who(hs.slice("Bearer ".length))).toBe("unauthorized");
  });

  it("follows a rotation: a key the JWKS gained since it was read is accepted, by its kid", async () => {
    expect(await who(await token(k1))).toMatchObject({ kind: "shopper" });
    const before = await reads();
    // Not published yet: refused, whatever the cache held.
    expect(await who(await token(k2))).toBe("unauthorized");
    await publish(k1, k2);
    expect(await who(await token(k2))).toEqual({ kind: "shopper", customerId: SUBJECT });
    // Both keys verify during the overlap; the new kid cost a read of the JWKS, the known one none.
    expect(await who(await token(k1))).toMatchObject({ kind: "shopper" });
    expect(await reads()).toBeGreaterThan(before);
  });
});
