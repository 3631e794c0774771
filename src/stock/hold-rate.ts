/**
 * A sale's holdsPerMinute as a token bucket per customer: a burst of up to
 * the cap, then one hold per 60/cap seconds. O(1) state in the customer's
 * usage row, so the check costs the same however many holds exist.
 */
export type Bucket = { tokens: number | null; at_ms: number | null };

export function takeHoldToken(
  bucket: Bucket,
  per_minute: number,
  now_ms: number,
): { ok: true; tokens: number } | { ok: false; retryAfterSeconds: number } {
  const refill_per_ms = per_minute / 60_000;
  const tokens =
    bucket.tokens === null || bucket.at_ms === null
      ? per_minute
      : Math.min(per_minute, bucket.tokens + Math.max(0, now_ms - bucket.at_ms) * refill_per_ms);
  if (tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refill_per_ms / 1000)) };
  return { ok: true, tokens: tokens - 1 };
}
