import type { Outcome } from "../domain/problems";

/** How long a key's reply is kept (Stripe keeps them at least 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A request's idempotency key, scoped by the caller, and the hash of what it asked. */
export interface IdempotencyKey {
  key: string;
  requestHash: string;
}

export type Recalled<T> =
  | { kind: "new" }
  | { kind: "replay"; outcome: Outcome<T> }
  | { kind: "reused" };

/** Replies to idempotent requests, in the object's own SQLite, next to the state they describe. */
export class IdempotencyStore {
  constructor(private readonly sql: SqlStorage) {}

  recall<T>(idem: IdempotencyKey, now_ms: number): Recalled<T> {
    const prior = this.sql
      .exec<{ request_hash: string; outcome: string; created_at_ms: number }>(
        "SELECT request_hash, outcome, created_at_ms FROM idempotency WHERE key = ?",
        idem.key,
      )
      .toArray()[0];
    if (!prior || prior.created_at_ms + IDEMPOTENCY_TTL_MS <= now_ms) return { kind: "new" };
    if (prior.request_hash !== idem.requestHash) return { kind: "reused" };
    return { kind: "replay", outcome: JSON.parse(prior.outcome) as Outcome<T> };
  }

  remember<T>(idem: IdempotencyKey, outcome: Outcome<T>, now_ms: number): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO idempotency (key, request_hash, outcome, created_at_ms) VALUES (?, ?, ?, ?)",
      idem.key, idem.requestHash, JSON.stringify(outcome), now_ms,
    );
  }

  /** Deletes up to `max_rows` expired replies, oldest first. */
  prune(now_ms: number, max_rows: number): number {
    return this.sql.exec(
      `DELETE FROM idempotency WHERE key IN
         (SELECT key FROM idempotency WHERE created_at_ms <= ? ORDER BY created_at_ms LIMIT ?)`,
      now_ms - IDEMPOTENCY_TTL_MS, max_rows,
    ).rowsWritten;
  }

  /** When the oldest reply falls due for pruning, or null when there is none. */
  nextPruneMs(): number | null {
    const { at } = this.sql.exec<{ at: number | null }>("SELECT MIN(created_at_ms) AS at FROM idempotency").one();
    return at === null ? null : at + IDEMPOTENCY_TTL_MS;
  }
}
