import { fromBase64url } from "./base64url";
import { HMAC_BYTES, hmacVerify } from "./hmac";
import { Memo } from "./memo";

/**
 * HS256 JWT verification (RFC 7519) for shopper tokens, on the shared HMAC
 * helper rather than a library verifier, which re-imports the key on every
 * request. Only what spec §6 needs: alg HS256, `exp` required, `nbf`/`iat`
 * honoured, no `crit` extensions; a bounded lifetime, and `aud`/`iss` when
 * the deployment names them (issue 22 item 6).
 */
const LEEWAY_S = 30;

/**
 * Tokens whose signature this isolate checked, with the secret that signed
 * them: a shopper sends one token with every request, and its HMAC and
 * decoding were most of what an edge refusal cost. Only verified tokens are
 * kept, so junk tokens cannot fill it; a changed secret checks again.
 */
const VERIFIED_MAX = 4_096;
const verified = new Memo<{ secret: string; claims: Readonly<Record<string, unknown>> }>(VERIFIED_MAX);

/** The longest a shopper token may live unless configured: a leaked token is good for a day at most. */
export const JWT_MAX_LIFETIME_S = 24 * 60 * 60;

export interface JwtPolicy {
  /** `exp` at most this far after `iat` and after now. */
  max_lifetime_s?: number | undefined;
  /** When set, `aud` (a string or an array of strings) must name it. */
  audience?: string | undefined;
  /** When set, `iss` must equal it. */
  issuer?: string | undefined;
}

/**
 * What `verifyHs256` answers for a token this isolate already verified with
 * `secret` (its claims, or null when no longer current under `policy`), with
 * nothing decoded; undefined when it did not verify it.
 */
export function knownHs256(token: string, secret: string, policy: JwtPolicy, now_s: number): Record<string, unknown> | null | undefined {
  const known = verified.get(token, now_s * 1000);
  if (known?.secret !== secret) return undefined;
  return claimsMeet(known.claims, policy, now_s) ? known.claims : null;
}

/** The token's claims when it is a valid, current HS256 JWT signed with `secret` that meets `policy`; otherwise null. */
export async function verifyHs256(
  token: string,
  secret: string,
  policy: JwtPolicy = {},
  now_s = Math.floor(Date.now() / 1000),
): Promise<Record<string, unknown> | null> {
  const known = knownHs256(token, secret, policy, now_s);
  if (known !== undefined) return known;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = json(h);
  if (header?.alg !== "HS256" || (header.typ !== undefined && header.typ !== "JWT")) return null;
  // RFC 7515 section 4.1.11: a `crit` header names extensions that must be understood, and we implement none.
  if ("crit" in header) return null;
  // HS256 signs with the whole MAC: a truncated one is not a valid token.
  const signature = fromBase64url(s);
  if (signature?.byteLength !== HMAC_BYTES || !(await hmacVerify(secret, `${h}.${p}`, signature))) return null;
  const claims = json(p);
  if (!claims) return null;
  Object.freeze(claims);
  // Kept until it has expired for good; the rule is checked again on every use, so `nbf` and the policy still hold.
  if (typeof claims.exp === "number") verified.set(token, { secret, claims }, (claims.exp + LEEWAY_S) * 1000);
  return claimsMeet(claims, policy, now_s) ? claims : null;
}

/**
 * Whether a verified token's claims make it current under `policy`: `exp`
 * required, `nbf`/`iat` honoured, a bounded lifetime, `iss`/`aud` when named.
 * Every shopper token meets this one rule, whatever signed it.
 */
export function claimsMeet(claims: Record<string, unknown>, policy: JwtPolicy, now_s: number): boolean {
  if (typeof claims.exp !== "number" || claims.exp <= now_s - LEEWAY_S) return false;
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > now_s + LEEWAY_S)) return false;
  if (claims.iat !== undefined && (typeof claims.iat !== "number" || claims.iat > now_s + LEEWAY_S)) return false;
  const max_lifetime_s = policy.max_lifetime_s ?? JWT_MAX_LIFETIME_S;
  if (claims.exp > now_s + max_lifetime_s + LEEWAY_S) return false;
  if (typeof claims.iat === "number" && claims.exp - claims.iat > max_lifetime_s) return false;
  if (policy.issuer !== undefined && claims.iss !== policy.issuer) return false;
  if (policy.audience !== undefined && !names(claims.aud, policy.audience)) return false;
  return true;
}

/** RFC 7519 section 4.1.3: `aud` is one string or an array of them. */
function names(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}

export function json(base64url: string): Record<string, unknown> | null {
  const raw = fromBase64url(base64url);
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(raw));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
