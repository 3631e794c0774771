import { featuredSale } from "./offer";
import type { SkuTables } from "./tables";

/**
 * What one sale's board shows of one object (issue 21): its shoppers' holds
 * and the refusals the object gave them, never the SKU's lifetime counters.
 * A sharded SKU's own object adds up its shards' parts.
 */
export interface SaleActivity {
  /** Holds of this sale (its per-customer scope) created since it started. */
  created: number;
  /** Those of them that lapsed without checkout or release. */
  expired: number;
  /** Those created in the `recent_ms` before now. */
  createdRecently: number;
  /** Refusals of hold requests while this sale was the SKU's featured one (live, or ended last), by code. */
  refusals: Record<string, number>;
}

/** Counter name of one sale's refusals of one code; the `counters` table holds it. */
const SALE_REFUSAL_PREFIX = "sale_refused:";

export function saleRefusalCounter(saleId: string, code: string): string {
  return `${SALE_REFUSAL_PREFIX}${saleId}:${code}`;
}

/**
 * The sale a shopper's refused hold counts against: the one the SKU featured
 * then, once it had started (a refusal before a sale began is no refusal of
 * its shoppers); null when none had.
 */
export function refusedUnderSale(tables: SkuTables, now_ms: number): string | null {
  const sale = featuredSale(tables.saleRules(), now_ms);
  return sale && sale.state !== "upcoming" ? sale.saleId : null;
}

/** One object's part, read from its holds table and counters (retention bounds how far back holds go). */
export function saleActivityHere(tables: SkuTables, saleId: string, since_ms: number, now_ms: number, recent_ms: number): SaleActivity {
  const row = tables.sql
    .exec<{ created: number; expired: number; recent: number }>(
      `SELECT count(*) AS created,
              coalesce(sum(status = 'expired'), 0) AS expired,
              coalesce(sum(created_at_ms > ?), 0) AS recent
         FROM holds WHERE scope = ? AND created_at_ms >= ?`,
      now_ms - recent_ms,
      saleId,
      since_ms,
    )
    .one();
  const prefix = `${SALE_REFUSAL_PREFIX}${saleId}:`;
  const refusals: Record<string, number> = {};
  for (const [name, value] of Object.entries(tables.counters())) {
    if (name.startsWith(prefix)) refusals[name.slice(prefix.length)] = value;
  }
  return { created: row.created, expired: row.expired, createdRecently: row.recent, refusals };
}

export function addActivity(parts: ReadonlyArray<SaleActivity | null>): SaleActivity {
  const out: SaleActivity = { created: 0, expired: 0, createdRecently: 0, refusals: {} };
  for (const p of parts) {
    if (!p) continue;
    out.created += p.created;
    out.expired += p.expired;
    out.createdRecently += p.createdRecently;
    for (const [code, n] of Object.entries(p.refusals)) out.refusals[code] = (out.refusals[code] ?? 0) + n;
  }
  return out;
}

/** Counts a shopper's refused hold against the sale it was refused under; a write of its own, like the lifetime counter. */
export function countSaleRefusal(tables: SkuTables, code: string, now_ms: number): void {
  const saleId = refusedUnderSale(tables, now_ms);
  if (saleId !== null) tables.tx(() => tables.bump(saleRefusalCounter(saleId, code)));
}
