import { and, eq, gt, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { idempotencyReplies } from "../db/schema";
import { PROBLEMS, type Outcome } from "../domain/problems";
import type { IdempotencyKey } from "../objects/idempotency-store";
import { IDEMPOTENCY_TTL_MS } from "../objects/idempotency-store";
import { PROBLEM_CONTENT_TYPE, problemBody } from "./problem";

export interface Reply {
  status: number;
  body: unknown;
}

/**
 * Idempotency for POSTs the Worker answers from D1 (SPEC section 6): the first
 * reply under a key is stored and every replay gets it back, status and body;
 * the key with another request is 422. 5xx replies are not stored, so a retry
 * after a failure runs again, as with Stripe. Two requests racing with one key
 * may both run; their work is idempotent, and both answer with the stored reply.
 */
export async function idempotentReply(
  env: Env,
  idem: IdempotencyKey | null,
  now_ms: number,
  run: () => Promise<Reply>,
): Promise<Reply & { replayed?: boolean }> {
  if (idem === null) return run();
  const db = drizzle(env.DB);
  const stored = async () =>
    (
      await db
        .select()
        .from(idempotencyReplies)
        .where(and(eq(idempotencyReplies.key, idem.key), gt(idempotencyReplies.createdAtMs, now_ms - IDEMPOTENCY_TTL_MS)))
    )[0];
  const prior = await stored();
  if (prior) return replayOf(prior, idem);
  const reply = await run();
  if (reply.status >= 500) return reply;
  const [inserted] = await db
    .insert(idempotencyReplies)
    .values({ key: idem.key, requestHash: idem.requestHash, status: reply.status, body: JSON.stringify(reply.body), createdAtMs: now_ms })
    .onConflictDoUpdate({
      target: idempotencyReplies.key,
      set: { requestHash: idem.requestHash, status: reply.status, body: JSON.stringify(reply.body), createdAtMs: now_ms },
      // Only an expired reply may be overwritten; a live one belongs to the request that won the race.
      setWhere: lt(idempotencyReplies.createdAtMs, now_ms - IDEMPOTENCY_TTL_MS),
    })
    .returning({ key: idempotencyReplies.key });
  if (inserted) return reply;
  const winner = await stored();
  return winner ? replayOf(winner, idem) : reply;
}

export function replyOf<T>(outcome: Outcome<T>, successStatus: number): Reply {
  return outcome.ok
    ? { status: successStatus, body: outcome.value }
    : { status: PROBLEMS[outcome.code].status, body: problemBody(outcome.code, outcome.detail, outcome.extra) };
}

export function sendReply(reply: Reply & { replayed?: boolean }): Response {
  const headers: Record<string, string> = {
    "content-type": reply.status >= 400 ? PROBLEM_CONTENT_TYPE : "application/json",
  };
  if (reply.replayed) headers["idempotent-replayed"] = "true";
  return new Response(JSON.stringify(reply.body), { status: reply.status, headers });
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

function replayOf(prior: typeof idempotencyReplies.$inferSelect, idem: IdempotencyKey): Reply & { replayed?: boolean } {
  if (prior.requestHash !== idem.requestHash) {
    return { status: 422, body: problemBody("idempotency_key_reused", "This Idempotency-Key was used with a different request.") };
  }
  return { status: prior.status, body: JSON.parse(prior.body) as unknown, replayed: true };
}
