/**
 * A numeric setting from wrangler.toml's [vars], which are strings. A missing,
 * empty or malformed value falls back to the documented default rather than
 * reaching arithmetic as NaN or 0 (a NaN retention would prune nothing, a 0
 * timeout would refuse every call).
 */
export function envNumber(
  raw: string | undefined,
  fallback: number,
  bounds: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false } = bounds;
  const text = raw?.trim() ?? "";
  const n = text === "" ? Number.NaN : Number(text);
  return Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n)) ? n : fallback;
}
