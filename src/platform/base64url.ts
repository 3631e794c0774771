import { Buffer } from "node:buffer";

/**
 * base64url without padding (RFC 4648 §5), the encoding of JWTs, waiting-room
 * tokens and cursors. The codec is the runtime's own (node:buffer, native in
 * workerd and Node alike): every shopper request decodes its token's three
 * parts, and a string-building loop here was a tenth of the edge's CPU, most
 * of it garbage collection.
 */
export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * The bytes, or null when the text is not canonical base64url: padding, the
 * `+/` alphabet and a last character with unused bits set are refused (RFC
 * 4648 §3.5), so each token, signature and cursor has exactly one spelling.
 */
export function fromBase64url(text: string): Uint8Array | null {
  // Buffer's decoder skips what it cannot read; only the alphabet, then the round trip, make it strict.
  if (!ALPHABET.test(text)) return null;
  const decoded = Buffer.from(text, "base64url");
  if (decoded.toString("base64url") !== text) return null;
  // A copy: a short decode may sit in Buffer's shared pool, and callers may hand `.buffer` on.
  return new Uint8Array(decoded);
}
