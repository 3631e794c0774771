import { canonicalJson, sha256Hex } from "../domain/canonical-json";
import type { IdempotencyKey } from "../idempotency/rule";
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
  return { key: scopedKey(principal, operation, key), requestHash: await sha256Hex(`${operation}\n${canonicalJson(body)}`) };
}

/** The key as stored: another caller's or another operation's use of the same string is another key. */
export function scopedKey(principal: Principal, operation: string, key: string): string {
  return `${principalKey(principal)}|${operation}|${key}`;
}

const SHOPPER = "shopper:";

function principalKey(principal: Principal): string {
  return principal.kind === "merchant" ? "merchant" : `${SHOPPER}${principal.customerId}`;
}

/** The operation a hold on `sku` is keyed under. */
export function holdOperation(sku: string): string {
  return `hold:${sku}`;
}

/** The shopper whose hold on `sku` a stored key was scoped to (scopedKey read back), or null for any other key. */
export function holdKeyCustomer(scoped: string, sku: string): string | null {
  if (!scoped.startsWith(SHOPPER)) return null;
  const end = scoped.indexOf(`|${holdOperation(sku)}|`, SHOPPER.length);
  return end < 0 ? null : scoped.slice(SHOPPER.length, end);
}
