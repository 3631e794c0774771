import { and, eq, gt, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { idempotencyReplies } from "../db/schema";
import type { Outcome } from "../domain/problems";
import { IDEMPOTENCY_TTL_MS, replayOf, storable, type IdempotencyKey, type Replayable } from "./rule";

/**
 * The same rule (./rule.ts) for operations the Worker runs itself (checkout,
 * order actions), with replies in D1. D1 has no interactive transactions, so
 * two requests racing with one key may both run; their work converges (the
 * order id derives from the key, order moves are compare-and-swap), and both
 * answer with the reply that was stored first.
 */
export async function idempotentOutcome<T>(
  env: Env,
  idem: IdempotencyKey | null,
  now_ms: number,
  run: () => Promise<Outcome<T>>,
): Promise<Replayable<T>> {
  if (idem === null) return run();
  const prior = await recallStored<T>(env, idem, now_ms);
  if (prior) return prior;
  const outcome = await run();
  if (!storable(outcome)) return outcome;
  const db = drizzle(env.DB);
  const text = JSON.stringify(outcome);
  const [inserted] = await db
    .insert(idempotencyReplies)
    .values({ key: idem.key, requestHash: idem.requestHash, outcome: text, createdAtMs: now_ms })
    .onConflictDoUpdate({
      target: idempotencyReplies.key,
      set: { requestHash: idem.requestHash, outcome: text, createdAtMs: now_ms },
      // Only an expired reply may be overwritten; a live one belongs to the request that won the race.
      setWhere: lt(idempotencyReplies.createdAtMs, now_ms - IDEMPOTENCY_TTL_MS),
    })
    .returning({ key: idempotencyReplies.key });
  if (inserted) return outcome;
  return (await recallStored<T>(env, idem, now_ms)) ?? outcome;
}

/** The stored reply for this key, or null when the operation has not run under it. */
export async function recallStored<T>(env: Env, idem: IdempotencyKey, now_ms: number): Promise<Replayable<T> | null> {
  const [row] = await drizzle(env.DB)
    .select()
    .from(idempotencyReplies)
    .where(and(eq(idempotencyReplies.key, idem.key), gt(idempotencyReplies.createdAtMs, now_ms - IDEMPOTENCY_TTL_MS)));
  return row ? replayOf<T>({ request_hash: row.requestHash, outcome: row.outcome, created_at_ms: row.createdAtMs }, idem, now_ms) : null;
}

/** Deletes up to `max_rows` expired replies (the scheduled clean-up). */
export async function pruneReplies(env: Env, now_ms: number, max_rows: number): Promise<number> {
  const result = await env.DB.prepare(
    `DELETE FROM idempotency_replies WHERE key IN
       (SELECT key FROM idempotency_replies WHERE created_at_ms <= ? ORDER BY created_at_ms LIMIT ?)`,
  )
    .bind(now_ms - IDEMPOTENCY_TTL_MS, max_rows)
    .run();
  return result.meta.changes ?? 0;
}
