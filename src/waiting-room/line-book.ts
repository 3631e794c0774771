import { freshLine, type LineRow } from "./coordinator-schema";
import { admitCount, soldOutForGood, type AdmissionBook, type StockSignals } from "./frontier";
import type { JoinShardCalls, LineSurvey, ShardSurvey } from "./join-shard";
import { mergeLines } from "./line";

/**
 * Each SKU's line of a sale's queue (spec §9): how far a tick moves it
 * (planMove, from the SKU's stock and the join shards' surveys), and its rows
 * in the queue object's table (LineBook). The coordinator (./coordinator.ts)
 * decides when to tick and writes a tick's moves together.
 */

/**
 * Shoppers admitted per tick at most, per stock shard of the SKU: the rate a
 * line moves at is bounded by what the SKU can serve (spec §8), not a constant.
 */
export const ADMIT_PER_STOCK_SHARD = 1_000;

export type SkuStock = StockSignals & { shards: number };

/** The most one tick admits from the SKU's line. */
export function tickAdmitMax(stock: SkuStock): number {
  return ADMIT_PER_STOCK_SHARD * Math.max(1, stock.shards);
}

/**
 * How far one SKU's line moves: its own stock against its own admitted and
 * used counts (a cold SKU's units admit nobody who wants the hot one), at
 * most ADMIT_PER_STOCK_SHARD for each of the SKU's stock shards.
 */
export async function planMove(l: LineRow, stock: SkuStock, surveys: ShardSurvey[], shards: JoinShardCalls[], ceiling: string | null) {
  const sku = l.sku;
  const of = surveys.map((s): LineSurvey => s.lines[sku] ?? { joined: 0, usedRecent: 0, usedTotal: 0, line: [] });
  const sum = (f: (s: LineSurvey) => number) => of.reduce((n, s) => n + f(s), 0);
  const book: AdmissionBook = {
    admittedRecent: l.admitted_total - l.admitted_expired,
    usedRecent: sum((s) => s.usedRecent),
    admittedExpired: l.admitted_expired,
    usedExpired: sum((s) => s.usedTotal) - sum((s) => s.usedRecent),
  };
  const joined = sum((s) => s.joined);
  const waiting = joined - l.admitted_total;
  const cap = tickAdmitMax(stock);
  const wanted = waiting > 0 && ceiling !== "" && !soldOutForGood(stock) ? Math.min(waiting, admitCount(stock, book, cap)) : 0;
  const places = wanted > 0 ? await nextPlaces(shards, sku, l.frontier, wanted, ceiling) : [];
  return { sku, joined, places, line: mergeLines(of.map((s) => s.line)) };
}

/**
 * The `n` lowest places of the SKU's line after the frontier across every
 * shard, none beyond `ceiling` (the draw's written places, ./lottery.ts
 * drawCeiling; null: no bound). Places spread evenly over the shards, so each
 * is first asked for about twice its share; only a shard whose answer could
 * hide a lower admissible place than the merged n-th is asked again for all `n`.
 */
async function nextPlaces(shards: JoinShardCalls[], sku: string, after: string | null, n: number, ceiling: string | null) {
  const share = Math.min(n, Math.ceil((2 * n) / shards.length) + 16);
  const lists = await Promise.all(shards.map((s) => s.nextPlaces(sku, after, share)));
  const pick = () =>
    lists
      .flat()
      .filter((p) => ceiling === null || p <= ceiling)
      .sort()
      .slice(0, n);
  let merged = pick();
  const nth = merged[merged.length - 1];
  const hides = (last: string) => (merged.length < n || last < nth!) && (ceiling === null || last < ceiling);
  const short = lists.map((l, i) => (l.length === share && share < n && hides(l[l.length - 1]!) ? i : -1));
  const again = short.filter((i) => i >= 0);
  if (again.length > 0) {
    const more = await Promise.all(again.map((i) => shards[i]!.nextPlaces(sku, after, n)));
    for (const [j, i] of again.entries()) lists[i] = more[j]!;
    merged = pick();
  }
  return merged;
}

/** The lines' rows: their frontiers, admission batches and counts. */
export class LineBook {
  constructor(private readonly sql: SqlStorage) {}

  /** Each SKU's line, a fresh one for a SKU not seen before. */
  lines(skus: readonly string[]): Record<string, LineRow> {
    const rows = new Map(
      this.sql
        .exec<LineRow>("SELECT * FROM queue_lines")
        .toArray()
        .map((r) => [r.sku, r]),
    );
    return Object.fromEntries(skus.map((sku) => [sku, rows.get(sku) ?? freshLine(sku)]));
  }

  admit(sku: string, frontier: string, count: number, now_ms: number): void {
    this.sql.exec(
      `INSERT INTO line_batches (sku, at_ms, frontier, admitted) VALUES (?, ?, ?, ?)
       ON CONFLICT (sku, at_ms) DO UPDATE SET frontier = excluded.frontier, admitted = admitted + excluded.admitted`,
      sku,
      now_ms,
      frontier,
      count,
    );
    this.sql.exec("UPDATE queue_lines SET frontier = ?, admitted_total = admitted_total + ? WHERE sku = ?", frontier, count, sku);
  }

  /** Batches older than the admission window lapse: their shoppers' admissions ran out. */
  expireBatches(windowStartMs: number): void {
    const lapsed = this.sql
      .exec<{ sku: string; frontier: string; admitted: number }>(
        "SELECT sku, frontier, admitted FROM line_batches WHERE at_ms <= ? ORDER BY sku, at_ms",
        windowStartMs,
      )
      .toArray();
    if (lapsed.length === 0) return;
    this.sql.exec("DELETE FROM line_batches WHERE at_ms <= ?", windowStartMs);
    const last = new Map<string, { frontier: string; count: number }>();
    for (const b of lapsed) last.set(b.sku, { frontier: b.frontier, count: (last.get(b.sku)?.count ?? 0) + b.admitted });
    for (const [sku, b] of last) {
      this.sql.exec(
        "UPDATE queue_lines SET expired_frontier = ?, admitted_expired = admitted_expired + ? WHERE sku = ?",
        b.frontier,
        b.count,
        sku,
      );
    }
  }

  /** A line whose SKU sold out stays watched (at the sold-out pace) so a restock reopens it. */
  someSoldOut(): boolean {
    return this.sql.exec("SELECT 1 FROM queue_lines WHERE sold_out = 1 LIMIT 1").toArray().length > 0;
  }
}
