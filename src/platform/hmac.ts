/**
 * HMAC-SHA256 for the service's signed tokens (shopper JWTs, waiting-room
 * tickets and admissions). Importing a key costs about as much as the MAC
 * itself (a tenth of a hold's Worker time in the bench), so each secret's key
 * is imported once per isolate.
 */

/** The length of a whole HMAC-SHA256. */
export const HMAC_BYTES = 32;
/** RFC 2104 §5: a truncated MAC keeps at least half the hash's bits (and no fewer than 80). */
const TRUNCATED_MIN_BYTES = 16;
/** The service signs with a handful of secrets; the bound only guards against a caller passing data as one. */
const KEYS_MAX = 8;

const keys = new Map<string, Promise<CryptoKey>>();

function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= KEYS_MAX) keys.clear();
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

/** The 32-byte HMAC-SHA256 of `data` under `secret`. */
export async function hmacSign(secret: string, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await keyOf(secret), new TextEncoder().encode(data)));
}

/**
 * Whether `mac` is the HMAC-SHA256 of `data` under `secret`, or its first
 * `mac.byteLength` bytes (a truncated MAC, at least 16 bytes). In constant time:
 * crypto.subtle.verify for a whole MAC, timingSafeEqual for a truncated one.
 */
export async function hmacVerify(secret: string, data: string, mac: Uint8Array): Promise<boolean> {
  if (mac.byteLength === HMAC_BYTES) return crypto.subtle.verify("HMAC", await keyOf(secret), mac, new TextEncoder().encode(data));
  if (mac.byteLength < TRUNCATED_MIN_BYTES || mac.byteLength > HMAC_BYTES) return false;
  const full = await hmacSign(secret, data);
  return crypto.subtle.timingSafeEqual(full.subarray(0, mac.byteLength), mac);
}
