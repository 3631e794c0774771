import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accept, refuse, type Outcome } from "../domain/problems";
import { saleItems, sales } from "../db/schema";
import { skuStream } from "../audit/chain";
import { bucketsOf, SkuReplay, type Point, type ReplayEvent, type Violation } from "./replay";
import { verifyChains, type BadEvent, type VerifyEnv } from "../audit/verify";
import { checkpointsStub } from "../audit/export";
import type { SignedCheckpoint, StreamHead } from "../audit/checkpoint";
import { SaleActors, type SaleAction, type SaleActor } from "./report-actors";

/** Bounds of one report (TIGER_STYLE: every loop has one). */
export const REPORT = {
  /** Rows per D1 query. */
  page_rows: 500,
  /** Events one report replays across all its SKUs; past it the report says `complete: false` and `ok: false`. */
  max_events: 200_000,
  /** Points of one SKU's series: minutes, or wider buckets for a long sale. */
  max_points: 1_440,
} as const;

export interface SaleReport {
  saleId: string;
  generatedAt: string;
  ok: boolean;
  complete: boolean;
  skus: Array<{ sku: string; received: number; sold: number; returned: number; soldInSale: number; ok: boolean }>;
  customers: { checked: number; withinLimit: boolean; firstViolation: Violation | null };
  series: Array<{ sku: string; points: Point[] }>;
  audit: { ok: boolean; streams: number; events: number; firstBadEvent?: BadEvent; checkpoint: Covering | null };
  /** Who did each merchant action on the sale (spec §12), in time order, and each key's count. */
  actions: SaleAction[];
  actors: SaleActor[];
  actionsComplete: boolean;
}

/**
 * The latest signed checkpoint and the heads it holds for the report's
 * streams: what a merchant checks the report against later (the export, or
 * the archive, with the public key alone). `covers`: every event the report
 * replayed is at or below those heads.
 */
export type Covering = SignedCheckpoint & { covers: boolean; heads: StreamHead[] };

/**
 * The post-sale report (issue 10), replayed from the audit log: per SKU,
 * units received and sold over its whole history (Σ sold <= received), every
 * customer's units under this sale against its per-customer limit (the first
 * counterexample in time), and availability and hold rate per minute over the
 * window. The SKUs' chains are verified in the same request: a report over
 * an altered log says so. It covers events already shipped from the objects
 * (seconds behind at most).
 */
export async function saleReport(env: Env, saleId: string, now_ms: number): Promise<Outcome<SaleReport>> {
  const db = drizzle(env.DB);
  const [sale] = await db.select().from(sales).where(eq(sales.saleId, saleId));
  if (!sale) return refuse("not_found", `No sale "${saleId}".`);
  const items = await db.select().from(saleItems).where(eq(saleItems.saleId, saleId)).orderBy(asc(saleItems.position));
  const buckets = bucketsOf(sale.startsAtMs, Math.min(sale.endsAtMs, now_ms), REPORT.max_points);

  let budget: number = REPORT.max_events;
  const replays: SkuReplay[] = [];
  /** The last seq replayed per stream. */
  const streams = new Map<string, number>();
  const actors = new SaleActors(saleId, { fromMs: sale.createdAtMs, toMs: sale.endsAtMs });
  for (const item of items) {
    const replay = new SkuReplay(item.sku, saleId, item.perCustomerLimit, buckets);
    budget = await replaySku(env.DB, item.sku, budget, (e, seq) => {
      streams.set(e.stream, Math.max(seq, streams.get(e.stream) ?? 0));
      replay.apply(e);
      actors.onSkuEvent(item.sku, e);
    });
    replays.push(replay);
  }
  await actors.readOrders(env.DB);
  const complete = budget > 0;
  const audit = { ...(await verifyStreams(env, [...streams.keys()].sort())), checkpoint: await covering(env, streams) };
  const firstViolation = replays.map((r) => r.firstViolation).find((v) => v !== null) ?? null;
  const skus = replays.map((r) => ({
    sku: r.sku,
    received: r.received,
    sold: r.sold,
    returned: r.returned,
    soldInSale: r.soldInSale,
    ok: r.sold >= 0 && r.sold <= r.received && r.unreadable === 0,
  }));
  const customers = { checked: replays.reduce((n, r) => n + r.customers, 0), withinLimit: firstViolation === null, firstViolation };
  return accept({
    saleId,
    generatedAt: new Date(now_ms).toISOString(),
    ok: complete && audit.ok && customers.withinLimit && skus.every((s) => s.ok),
    complete,
    skus,
    customers,
    series: replays.map((r) => ({ sku: r.sku, points: r.series() })),
    audit,
    ...actors.result(),
  });
}

/**
 * Feeds one SKU's events (its own stream and every shard's, `sku:<sku>#<n>`)
 * in time order, at most `budget` of them; returns the budget left.
 */
async function replaySku(d1: D1Database, sku: string, budget: number, apply: (e: ReplayEvent, seq: number) => void): Promise<number> {
  const own = skuStream(sku);
  // '#' + 1 is '$': the range holds exactly the shard streams of this SKU.
  const [lo, hi] = [`${own}#`, `${own}$`];
  type Row = { stream: string; seq: number; type: string; at_ms: number; data: string };
  let after: { atMs: number; stream: string; seq: number } | null = null;
  let left = budget;
  for (let page = 0; left > 0 && page <= Math.ceil(REPORT.max_events / REPORT.page_rows); page++) {
    const cursor: string = after ? "AND (at_ms, stream, seq) > (?, ?, ?)" : "";
    const rows: D1Result<Row> = await d1
      .prepare(
        `SELECT stream, seq, type, at_ms, data FROM audit_events
         WHERE (stream = ? OR (stream >= ? AND stream < ?)) ${cursor}
         ORDER BY at_ms, stream, seq LIMIT ?`,
      )
      .bind(own, lo, hi, ...(after ? [after.atMs, after.stream, after.seq] : []), Math.min(REPORT.page_rows, left))
      .all<Row>();
    for (const r of rows.results) apply({ stream: r.stream, type: r.type, atMs: r.at_ms, data: r.data }, r.seq);
    left -= rows.results.length;
    const last: Row | undefined = rows.results.at(-1);
    if (!last || rows.results.length < REPORT.page_rows) return Math.max(left, 0);
    after = { atMs: last.at_ms, stream: last.stream, seq: last.seq };
  }
  return left;
}

async function covering(env: Pick<Env, "AUDIT_ANCHOR">, replayed: ReadonlyMap<string, number>): Promise<Covering | null> {
  const found = await checkpointsStub(env).coveringCheckpoint([...replayed.keys()].sort());
  if (!found) return null;
  const at = new Map(found.heads.map((h) => [h.stream, h.seq]));
  const covers = [...replayed].every(([stream, seq]) => (at.get(stream) ?? 0) >= seq);
  return { ...found.checkpoint, covers, heads: found.heads };
}

async function verifyStreams(env: VerifyEnv, streams: readonly string[]): Promise<Omit<SaleReport["audit"], "checkpoint">> {
  let events = 0;
  for (const stream of streams) {
    const v = await verifyChains(env, { stream, maxEvents: REPORT.max_events });
    events += v.events;
    if (!v.ok) return { ok: false, streams: streams.length, events, ...(v.firstBadEvent && { firstBadEvent: v.firstBadEvent }) };
  }
  return { ok: true, streams: streams.length, events };
}
