import { canonicalJson, sha256Hex } from "../domain/canonical-json";
import { ownerScope, scopedKey } from "../idempotency/keys";
import type { IdempotencyKey } from "../idempotency/rule";

/** Whose key it is: every merchant key shares the merchant's (one tenant), each shopper has their own. */
type Principal = Parameters<typeof ownerScope>[0];

/**
 * Scopes the caller's key to the caller and the operation, and fingerprints
 * the request with its caller, so a replay can be told apart from a reuse
 * with another body, and a reply is only ever replayed to the caller that
 * made it (issue 22 item 3), whatever key the store found it under.
 */
export function idempotencyKey(key: string | undefined, principal: Principal, operation: string, body: unknown): IdempotencyKey | null {
  if (key === undefined) return null;
  const owner = ownerScope(principal);
  const request = canonicalJson(body);
  return {
    key: scopedKey(owner, operation, key),
    requestHash: sha256Hex(JSON.stringify([owner, operation, request])),
    legacyHash: sha256Hex(`${operation}\n${request}`),
  };
}

/** The key as stored for this caller and operation. */
export function callerKey(principal: Principal, operation: string, key: string): string {
  return scopedKey(ownerScope(principal), operation, key);
}
