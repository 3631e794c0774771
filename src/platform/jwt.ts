/**
 * HS256 JWT verification (RFC 7519) for shopper tokens, with the HMAC key
 * imported once per isolate: the library verifier re-imports it on every
 * request, which showed in the bench as a tenth of a hold's Worker time.
 * Only what spec §6 needs: alg HS256, `exp` required, `nbf`/`iat` honoured,
 * no `crit` extensions.
 */
const LEEWAY_S = 30;

let cached: { secret: string; key: Promise<CryptoKey> } | null = null;

function hmacKey(secret: string): Promise<CryptoKey> {
  if (cached?.secret !== secret) {
    const key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    cached = { secret, key };
  }
  return cached.key;
}

/** The token's claims when it is a valid, current HS256 JWT signed with `secret`; otherwise null. */
export async function verifyHs256(
  token: string,
  secret: string,
  now_s = Math.floor(Date.now() / 1000),
): Promise<Record<string, unknown> | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = json(h);
  if (header?.alg !== "HS256" || (header.typ !== undefined && header.typ !== "JWT")) return null;
  // RFC 7515 section 4.1.11: a `crit` header names extensions that must be understood, and we implement none.
  if ("crit" in header) return null;
  const signature = bytes(s);
  if (!signature) return null;
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, new TextEncoder().encode(`${h}.${p}`));
  if (!valid) return null;
  const claims = json(p);
  if (!claims || typeof claims.exp !== "number" || claims.exp <= now_s - LEEWAY_S) return null;
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > now_s + LEEWAY_S)) return null;
  if (claims.iat !== undefined && (typeof claims.iat !== "number" || claims.iat > now_s + LEEWAY_S)) return null;
  return claims;
}

function bytes(base64url: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(base64url)) return null;
  try {
    const binary = atob(base64url.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function json(base64url: string): Record<string, unknown> | null {
  const raw = bytes(base64url);
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(raw));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
