import { refuse, type Outcome, type ProblemCode } from "../domain/problems";

/**
 * The one idempotency rule of the API (spec §6), whichever store keeps
 * the replies: the SKU object's SQLite for stock changes, D1 for checkout and
 * order actions. A reply is stored only once the operation executed (Stripe's
 * rule), a stored reply always wins, and the same key with another request
 * is refused.
 */

/** How long a key's reply is kept (Stripe keeps them at least 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A request's idempotency key, scoped by the caller and the operation, and the hash of who asked what. */
export interface IdempotencyKey {
  key: string;
  /** Binds the caller, the operation and the body: a reply is replayed only to the caller that made it. */
  requestHash: string;
  /**
   * The hash replies were stored under before it bound the caller (operation and body only). Such a
   * reply is replayed only under a key with no escaped part (see keys.ts): that key names its owner
   * unambiguously, so the reply is the caller's own. Stored replies live 24 h, so this can go a day
   * after the release that introduced `requestHash`'s caller binding.
   */
  legacyHash?: string | undefined;
}

export type Replayable<T> = Outcome<T> & { replayed?: boolean };

/**
 * Refusals that say nothing about the request itself: the operation did not
 * run, so a retry must run it rather than replay the refusal.
 */
const TRANSIENT: ReadonlySet<ProblemCode> = new Set(["rate_limited", "unavailable", "internal"]);

export function storable(outcome: Outcome<unknown>): boolean {
  return outcome.ok || !(outcome.transient || TRANSIENT.has(outcome.code));
}

/** A stored reply as both stores keep it. */
export type StoredReply = {
  request_hash: string;
  outcome: string;
  created_at_ms: number;
};

/** What a stored reply (or its absence) means for this request: null to run it, else the answer. */
export function replayOf<T>(row: StoredReply | undefined, idem: IdempotencyKey, now_ms: number): Replayable<T> | null {
  if (!row || row.created_at_ms + IDEMPOTENCY_TTL_MS <= now_ms) return null;
  if (row.request_hash !== idem.requestHash && !isLegacyMatch(row, idem)) {
    return refuse("idempotency_key_reused", "This Idempotency-Key was used with a different request.");
  }
  return { ...(JSON.parse(row.outcome) as Outcome<T>), replayed: true };
}

function isLegacyMatch(row: StoredReply, idem: IdempotencyKey): boolean {
  return idem.legacyHash !== undefined && row.request_hash === idem.legacyHash && !idem.key.includes("\\");
}
