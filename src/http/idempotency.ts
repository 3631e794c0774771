import type { IdempotencyKey } from "../objects/idempotency-store";
import type { Principal } from "./auth";

/**
 * Scopes the caller's key to the caller and the operation, and fingerprints
 * the request, so a replay can be told apart from a reuse with another body.
 */
export async function idempotencyKey(
  key: string | undefined,
  principal: Principal,
  operation: string,
  body: unknown,
): Promise<IdempotencyKey | null> {
  if (key === undefined) return null;
  const who = principal.kind === "merchant" ? "merchant" : `shopper:${principal.customerId}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${operation}\n${canonicalJson(body)}`));
  return { key: `${who}|${operation}|${key}`, requestHash: hex(digest) };
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function hex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
