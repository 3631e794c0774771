import { eq, and, isNotNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { z } from "zod";
import { sloAlerts } from "../db/schema";
import { enqueueNotifications, type Notification, NotificationSchema } from "../notifications/messages";
import { logger } from "../platform/log";
import { gatherMetrics } from "./gather";
import { readSlos, sloConfig, type SloName, type SloReading } from "./slo";

type Row = typeof sloAlerts.$inferSelect;
type Owed = { slo: SloName; version: number; notice: Notification };

/** Notifications kept per objective while the queue refuses them. */
const UNSENT_MAX = 10;
const Unsent = z.array(NotificationSchema).catch([]);

/** The notifications a row still owes; an unreadable record owes nothing (it was ours, so only a bug writes one). */
function unsentOf(row: Row | undefined): Notification[] {
  if (!row?.unsent) return [];
  try {
    return Unsent.parse(JSON.parse(row.unsent));
  } catch {
    return [];
  }
}

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
  const owed: Owed[] = [];
  for (const reading of readings) {
    const row = before.get(reading.slo);
    const changed = (row?.breached ?? false) !== reading.breached;
    // Changes a crash or a queue outage left unsent are still owed, before this one (the last few: a flapping objective is bounded).
    const notices = [...unsentOf(row), ...(changed ? [noticeOf(reading, row, now_ms)] : [])].slice(-UNSENT_MAX);
    const next = {
      breached: reading.breached,
      changedAtMs: changed ? now_ms : (row?.changedAtMs ?? now_ms),
      version: (row?.version ?? 0) + 1,
      unsent: notices.length > 0 ? JSON.stringify(notices) : null,
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
    if ((wrote.meta.changes ?? 0) === 0) continue; // another evaluation wrote first: it sends
    for (const notice of notices) owed.push({ slo: reading.slo, version: next.version, notice });
  }
  const evaluation = {
    readings: readings.map((r) => ({ slo: r.slo, breached: r.breached, value: r.value })),
    sent: await send(env, queue, owed),
  };
  logger(env).info("slo_evaluation", evaluation);
  return evaluation;
}

/** Queues the owed notifications, then clears each from its row unless the row moved on meanwhile (it is then re-sent, same id). */
async function send(env: Env, queue: Queue, owed: readonly Owed[]): Promise<string[]> {
  if (owed.length === 0) return [];
  await enqueueNotifications(
    queue,
    owed.map((p) => p.notice),
  );
  const db = drizzle(env.DB);
  for (const p of new Map(owed.map((o) => [o.slo, o])).values()) {
    await db
      .update(sloAlerts)
      .set({ unsent: null })
      .where(and(eq(sloAlerts.slo, p.slo), eq(sloAlerts.version, p.version), isNotNull(sloAlerts.unsent)))
      .run();
  }
  return owed.map((p) => p.notice.id);
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
