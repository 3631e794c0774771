import { pruneReplies } from "./idempotency/d1-replies";
import { reconcileInventory } from "./inventory/reconcile";
import { OrderFlow } from "./orders/flow";
import { ORDER_OUTBOX, OrderOutbox } from "./orders/outbox";
import { reconcilePayments, type ReconciliationReport } from "./payments/reconcile";
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
/** A refund that failed waits 5 min, then twice as long after each failure, up to a day. */
const refundRetryDelayMs = (attempts: number) => Math.min(5 * 60_000 * 2 ** (attempts - 1), 24 * 60 * 60 * 1000);

/**
 * The cron's housekeeping in D1: expired idempotency replies, old webhook
 * ids and holds that ended a day ago (the per-customer index), refunds whose
 * request died after recording them (two-phase: the record says what to
 * finish, see src/orders/refunds.ts), and the orders' outbox: rows a crash
 * left unsent are sent, rows sent a day ago pruned (src/orders/outbox.ts);
 * then the payments reconciliation and the global inventory view's
 * (src/inventory/reconcile.ts).
 */
export async function runMaintenance(
  env: Env,
  now_ms: number,
): Promise<{
  replies: number;
  webhooks: number;
  holds: number;
  refunds: number;
  outboxSent: number;
  outboxPruned: number;
  payments: ReconciliationReport["drift"] | null;
  inventory: { checked: number; drifted: number; repaired: number } | null;
}> {
  const replies = await pruneReplies(env, now_ms, PRUNE_ROWS_MAX);
  const webhooks = await env.DB.prepare(
    `DELETE FROM processed_webhooks WHERE event_id IN
       (SELECT event_id FROM processed_webhooks WHERE received_at_ms <= ? LIMIT ?)`,
  )
    .bind(now_ms - WEBHOOK_MEMORY_MS, PRUNE_ROWS_MAX)
    .run();
  const cutoff = now_ms - ENDED_HOLD_MEMORY_MS;
  // Ended holds through their partial index (customer_holds_ended); then the rare row a re-sent
  // event left live past its deadline, which no index carries (a new hold writes no entry for it).
  const [ended, stale] = await env.DB.batch([
    env.DB.prepare(
      `DELETE FROM customer_holds WHERE hold_id IN
         (SELECT hold_id FROM customer_holds WHERE stage >= 2 AND updated_at_ms <= ? LIMIT ?)`,
    ).bind(cutoff, PRUNE_ROWS_MAX),
    env.DB.prepare(
      `DELETE FROM customer_holds WHERE hold_id IN
         (SELECT hold_id FROM customer_holds WHERE stage < 2 AND expires_at_ms <= ? AND updated_at_ms <= ? LIMIT ?)`,
    ).bind(cutoff, cutoff, PRUNE_ROWS_MAX),
  ]);
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
  const outbox = new OrderOutbox(env);
  // A queue still down leaves the rest unsent for the next run; the housekeeping after it still runs.
  const outboxSent = await outbox.sweep(now_ms, ORDER_OUTBOX.sweep_max).catch((e: unknown) => {
    logger(env).error("order_outbox.sweep_failed", { error: String(e) });
    return 0;
  });
  const outboxPruned = await outbox.prune(now_ms, PRUNE_ROWS_MAX);
  return {
    replies,
    webhooks: webhooks.meta.changes ?? 0,
    holds: (ended?.meta.changes ?? 0) + (stale?.meta.changes ?? 0),
    refunds,
    outboxSent,
    outboxPruned,
    payments: await reconcileHourly(env, now_ms),
    inventory: await reconcileInventoryHourly(env, now_ms),
  };
}

/** One bounded pass of the global view's reconciliation; the next hour goes on where it stopped. */
async function reconcileInventoryHourly(env: Env, now_ms: number): Promise<{ checked: number; drifted: number; repaired: number } | null> {
  try {
    const { checked, drifted, repaired } = await reconcileInventory(env, now_ms, { trigger: "scheduled" });
    return { checked, drifted, repaired };
  } catch (e) {
    logger(env).error("inventory_reconciliation_failed", { error: String(e) });
    return null;
  }
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
