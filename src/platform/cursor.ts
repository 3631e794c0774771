import { refuse, type Refusal } from "../domain/problems";
import { fromBase64url, toBase64url } from "./base64url";

/** Opaque cursors: base64url of UTF-8 text. Their content is not part of the API. */
export function encodeCursor(text: string): string {
  return toBase64url(new TextEncoder().encode(text));
}

/** The cursor's text, or null when it is not base64url of UTF-8. */
export function decodeCursor(cursor: string): string | null {
  if (cursor.length === 0 || cursor.length > 1024) return null;
  const bytes = fromBase64url(cursor);
  if (!bytes) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
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

/** A position in a list ordered by creation time, then id. */
export type CreatedPosition = { createdAtMs: number; id: string };

/**
 * Cursors of lists ordered by creation time then id (a SKU's holds, its
 * transfers): each names its list (`tag`) and the filter it was made under,
 * so it continues only that listing. Null: not such a cursor.
 */
export const createdCursor = {
  encode: (tag: string, filter: string | undefined, p: CreatedPosition): string =>
    encodeCursor(JSON.stringify([tag, filter ?? "", p.createdAtMs, p.id])),
  decode(cursor: string, tag: string, filter: string | undefined): CreatedPosition | null {
    let v: unknown;
    try {
      v = JSON.parse(decodeCursor(cursor) ?? "null");
    } catch {
      return null;
    }
    if (!Array.isArray(v) || v.length !== 4 || v[0] !== tag || v[1] !== (filter ?? "")) return null;
    const [, , createdAtMs, id] = v as unknown[];
    return Number.isSafeInteger(createdAtMs) && typeof id === "string" ? { createdAtMs: createdAtMs as number, id } : null;
  },
};
