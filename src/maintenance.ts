import { pruneReplies } from "./http/replies";

/** Rows one scheduled run may delete per table: the cron comes back, so a backlog drains over runs. */
const PRUNE_ROWS_MAX = 5_000;
/** Stripe retries an event for up to three days; remembering ids for 30 is ample. */
const WEBHOOK_MEMORY_MS = 30 * 24 * 60 * 60 * 1000;

/** The cron's housekeeping in D1: expired idempotency replies and old webhook ids. */
export async function runMaintenance(env: Env, now_ms: number): Promise<{ replies: number; webhooks: number }> {
  const replies = await pruneReplies(env, now_ms, PRUNE_ROWS_MAX);
  const webhooks = await env.DB.prepare(
    `DELETE FROM processed_webhooks WHERE event_id IN
       (SELECT event_id FROM processed_webhooks WHERE received_at_ms <= ? LIMIT ?)`,
  )
    .bind(now_ms - WEBHOOK_MEMORY_MS, PRUNE_ROWS_MAX)
    .run();
  return { replies, webhooks: webhooks.meta.changes ?? 0 };
}
