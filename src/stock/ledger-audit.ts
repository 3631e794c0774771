import { checkStockInvariants } from "./invariants";
import { auditLocationTransfers } from "./location-transfer-rows";
import { PRUNED_COUNTER_PREFIX, type SkuTables } from "./tables";

/**
 * Full audit, O(holds): recomputes invariants 1-4 from the hold rows alone,
 * not from the trigger tallies the hot path trusts, and the location transfers'
 * books from their rows. For tests and operators.
 */
export function auditLedger(tables: SkuTables): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  const sku = tables.sku();
  if (!sku) return { ok: true, problems };
  const sum = (where: string) =>
    tables.sql.exec<{ units: number | null }>(`SELECT SUM(quantity) AS units FROM holds WHERE ${where}`).one().units ?? 0;
  try {
    checkStockInvariants(sku, sum("status IN ('held', 'checkout')"));
  } catch (e) {
    problems.push(String(e));
  }
  const committed = sum("status = 'committed'");
  if (committed !== sku.sold) problems.push(`sold ${sku.sold} != committed hold units ${committed}`);
  const liveHolds = tables.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM holds WHERE status IN ('held', 'checkout')").one().n;
  if (sku.live_holds !== liveHolds) problems.push(`sku.live_holds ${sku.live_holds} != live holds ${liveHolds}`);
  const counted = tables.sql.exec<{ status: string; n: number }>("SELECT status, COUNT(*) AS n FROM holds GROUP BY status").toArray();
  // Retention deleted some ended holds; it counted them by status, so every hold ever made is accounted for.
  const counters = tables.counters();
  const pruned = (status: string) => counters[`${PRUNED_COUNTER_PREFIX}${status}`] ?? 0;
  const rows = Object.fromEntries(counted.map((c) => [c.status, c.n]));
  const made = (status: string) => (rows[status] ?? 0) + pruned(status);
  const created = ["held", "checkout", "committed", "released", "expired", "returned"].reduce((sum, s) => sum + made(s), 0);
  if (sku.holds_created !== created) problems.push(`holds_created ${sku.holds_created} != holds ${created}`);
  // A returned hold was committed first: holds_committed counts it, and holds_returned too.
  const ever = (status: string) => made(status) + (status === "committed" ? made("returned") : 0);
  for (const status of ["released", "expired", "committed", "returned"] as const) {
    const counter = sku[`holds_${status}`];
    if (counter !== ever(status)) problems.push(`holds_${status} ${counter} != ${ever(status)} holds`);
  }
  const overLimit = tables.sql
    .exec<{ customer_id: string; used: number; per_customer_limit: number }>(
      `SELECT h.customer_id, SUM(h.quantity) AS used, r.per_customer_limit FROM holds h
         JOIN sale_rules r ON r.sale_id = h.scope
       WHERE h.status IN ('held', 'checkout', 'committed')
       GROUP BY h.scope, h.customer_id HAVING used > r.per_customer_limit`,
    )
    .toArray();
  for (const o of overLimit) problems.push(`customer ${o.customer_id} holds+bought ${o.used} > limit ${o.per_customer_limit}`);
  const usageDrift = tables.sql
    .exec<{ customer_id: string }>(
      `SELECT u.customer_id FROM customer_usage u WHERE u.held != COALESCE((SELECT SUM(quantity) FROM holds h
         WHERE h.scope = u.scope AND h.customer_id = u.customer_id AND h.status IN ('held', 'checkout')), 0)`,
    )
    .toArray();
  for (const d of usageDrift) problems.push(`customer_usage.held drifted for ${d.customer_id}`);
  problems.push(...auditLocationTransfers(tables));
  return { ok: problems.length === 0, problems };
}
