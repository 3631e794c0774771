import { compactVerify, createRemoteJWKSet, errors } from "jose";
import { ProblemError } from "../domain/problems";
import { envNumber } from "../platform/env-number";
import { claimsMeet, JWT_MAX_LIFETIME_S, json, type JwtPolicy, knownHs256, verifyHs256 } from "../platform/jwt";

/**
 * The one verification of a shopper token (spec §6, §12): HS256 with
 * `SHOPPER_JWT_SECRET`, or RS256/ES256 from the merchant's identity provider,
 * its key found by `kid` in the JWKS at `SHOPPER_JWKS_URL`. Either way the
 * claims meet the same rule (platform/jwt claimsMeet); an identity provider's
 * token must also name `SHOPPER_JWT_ISSUER` and `SHOPPER_JWT_AUDIENCE`, which
 * must both be set for such tokens to be accepted at all.
 *
 * The key set is read with jose: kept per isolate for JWKS_MAX_AGE_MS, and
 * read again at once (after the cooldown) when a token names a `kid` it does
 * not hold, so a key the provider added since is accepted. A key the provider
 * withdrew is refused within JWKS_MAX_AGE_MS.
 */
const ASYMMETRIC = ["RS256", "ES256"];
export const JWKS_MAX_AGE_MS = 5 * 60_000;
/** Unknown `kid`s read the JWKS at most this often per isolate (default), so forged kids cannot flood the provider. */
const JWKS_COOLDOWN_S = 5;
const JWKS_TIMEOUT_MS = 3_000;
const KEY_SETS_MAX = 4;

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetOf(url: string, cooldown_ms: number): ReturnType<typeof createRemoteJWKSet> {
  const id = `${cooldown_ms} ${url}`;
  let set = keySets.get(id);
  if (!set) {
    if (keySets.size >= KEY_SETS_MAX) keySets.clear();
    set = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: JWKS_MAX_AGE_MS,
      cooldownDuration: cooldown_ms,
      timeoutDuration: JWKS_TIMEOUT_MS,
    });
    keySets.set(id, set);
  }
  return set;
}

/** What a shopper token must meet beyond its signature (optional settings, docs/security.md). */
export function jwtPolicy(env: Env): JwtPolicy {
  return {
    max_lifetime_s: envNumber(env.SHOPPER_JWT_MAX_LIFETIME_SECONDS, JWT_MAX_LIFETIME_S, { min: 60 }),
    audience: env.SHOPPER_JWT_AUDIENCE || undefined,
    issuer: env.SHOPPER_JWT_ISSUER || undefined,
  };
}

/** The token's claims when it is a valid, current shopper token; otherwise null. An unreachable JWKS is `503 unavailable`. */
export async function verifyShopperToken(
  token: string,
  env: Env,
  now_s = Math.floor(Date.now() / 1000),
): Promise<Record<string, unknown> | null> {
  const policy = jwtPolicy(env);
  // Only HS256 tokens are kept once verified, so a known one needs no header decoded to pick its verifier.
  const known = knownHs256(token, env.SHOPPER_JWT_SECRET, policy, now_s);
  if (known !== undefined) return known;
  const alg = json(token.slice(0, token.indexOf(".")))?.alg;
  if (alg === "HS256") return verifyHs256(token, env.SHOPPER_JWT_SECRET, policy, now_s);
  if (typeof alg !== "string" || !ASYMMETRIC.includes(alg) || !env.SHOPPER_JWKS_URL) return null;
  if (policy.issuer === undefined || policy.audience === undefined) return null;
  const cooldown_ms = envNumber(env.SHOPPER_JWKS_COOLDOWN_SECONDS, JWKS_COOLDOWN_S, { min: 0 }) * 1000;
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, keySetOf(env.SHOPPER_JWKS_URL, cooldown_ms), { algorithms: ASYMMETRIC }));
  } catch (e) {
    if (e instanceof errors.JWKSTimeout)
      throw new ProblemError("unavailable", "The identity provider's keys could not be read; retry shortly.");
    return null;
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return null;
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return null;
  const record = claims as Record<string, unknown>;
  return claimsMeet(record, policy, now_s) ? record : null;
}
