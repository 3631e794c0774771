import { pruneReplies } from "./idempotency/d1-replies";
import { OrderFlow } from "./orders/flow";
import { reconcilePayments, type ReconciliationReport } from "./payments/reconcile";
import { enqueuePayment } from "./payments/job";
import { logger } from "./platform/log";

/** Rows one scheduled run may delete per table: the cron comes back, so a backlog drains over runs. */
const PRUNE_ROWS_MAX = 5_000;
/** Stripe retries an event for up to three days; remembering ids for 30 is ample. */
const WEBHOOK_MEMORY_MS = 30 * 24 * 60 * 60 * 1000;
/** A refund recorded this long ago and still pending lost its request; the sweep finishes it. */
const REFUND_ABANDONED_MS = 60_000;
/**
 * Ended holds leave the per-customer index a day after they ended. A re-sent
 * event can only re-add a hold whose deadline is long past, which no listing shows.
 */
const ENDED_HOLD_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Refunds one scheduled run resumes. */
const REFUNDS_MAX = 50;
/** An order this long without its charge or past its deadline lost its payment job; jobs one run re-sends. */
const STRANDED_GRACE_MS = 5 * 60_000;
const STRANDED_MAX = 100;
/** A refund that failed waits 5 min, then twice as long after each failure, up to a day. */
const refundRetryDelayMs = (attempts: number) => Math.min(5 * 60_000 * 2 ** (attempts - 1), 24 * 60 * 60 * 1000);

/**
 * The cron's housekeeping in D1: expired idempotency replies, old webhook
 * ids and holds that ended a day ago (the per-customer index), and refunds whose request died after recording them (two-phase: the
 * record says what to finish, see src/orders/refunds.ts); then the payments reconciliation.
 */
export async function runMaintenance(
  env: Env,
  now_ms: number,
): Promise<{
  replies: number;
  webhooks: number;
  holds: number;
  refunds: number;
  paymentJobs: number;
  payments: ReconciliationReport["drift"] | null;
}> {
  const replies = await pruneReplies(env, now_ms, PRUNE_ROWS_MAX);
  const webhooks = await env.DB.prepare(
    `DELETE FROM processed_webhooks WHERE event_id IN
       (SELECT event_id FROM processed_webhooks WHERE received_at_ms <= ? LIMIT ?)`,
  )
    .bind(now_ms - WEBHOOK_MEMORY_MS, PRUNE_ROWS_MAX)
    .run();
  const cutoff = now_ms - ENDED_HOLD_MEMORY_MS;
  const holds = await env.DB.prepare(
    `DELETE FROM customer_holds WHERE hold_id IN
       (SELECT hold_id FROM customer_holds WHERE updated_at_ms <= ? AND (stage >= 2 OR expires_at_ms <= ?) LIMIT ?)`,
  )
    .bind(cutoff, cutoff, PRUNE_ROWS_MAX)
    .run();
  const flow = new OrderFlow(env);
  const pending = await flow.store.dueRefunds(now_ms, REFUND_ABANDONED_MS, REFUNDS_MAX);
  let refunds = 0;
  for (const orderId of pending) {
    try {
      await flow.resumeRefund(orderId, now_ms);
      refunds += 1;
    } catch (e) {
      // A later run tries again, after those that are due sooner: one stuck refund must not stop the others.
      await flow.store.deferRefund(orderId, now_ms, refundRetryDelayMs);
      logger(env).error("refund_resume_failed", { orderId, error: String(e) });
    }
  }
  // A crash between writing an order and sending its job leaves it pending forever: send the job again.
  // Charging is keyed by order and attempt, and a job for a settled order is a no-op, so a duplicate is harmless.
  const stranded = await flow.store.stranded(now_ms, STRANDED_GRACE_MS, STRANDED_MAX);
  for (const orderId of stranded) await enqueuePayment(env.PAYMENTS, { orderId });
  return {
    replies,
    webhooks: webhooks.meta.changes ?? 0,
    holds: holds.meta.changes ?? 0,
    refunds,
    paymentJobs: stranded.length,
    payments: await reconcileHourly(env, now_ms),
  };
}

/** The hourly payments reconciliation (src/payments/reconcile.ts), after the sweep has finished what it could; an outage skips a run. */
async function reconcileHourly(env: Env, now_ms: number): Promise<ReconciliationReport["drift"] | null> {
  try {
    return (await reconcilePayments(env, now_ms, "scheduled")).drift;
  } catch (e) {
    logger(env).error("payments_reconciliation_failed", { error: String(e) });
    return null;
  }
}
