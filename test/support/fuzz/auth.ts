import fc from "fast-check";
import { TEST_SECRETS } from "../secrets";

/**
 * Credentials as data, so arbitraries can draw them and the request builder
 * signs them later (signing is async). `valid` credentials are ones the API
 * must accept; every other kind must be answered 401 wherever it is sent.
 */
export type AuthSpec =
  | { kind: "none" }
  | { kind: "merchant"; scheme: string }
  | { kind: "shopper"; sub: string; scheme: string }
  /** A JWT built field by field: forged, expired, `alg: none`, `crit`, ... */
  | {
      kind: "jwt";
      label: string;
      header: Record<string, unknown>;
      claims: Record<string, unknown>;
      secret: string | null;
      /** Spell the signature's last character with its unused bits set: the same bytes, not canonical. */
      respell?: boolean;
    }
  /** An Authorization header taken as is. */
  | { kind: "raw"; label: string; value: string };

const enc = new TextEncoder();

function b64url(bytes: Uint8Array | string): string {
  const raw = typeof bytes === "string" ? enc.encode(bytes) : bytes;
  let bin = "";
  for (const b of raw) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

async function hs256(input: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return b64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(input))));
}

export async function jwt(header: Record<string, unknown>, claims: Record<string, unknown>, secret: string | null): Promise<string> {
  const head = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${secret === null ? "" : await hs256(head, secret)}`;
}

const now = () => Math.floor(Date.now() / 1000);
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The Authorization header value for a credential, or undefined for none. */
export async function authorization(a: AuthSpec): Promise<string | undefined> {
  switch (a.kind) {
    case "none":
      return undefined;
    case "merchant":
      return `${a.scheme} ${TEST_SECRETS.ADMIN_TOKEN}`;
    case "shopper":
      return `${a.scheme} ${await jwt({ alg: "HS256", typ: "JWT" }, { sub: a.sub, exp: now() + 3600, iat: now() }, TEST_SECRETS.SHOPPER_JWT_SECRET)}`;
    case "jwt": {
      const token = await jwt(a.header, a.claims, a.secret);
      return `Bearer ${a.respell ? `${token.slice(0, -1)}${B64URL[B64URL.indexOf(token.at(-1)!) ^ 1]}` : token}`;
    }
    case "raw":
      return a.value;
  }
}

export function describeAuth(a: AuthSpec): string {
  switch (a.kind) {
    case "none":
      return "no Authorization";
    case "merchant":
      return `${a.scheme} <ADMIN_TOKEN>`;
    case "shopper":
      return `${a.scheme} <JWT sub=${JSON.stringify(a.sub)}>`;
    case "jwt":
      return `Bearer <JWT ${a.label}${a.respell ? " (signature respelled)" : ""}: header=${JSON.stringify(a.header)} claims=${JSON.stringify(a.claims)} ${a.secret === null ? "unsigned" : a.secret === TEST_SECRETS.SHOPPER_JWT_SECRET ? "signed with SHOPPER_JWT_SECRET" : `signed with ${JSON.stringify(a.secret)}`}>`;
    case "raw":
      return `${a.label}: ${JSON.stringify(a.value.length > 120 ? `${a.value.slice(0, 120)}…(${a.value.length})` : a.value)}`;
  }
}

/** Schemes are case-insensitive (RFC 9110 11.1): every spelling must work. */
const scheme = fc.constantFrom("Bearer", "Bearer", "Bearer", "bearer", "BEARER");

export const merchant = (): fc.Arbitrary<AuthSpec> => scheme.map((s) => ({ kind: "merchant", scheme: s }) as AuthSpec);
export const shopper = (subs: fc.Arbitrary<string>): fc.Arbitrary<AuthSpec> =>
  fc.tuple(subs, scheme).map(([sub, s]) => ({ kind: "shopper", sub, scheme: s }) as AuthSpec);

const SECRET = TEST_SECRETS.SHOPPER_JWT_SECRET;
const HS = { alg: "HS256", typ: "JWT" };

/** Credentials that must be refused with 401 on any route (given a plausible customer id). */
export function forged(sub: string, opts: { publicRoute: boolean }): fc.Arbitrary<AuthSpec> {
  const j = (label: string, header: Record<string, unknown>, claims: Record<string, unknown>, secret: string | null = SECRET) =>
    fc.constant<AuthSpec>({ kind: "jwt", label, header, claims, secret });
  const raw = (label: string, value: string) => fc.constant<AuthSpec>({ kind: "raw", label, value });
  const ok = () => ({ sub, exp: now() + 3600 });
  return fc.oneof(
    j("wrong-secret", HS, ok(), "not-the-shopper-secret-0123456789"),
    j("signed-with-admin-token", HS, ok(), TEST_SECRETS.ADMIN_TOKEN),
    j("expired", HS, { sub, exp: now() - 3600 }),
    j("expired-just-past-leeway", HS, { sub, exp: now() - 120 }),
    j("alg-none", { alg: "none", typ: "JWT" }, ok(), null),
    j("alg-none-signed", { alg: "none" }, ok()),
    j("alg-None", { alg: "None" }, ok(), null),
    j("alg-HS512-label", { alg: "HS512", typ: "JWT" }, ok()),
    j("alg-RS256-label", { alg: "RS256", typ: "JWT" }, ok()),
    j("crit", { ...HS, crit: ["exp"] }, ok()),
    j("crit-unknown", { ...HS, crit: ["x-holdfast"], "x-holdfast": 1 }, ok()),
    j("no-exp", HS, { sub }),
    j("exp-string", HS, { sub, exp: String(now() + 3600) }),
    j("no-sub", HS, { exp: now() + 3600 }),
    j("sub-number", HS, { sub: 42, exp: now() + 3600 }),
    j("sub-with-space", HS, { sub: "a b", exp: now() + 3600 }),
    j("sub-129-chars", HS, { sub: "a".repeat(129), exp: now() + 3600 }),
    j("sub-lone-surrogate", HS, { sub: "a\ud800", exp: now() + 3600 }),
    j("nbf-future", HS, { sub, exp: now() + 7200, nbf: now() + 3600 }),
    j("iat-future", HS, { sub, exp: now() + 7200, iat: now() + 3600 }),
    j("typ-not-jwt", { alg: "HS256", typ: "at+jwt" }, ok()),
    // Issue 22 item 6: a bounded lifetime, and one spelling per signature.
    j("exp-year-9999", HS, { sub, exp: 253_402_300_799 }),
    j("lifetime-two-days", HS, { sub, iat: now(), exp: now() + 2 * 86_400 }),
    j("issued-two-days-ago", HS, { sub, iat: now() - 2 * 86_400, exp: now() + 600 }),
    fc.constant<AuthSpec>({ kind: "jwt", label: "signature-respelled", header: HS, claims: ok(), secret: SECRET, respell: true }),
    raw("admin-token-suffixed", `Bearer ${TEST_SECRETS.ADMIN_TOKEN}x`),
    raw("admin-token-prefix", `Bearer ${TEST_SECRETS.ADMIN_TOKEN.slice(0, -1)}`),
    raw("admin-token-upper", `Bearer ${TEST_SECRETS.ADMIN_TOKEN.toUpperCase()}`),
    raw("basic-scheme", `Basic ${btoa(`admin:${TEST_SECRETS.ADMIN_TOKEN}`)}`),
    raw("token-without-scheme", TEST_SECRETS.ADMIN_TOKEN),
    raw("scheme-without-token", "Bearer"),
    raw("scheme-and-space", "Bearer "),
    // An empty header on a public route may fairly be read as no credential at all.
    ...(opts.publicRoute ? [] : [raw("empty-header", "")]),
    raw("two-tokens", `Bearer ${TEST_SECRETS.ADMIN_TOKEN} ${TEST_SECRETS.ADMIN_TOKEN}`),
    raw("jwt-shaped-garbage", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA"),
    raw("jwt-two-parts", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"),
    raw("huge-token", `Bearer ${"A".repeat(8000)}`),
    raw("latin1-token", "Bearer caf\u00e9"),
    fc
      .string({ minLength: 1, maxLength: 60, unit: "grapheme-ascii" })
      .map((s): AuthSpec => ({ kind: "raw", label: "random-ascii", value: `Bearer ${s}` })),
  );
}
