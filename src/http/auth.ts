import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { CUSTOMER_ID } from "../domain/ids";
import { ProblemError } from "../domain/problems";
import { withoutPersonalData } from "../access/personal-data";
import { verifyShopperToken } from "../access/shopper-tokens";
import { lookupKey, SECRET_PREFIX, type KeyGrant } from "../access/api-keys";
import { type MerchantActor, ROOT_KEY_ID, type Role } from "../domain/roles";
import { type LocationScope, scopeRefusal } from "../stock/location-scope";

/** A merchant's credential (spec §12): an API key, or `ADMIN_TOKEN` as the owner key `root`. */
export type Merchant = { kind: "merchant" } & KeyGrant;
/** Who is calling (spec §6, §12): a merchant key or a shopper's JWT. */
export type Principal = Merchant | { kind: "shopper"; customerId: string };

const ROOT: Merchant = { kind: "merchant", keyId: ROOT_KEY_ID, role: "owner", locations: null };

const KEY_REFUSAL = {
  unknown: "The token is invalid or has expired.",
  revoked: "This API key was revoked.",
  expired: "This API key has expired.",
} as const;

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
  if (token.startsWith(SECRET_PREFIX)) {
    const found = await lookupKey(env, token, Date.now());
    if (!found.ok) throw new ProblemError("unauthorized", KEY_REFUSAL[found.why]);
    return { kind: "merchant", ...found.grant };
  }
  // Shopper tokens are most of the traffic: a JWT-shaped token is tried as one first.
  const payload = JWT_SHAPE.test(token) ? await verifyShopperToken(token, env) : null;
  if (payload === null) {
    if (await sameSecret(token, env.ADMIN_TOKEN)) return ROOT;
    throw new ProblemError("unauthorized", "The token is invalid or has expired.");
  }
  const claims = ShopperClaims.safeParse(payload);
  if (!claims.success) throw new ProblemError("unauthorized", "The token must carry `sub` and `exp` claims.");
  return { kind: "shopper", customerId: claims.data.sub };
}

/** A route's declared OpenAPI `security`: alternatives, each a set of schemes that must all hold; `{}` admits anyone. */
export type Security = ReadonlyArray<Readonly<Record<string, readonly string[]>>>;

type Shopper = Extract<Principal, { kind: "shopper" }>;

/**
 * What each declared scheme asks of the caller, and how a refusal names it.
 * A `merchant` requirement lists roles (OpenAPI 3.1: "role names which are
 * required"): a key has one role, so each role a route admits is its own
 * alternative, `[{ merchant: ["owner"] }, { merchant: ["manager"] }]`.
 */
const SCHEMES: Record<
  string,
  { holds: (p: Principal | null, roles: readonly string[]) => boolean; needs: string; only: (roles: readonly string[]) => string }
> = {
  merchant: {
    holds: (p, roles) => p?.kind === "merchant" && roles.every((r) => r === p.role),
    needs: "a merchant key",
    only: (roles) => `merchant keys of role ${roles.join(" and ")}`,
  },
  shopper: { holds: (p) => p?.kind === "shopper", needs: "a shopper token", only: () => "shoppers" },
  // Not a principal: the signature covers the raw body, which only the webhook route reads, so that route checks it.
  stripeSignature: { holds: () => true, needs: "a Stripe-Signature", only: () => "Stripe" },
};

/**
 * The one place a route's authorization is enforced: the middleware that
 * refuses a caller its declared `security` does not admit, before the input
 * is parsed or the handler runs. No credential is `401 unauthorized`, a
 * credential of another kind or role `403 forbidden`. A key scoped to
 * locations (spec §11) passes only routes declared `locationScoped`, which
 * pass its scope on to the objects that check it again. Null when the route
 * admits anyone. Every route built with `router()` gets it from its own
 * `security`; a viewer's replies lose customer personal data here too.
 */
