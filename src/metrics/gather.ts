import { and, asc, eq, gt, isNotNull, lte } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { saleItems, sales } from "../db/schema";
import { callObject } from "../platform/object-call";
import type { SkuMetrics } from "../stock/metrics-part";
import { coordinatorName } from "../waiting-room/config";

/** Bounds of one scrape (TIGER_STYLE: every loop has one) and of the metrics' cardinality. */
export const METRICS = {
  /** SKUs of live sales exposed per scrape; past it `holdfast_metrics_skus_truncated` is 1. */
  skus_max: 100,
  /** Queued live sales whose waiting room is exposed. */
  queued_sales_max: 20,
  /** The window of the payment figures: the alert's five minutes. */
  payment_window_ms: 5 * 60_000,
} as const;

/** Audit event types that start a charge attempt, and the one that records its failure. */
const ATTEMPT_EVENTS = ["order.created", "order.payment_retried"] as const;
const FAILURE_EVENT = "order.payment_failed";

export interface MetricsSnapshot {
  at_ms: number;
  skus: Array<{ sku: string; metrics: SkuMetrics }>;
  skusTruncated: boolean;
  waitingRooms: Array<{ saleId: string; waiting: number; admitted: number }>;
  payments: { attempts: number; failures: number; window_ms: number };
  orderOutbox: { pending: number; oldestAtMs: number | null };
}

/**
 * Everything GET /metrics exposes (issue 21), read where its truth lives:
 * each live SKU's object (levels, counters, outbox, hold service times), each
 * queued live sale's waiting room, and D1 for payments (the audit log's last
 * five minutes, by its time index) and the order outbox.
 */
export async function gatherMetrics(env: Env, now_ms: number): Promise<MetricsSnapshot> {
  const db = drizzle(env.DB);
  const live = and(lte(sales.startsAtMs, now_ms), gt(sales.endsAtMs, now_ms));
  const skuRows = await db
    .selectDistinct({ sku: saleItems.sku })
    .from(saleItems)
    .innerJoin(sales, eq(sales.saleId, saleItems.saleId))
    .where(live)
    .orderBy(asc(saleItems.sku))
    .limit(METRICS.skus_max + 1);
  const queued = await db
    .select({ saleId: sales.saleId })
    .from(sales)
    .where(and(live, isNotNull(sales.queueMode)))
    .orderBy(asc(sales.saleId))
    .limit(METRICS.queued_sales_max);
  const skus = skuRows.slice(0, METRICS.skus_max).map((r) => r.sku);
  const [perSku, rooms, payments, outbox] = await Promise.all([
    Promise.all(skus.map((sku) => callObject(env, () => env.SKU.getByName(sku).metrics()))),
    Promise.all(queued.map((q) => callObject(env, () => env.WAITING_ROOM.getByName(coordinatorName(q.saleId)).state()))),
    paymentWindow(env.DB, now_ms),
    env.DB.prepare("SELECT count(*) AS pending, min(created_at_ms) AS oldest FROM order_outbox WHERE sent_at_ms IS NULL").first<{
      pending: number;
      oldest: number | null;
    }>(),
  ]);
  return {
    at_ms: now_ms,
    skus: skus.flatMap((sku, i) => {
      const metrics = perSku[i];
      return metrics ? [{ sku, metrics }] : [];
    }),
    skusTruncated: skuRows.length > METRICS.skus_max,
    waitingRooms: queued.flatMap((q, i) => {
      const s = rooms[i];
      return s ? [{ saleId: q.saleId, waiting: s.waiting, admitted: s.admitted }] : [];
    }),
    payments,
    orderOutbox: { pending: outbox?.pending ?? 0, oldestAtMs: outbox?.oldest ?? null },
  };
}

async function paymentWindow(d1: D1Database, now_ms: number): Promise<MetricsSnapshot["payments"]> {
  const rows = await d1
    .prepare(
      `SELECT type, count(*) AS n FROM audit_events WHERE at_ms > ? AND type IN (${[...ATTEMPT_EVENTS, FAILURE_EVENT].map(() => "?").join(", ")}) GROUP BY type`,
    )
    .bind(now_ms - METRICS.payment_window_ms, ...ATTEMPT_EVENTS, FAILURE_EVENT)
    .all<{ type: string; n: number }>();
  const count = (types: readonly string[]) => rows.results.filter((r) => types.includes(r.type)).reduce((n, r) => n + r.n, 0);
  return { attempts: count(ATTEMPT_EVENTS), failures: count([FAILURE_EVENT]), window_ms: METRICS.payment_window_ms };
}
