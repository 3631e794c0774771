import { createHash } from "node:crypto";
import type { Outcome } from "../domain/problems";
import { IDEMPOTENCY_TTL_MS, replayOf, storable, type IdempotencyKey, type Replayable, type StoredReply } from "./rule";

/**
 * The 24 hex digits a keyed hold's id carries (`hold_<digest>_<sku>`), from
 * its scoped key: the hold row is then where the key's reply is found,
 * through the primary key, with no row or index of its own.
 */
export function keyDigest(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 24);
}

/**
 * Replies to idempotent requests in a SKU object's own SQLite, next to the
 * state they describe: an accepted keyed hold's reply in the hold's own row
 * (its id derived from the key, see keyDigest), every other reply in the
 * idempotency table.
 */
export class SqlReplies {
  constructor(private readonly sql: SqlStorage) {}

  recall<T>(idem: IdempotencyKey, now_ms: number): Replayable<T> | null {
    // Hold ids are `hold_<digest>` then `_` or `-`, both below `~`: one range of the primary key.
    const prefix = `hold_${keyDigest(idem.key)}`;
    const row =
      this.sql
        .exec<StoredReply>(
          "SELECT request_hash, reply AS outcome, created_at_ms FROM holds WHERE hold_id > ? AND hold_id < ? AND idem_key = ?",
          prefix,
          `${prefix}~`,
          idem.key,
        )
        .toArray()[0] ??
      this.sql.exec<StoredReply>("SELECT request_hash, outcome, created_at_ms FROM idempotency WHERE key = ?", idem.key).toArray()[0];
    return replayOf<T>(row, idem, now_ms);
  }

  /** Stores the outcome if the rule says it is one; call inside the transaction that made it. */
  remember<T>(idem: IdempotencyKey, outcome: Outcome<T>, now_ms: number): void {
    if (!storable(outcome)) return;
    this.sql.exec(
      "INSERT OR REPLACE INTO idempotency (key, request_hash, outcome, created_at_ms, accepted) VALUES (?, ?, ?, ?, ?)",
      idem.key,
      idem.requestHash,
      JSON.stringify(outcome),
      now_ms,
      outcome.ok ? 1 : 0,
    );
  }

  /** Keys whose operation was accepted and whose reply is still kept, newest first, at most `max_keys`. */
  acceptedKeys(now_ms: number, max_keys: number): string[] {
    const since = now_ms - IDEMPOTENCY_TTL_MS;
    return this.sql
      .exec<{ key: string }>(
        `SELECT key FROM (
           SELECT key, created_at_ms FROM idempotency WHERE accepted = 1 AND created_at_ms > ?
           UNION ALL SELECT idem_key AS key, created_at_ms FROM holds WHERE created_at_ms > ? AND idem_key IS NOT NULL
         ) ORDER BY created_at_ms DESC LIMIT ?`,
        since,
        since,
        max_keys,
      )
      .toArray()
      .map((r) => r.key);
  }

  /** Deletes up to `max_rows` expired replies, oldest first. */
  prune(now_ms: number, max_rows: number): number {
    return this.sql.exec(
      `DELETE FROM idempotency WHERE key IN
         (SELECT key FROM idempotency WHERE created_at_ms <= ? ORDER BY created_at_ms LIMIT ?)`,
      now_ms - IDEMPOTENCY_TTL_MS,
      max_rows,
    ).rowsWritten;
  }

  /** When the oldest reply falls due for pruning, or null when there is none. */
  nextPruneMs(): number | null {
    const { at } = this.sql.exec<{ at: number | null }>("SELECT MIN(created_at_ms) AS at FROM idempotency").one();
    return at === null ? null : at + IDEMPOTENCY_TTL_MS;
  }

  count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency").one().n;
  }
}
