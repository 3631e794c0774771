import { canonicalJson, sha256Hex } from "../domain/canonical-json";
import { ownerScope, scopedKey } from "../idempotency/keys";
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
  return { key: callerKey(principal, operation, key), requestHash: await sha256Hex(`${operation}\n${canonicalJson(body)}`) };
}

/** The key as stored for this caller and operation. */
export function callerKey(principal: Principal, operation: string, key: string): string {
  return scopedKey(ownerScope(principal), operation, key);
}
