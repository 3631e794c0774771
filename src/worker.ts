import { createApp } from "./app";
import { checkpointsStub } from "./audit/export";
import { runMaintenance } from "./maintenance";
import { evaluateSlos } from "./metrics/alerts";
import { logger } from "./platform/log";
import { sweepLocationPushes } from "./locations/push";
import { traced } from "./platform/trace";
import { handleNotificationDeadLetters, handleNotifications, NOTIFICATION_QUEUES } from "./notifications/consumer";
import { handlePaymentDeadLetters, handlePayments, PAYMENT_QUEUES } from "./payments/consumer";

export { AuditAnchorObject } from "./objects/audit-anchor-object";
export { SkuObject } from "./objects/sku-object";
export { WaitingRoomObject } from "./objects/waiting-room-object";

const app = createApp();

/** The every-minute trigger (wrangler.toml) that signs audit checkpoints and finishes owed location pushes. */
const AUDIT_CHECKPOINT_CRON = "* * * * *";

const consumers: Record<string, (batch: MessageBatch<unknown>, env: Env) => Promise<void>> = {
  [PAYMENT_QUEUES.main]: handlePayments,
  [PAYMENT_QUEUES.dead]: handlePaymentDeadLetters,
  [NOTIFICATION_QUEUES.main]: (batch, env) => handleNotifications(batch, env),
  [NOTIFICATION_QUEUES.dead]: handleNotificationDeadLetters,
};

export default {
  fetch: app.fetch,
  // Each run is a trace of its own: its log lines and the messages it queues carry the id.
  scheduled: (controller, env) => traced(undefined, () => scheduled(controller, env)),
  async queue(batch, env) {
    const consume = consumers[batch.queue];
    if (!consume) throw new Error(`no consumer for queue ${batch.queue}`);
    await consume(batch, env);
  },
} satisfies ExportedHandler<Env>;

async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  if (controller.cron === AUDIT_CHECKPOINT_CRON) {
    // The alerts (issue 21) first, on their own: a failing checkpoint must not silence a page, nor the reverse.
    await evaluateSlos(env, controller.scheduledTime).catch((e: unknown) =>
      logger(env).error("slo_evaluation_failed", { error: String(e) }),
    );
    // A new signed checkpoint when some stream moved since the last, then the write-once archive of every checkpoint not yet in it (issue 25).
    const checkpoints = checkpointsStub(env);
    const made = await checkpoints.makeCheckpoint(controller.scheduledTime);
    const archive = await checkpoints.archiveCheckpoints(controller.scheduledTime);
    logger(env).info("audit_checkpoint", { seq: made?.body.seq ?? null, archived: archive.archived, parts: archive.parts });
    // Location changes beyond what their PUT pushed, and pushes that failed (src/locations/push.ts): one indexed query when none is owed.
    const pushes = await sweepLocationPushes(env, controller.scheduledTime);
    if (pushes.pushed + pushes.failed > 0) logger(env).info("location_pushes", { ...pushes });
    return;
  }
  const pruned = await runMaintenance(env, controller.scheduledTime);
  logger(env).info("maintenance", pruned);
}
