import { refuse, type Refusal } from "../domain/problems";

/** Opaque cursors: base64url of UTF-8 text. Their content is not part of the API. */
export function encodeCursor(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The cursor's text, or null when it is not base64url of UTF-8. */
export function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return null;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** The one answer to a cursor this API did not hand out (or not for this listing). */
export function badCursor(): Refusal {
  return refuse("invalid_request", "query cursor: not a cursor of this listing", {
    errors: [{ in: "query", path: "cursor", message: "not a cursor of this listing" }],
  });
}