export function authorizeFor(
  security: Security | undefined,
  opts: { locationScoped?: boolean } = {},
): MiddlewareHandler<{ Variables: { principal: Principal | null } }> | null {
  if (!security || security.length === 0 || security.some((alt) => Object.keys(alt).length === 0)) return null;
  const alternatives = security.map((alt) =>
    Object.entries(alt).map(([name, roles]) => {
      const scheme = SCHEMES[name];
      if (!scheme) throw new Error(`security scheme "${name}" has no check in http/auth.ts`);
      return { scheme, roles };
    }),
  );
  const schemes = [...new Set(alternatives.flat().map((s) => s.scheme))];
  const needs = `This call needs ${schemes.map((s) => s.needs).join(" or ")}.`;
  const onlyFor = alternatives.flat().map(({ scheme, roles }) => scheme.only(roles));
  const only = `This call is for ${[...new Set(onlyFor)].join(" or ")} only.`;
  return async (c, next) => {
    const principal = c.var.principal ?? null;
    if (!alternatives.some((alt) => alt.every(({ scheme, roles }) => scheme.holds(principal, roles)))) {
      throw new ProblemError(principal === null ? "unauthorized" : "forbidden", principal === null ? needs : only);
    }
    if (principal?.kind === "merchant" && principal.locations !== null && !opts.locationScoped) {
      throw new ProblemError("forbidden", "This key is scoped to locations, and this call is not limited to locations.");
    }
    await next();
    if (principal?.kind === "merchant" && principal.role === "viewer") c.res = await withoutPersonalData(c.res);
  };
}

/** The roles a merchant requirement admits, each its own alternative (see SCHEMES). */
export function merchantRoles(...roles: Role[]): Array<Record<string, string[]>> {
  return roles.map((role) => ({ merchant: [role] }));
}

/**
 * A requirement `{ merchant: [] }` names no role: it is the owner's, written
 * out so the document says what the middleware enforces. A route nobody
 * classified is thereby closed to every other role.
 */
export function ownerByDefault<S extends Security | undefined>(security: S): S {
  if (!security) return security;
  return security.map((alt) => (alt.merchant?.length === 0 ? { ...alt, merchant: ["owner"] } : alt)) as unknown as S;
}

/** The caller a route's declared security admitted; a route that admits anyone reads `c.var.principal`, which may be null. */
export function callerOf(c: { var: { principal: Principal | null } }): Principal {
  const principal = c.var.principal;
  if (principal === null) throw new Error("callerOf on a route whose security admits anonymous callers");
  return principal;
}

/** Who a merchant principal is, as audit events record it (spec §12); undefined for a shopper. */
export function actorOf(principal: Principal): MerchantActor | undefined {
  return principal.kind === "merchant" ? { keyId: principal.keyId, role: principal.role } : undefined;
}

/** The merchant a merchant-only route admitted, as its audit events name it. */
export function merchantActorOf(c: { var: { principal: Principal | null } }): MerchantActor {
  const actor = actorOf(callerOf(c));
  if (!actor) throw new Error("merchantActorOf on a route whose security admits shoppers");
  return actor;
}

/** The caller's scope of locations (spec §12): null for every location (an unscoped key, a shopper, anyone). */
export function scopeOf(c: { var: { principal: Principal | null } }): LocationScope {
  const principal = c.var.principal ?? null;
  return principal?.kind === "merchant" ? principal.locations : null;
}

/**
 * The route's check of a location-scoped call, before the object's own: a
 * scoped key must name its locations (`undefined`: it named none). The objects
 * are handed `scopeOf(c)` and check it again.
 */
export function requireScope(c: { var: { principal: Principal | null } }, ...locations: Array<string | undefined>): void {
  const refused = scopeRefusal(scopeOf(c), ...locations);
  if (refused) throw new ProblemError("forbidden", refused.detail, refused.extra ?? {});
}

/** The shopper a route declared `shopper`-only admitted. */
export function shopperOf(c: { var: { principal: Principal | null } }): Shopper {
  const principal = callerOf(c);
  if (principal.kind !== "shopper") throw new Error("shopperOf on a route whose security admits the merchant");
  return principal;
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
