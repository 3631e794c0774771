import { eq, and, isNotNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sloAlerts } from "../db/schema";
import { enqueueNotifications, type Notification, NotificationSchema } from "../notifications/messages";
import { logger } from "../platform/log";
import { gatherMetrics } from "./gather";
import { readSlos, SLO_NAMES, sloConfig, type SloName, type SloReading } from "./slo";

type Row = typeof sloAlerts.$inferSelect;

export interface SloEvaluation {
  readings: Array<Pick<SloReading, "slo" | "breached" | "value">>;
  /** Ids of the notifications queued by this evaluation (changes, and any a crash left unsent). */
  sent: string[];
}

/**
 * The alerts (issue 21), run by the every-minute cron: reads the metrics
 * snapshot GET /metrics exposes, judges each objective (./slo.ts) and, when
 * one changes state, queues `slo.breach` or `slo.recovered` to the merchant's
 * webhook (the notifications queue). The state lives in D1 (`slo_alerts`),
 * one row per objective, so a breach is sent once however long it lasts.
 * Each change is written before it is sent, with its notification: the
 * write is a compare-and-swap on the row's version (of two evaluations at
 * once, one sends) and a notification still unsent after a crash goes out
 * with the next evaluation, under the same id (receivers dedupe on it).
 */
export async function evaluateSlos(env: Env, now_ms: number, queue: Queue = env.NOTIFICATIONS): Promise<SloEvaluation> {
  const db = drizzle(env.DB);
  const before = new Map((await db.select().from(sloAlerts)).map((r) => [r.slo, r]));
  const readings = readSlos(
    await gatherMetrics(env, now_ms),
    Object.fromEntries([...before].map(([slo, r]) => [slo, r.memory === null ? undefined : (JSON.parse(r.memory) as unknown)])),
    sloConfig(env),
  );
  const pending: Array<{ slo: SloName; version: number; notice: Notification }> = [];
  for (const [slo, row] of before) {
    const notice = row.unsent === null ? null : NotificationSchema.safeParse(JSON.parse(row.unsent));
    if (notice?.success && isSlo(slo)) pending.push({ slo, version: row.version, notice: notice.data });
  }
  for (const reading of readings) {
    const row = before.get(reading.slo);
    const changed = (row?.breached ?? false) !== reading.breached;
    const notice = changed ? noticeOf(reading, row, now_ms) : null;
    const next = {
      breached: reading.breached,
      changedAtMs: changed ? now_ms : (row?.changedAtMs ?? now_ms),
      version: (row?.version ?? 0) + 1,
      // A change not yet sent stays owed until it is (a newer change replaces it: the newer state is the news).
      unsent: notice ? JSON.stringify(notice) : (row?.unsent ?? null),
      memory: reading.memory === null ? null : JSON.stringify(reading.memory),
    };
    const wrote = row
      ? await db
          .update(sloAlerts)
          .set(next)
          .where(and(eq(sloAlerts.slo, reading.slo), eq(sloAlerts.version, row.version)))
          .run()
      : await db
          .insert(sloAlerts)
          .values({ slo: reading.slo, ...next })
          .onConflictDoNothing()
          .run();
    // Whatever was owed is now this write's to send, or (another evaluation wrote first) that one's.
    const owed = pending.findIndex((p) => p.slo === reading.slo);
    if (owed >= 0) pending.splice(owed, 1);
    if ((wrote.meta.changes ?? 0) === 0) continue;
    if (next.unsent) {
      const parsed = NotificationSchema.parse(JSON.parse(next.unsent));
      pending.push({ slo: reading.slo, version: next.version, notice: parsed });
    }
  }
  const sent = await send(env, queue, pending);
  logger(env).info("slo_evaluation", {
    readings: readings.map((r) => ({ slo: r.slo, breached: r.breached, value: r.value })),
    sent,
  });
  return { readings: readings.map((r) => ({ slo: r.slo, breached: r.breached, value: r.value })), sent };
}

/** Queues the owed notifications, then clears each from its row unless the row moved on meanwhile (it is then re-sent, same id). */
async function send(
  env: Env,
  queue: Queue,
  pending: ReadonlyArray<{ slo: SloName; version: number; notice: Notification }>,
): Promise<string[]> {
  if (pending.length === 0) return [];
  await enqueueNotifications(
    queue,
    pending.map((p) => p.notice),
  );
  const db = drizzle(env.DB);
  for (const p of pending) {
    await db
      .update(sloAlerts)
      .set({ unsent: null })
      .where(and(eq(sloAlerts.slo, p.slo), eq(sloAlerts.version, p.version), isNotNull(sloAlerts.unsent)))
      .run();
  }
  return pending.map((p) => p.notice.id);
}

/** `slo.breach` when the objective is broken, `slo.recovered` when it holds again; the id names the objective and the change. */
function noticeOf(r: SloReading, row: Row | undefined, now_ms: number): Notification {
  const type = r.breached ? "slo.breach" : "slo.recovered";
  const breachedAtMs = r.breached ? now_ms : (row?.changedAtMs ?? now_ms);
  return {
    id: `slo:${r.slo}:${breachedAtMs}:${r.breached ? "breach" : "recovered"}`,
    audience: "merchant",
    type,
    data: { slo: r.slo, value: r.value, threshold: r.threshold, unit: r.unit, breachedAtMs, detail: r.detail },
    atMs: now_ms,
  };
}

const isSlo = (s: string): s is SloName => (SLO_NAMES as readonly string[]).includes(s);
