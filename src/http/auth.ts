import { z } from "zod";
import { ProblemError } from "../domain/problems";
import { verifyHs256 } from "../platform/jwt";

/** Who is calling (spec §6): the merchant's admin token or a shopper's JWT. */
export type Principal = { kind: "merchant" } | { kind: "shopper"; customerId: string };

export const CUSTOMER_ID = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@|-]*$/, "customer ids are letters, digits and . _ : @ | -");

const ShopperClaims = z.object({ sub: CUSTOMER_ID, exp: z.number().int() });

/** RFC 9110 section 11.1: the scheme is case-insensitive and one or more spaces precede the token68. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]{1,4096})$/i;
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Resolves the Authorization header to a principal, or throws `unauthorized`.
 * `null` when the header is absent, so public routes can serve anonymous callers.
 */
export async function authenticate(header: string | undefined, env: Env): Promise<Principal | null> {
  if (header === undefined) return null;
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) throw new ProblemError("unauthorized", "Authorization must be `Bearer <token>`.");
  // Shopper tokens are most of the traffic: a JWT-shaped token is tried as one first.
  const payload = JWT_SHAPE.test(token) ? await verifyHs256(token, env.SHOPPER_JWT_SECRET) : null;
  if (payload === null) {
    if (await sameSecret(token, env.ADMIN_TOKEN)) return { kind: "merchant" };
    throw new ProblemError("unauthorized", "The token is invalid or has expired.");
  }
  const claims = ShopperClaims.safeParse(payload);
  if (!claims.success) throw new ProblemError("unauthorized", "The token must carry `sub` and `exp` claims.");
  return { kind: "shopper", customerId: claims.data.sub };
}

export function requireMerchant(principal: Principal | null): void {
  if (principal === null) throw new ProblemError("unauthorized", "This call needs the merchant token.");
  if (principal.kind !== "merchant") throw new ProblemError("forbidden", "This call is for the merchant only.");
}

export function requireShopper(principal: Principal | null): { customerId: string } {
  if (principal === null) throw new ProblemError("unauthorized", "This call needs a shopper token.");
  if (principal.kind !== "shopper") throw new ProblemError("forbidden", "This call is for shoppers only.");
  return { customerId: principal.customerId };
}

/**
 * Compares secrets in constant time: both sides are hashed first so neither
 * their lengths nor a common prefix leak through timing. The expected side's
 * digest is computed once per isolate, not once per request.
 */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), expectedDigest(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

let cached: { secret: string; digest: Promise<ArrayBuffer> } | null = null;

function expectedDigest(secret: string): Promise<ArrayBuffer> {
  if (cached?.secret !== secret) cached = { secret, digest: digest(secret) };
  return cached.digest;
}

function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
}
