/** base64url without padding (RFC 4648 §5), the encoding of JWTs, waiting-room tokens and cursors. */
export function toBase64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The bytes, or null when the text is not canonical base64url: padding, the
 * `+/` alphabet and a last character with unused bits set are refused (RFC
 * 4648 §3.5), so each token, signature and cursor has exactly one spelling.
 */
export function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  let bytes: Uint8Array;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  return toBase64url(bytes) === text ? bytes : null;
}
