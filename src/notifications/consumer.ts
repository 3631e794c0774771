import { deliverNotification, type DeliveryOptions, type DeliveryResult, type NotificationEnv } from "./deliver";
import { NotificationSchema, type Notification } from "./messages";
import { activeSecrets } from "./signing-secrets";
import { MAX_RETRY_DELAY_SECONDS, retryDelaySeconds } from "../platform/backoff";
import { logger, type LogEnv } from "../platform/log";
import { eachMessage, traced, traceOf } from "../platform/trace";

/**
 * Consumers of the `notifications` queue and of its dead-letter queue. The Worker's
 * `queue()` handler dispatches on `batch.queue` with these names (wrangler.toml).
 */
export const NOTIFICATION_QUEUES = {
  main: "holdfast-notifications",
  dead: "holdfast-notifications-dlq",
} as const;

/**
 * Delivers every message of a batch on its own: each is acked or retried
 * individually, so one failing message never re-sends the ones already delivered.
 * Throws only when the signing secrets cannot be read, before anything is
 * sent (the whole batch is retried); past that never, which would re-send.
 */
export async function handleNotifications(batch: MessageBatch<unknown>, env: NotificationEnv, given: DeliveryOptions = {}): Promise<void> {
  // Read once per batch: a rotation reaches the next batch.
  const opts = given.secrets || !env.DB ? given : { ...given, secrets: await activeSecrets({ ...env, DB: env.DB }) };
  // The runtime queues fetches beyond its concurrent-connection limit by itself.
  await eachMessage(batch, (msg) => processMessage(msg, batch.queue, env, opts));
}

async function processMessage(msg: Message<unknown>, queue: string, env: NotificationEnv, opts: DeliveryOptions) {
  const parsed = NotificationSchema.safeParse(msg.body);
  if (!parsed.success) {
    // Retrying cannot make a malformed body valid; ack it so it neither loops nor
    // fills the DLQ, and log it loudly (with the body) so the producer gets fixed.
    logger(env).error("notification.malformed", {
      queue,
      messageId: msg.id,
      attempts: msg.attempts,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      body: safeBody(msg.body),
    });
    msg.ack();
    return;
  }

  const n: Notification = parsed.data;
  let result: DeliveryResult;
  try {
    result = await deliverNotification(n, env, opts);
  } catch (err) {
    result = { ok: false, reason: "network", detail: `unexpected: ${String(err)}` };
  }
  if (result.ok) {
    logger(env).info("notification.delivered", { id: n.id, type: n.type, via: result.via, attempts: msg.attempts });
    msg.ack();
    return;
  }

  const backoff = retryDelaySeconds(msg.attempts);
  const delaySeconds = Math.min(Math.max(backoff, result.retryAfterSeconds ?? 0), MAX_RETRY_DELAY_SECONDS);
  logger(env).warn("notification.delivery_failed", {
    id: n.id,
    type: n.type,
    messageId: msg.id,
    attempts: msg.attempts,
    reason: result.reason,
    status: result.status,
    retryInSeconds: delaySeconds,
    // A plain 4xx is the merchant's endpoint refusing us; retried anyway (they may
    // fix it within the retry window), but say so instead of looking like an outage.
    note:
      result.reason === "rejected"
        ? "merchant endpoint rejected the notification (4xx); retrying in case it is fixed, check the endpoint"
        : result.reason === "misconfigured"
          ? "set MERCHANT_WEBHOOK_SECRET, or clear MERCHANT_WEBHOOK_URL to log notifications"
          : undefined,
    detail: result.detail,
  });
  msg.retry({ delaySeconds });
}

/**
 * Messages that exhausted their retries. They are logged at error level with their
 * body (the log is the record to replay them from) and acked: retrying here would
 * only spin.
 */
export async function handleNotificationDeadLetters(batch: MessageBatch<unknown>, env?: LogEnv): Promise<void> {
  const log = logger(env);
  for (const msg of batch.messages) {
    const parsed = NotificationSchema.safeParse(msg.body);
    traced(traceOf(msg.body), () =>
      log.error("notification.dead_letter", {
        queue: batch.queue,
        messageId: msg.id,
        id: parsed.success ? parsed.data.id : undefined,
        type: parsed.success ? parsed.data.type : undefined,
        audience: parsed.success ? parsed.data.audience : undefined,
        attempts: msg.attempts,
        firstEnqueuedAt: msg.timestamp.toISOString(),
        body: safeBody(msg.body),
      }),
    );
    msg.ack();
  }
}

/** The body for a log line: serialisable and bounded (a queue message may be up to 128 KB). */
function safeBody(body: unknown): unknown {
  try {
    const text = JSON.stringify(body);
    if (text === undefined) return String(body);
    return text.length <= 8_000 ? body : `${text.slice(0, 8_000)}…`;
  } catch {
    return String(body);
  }
}
