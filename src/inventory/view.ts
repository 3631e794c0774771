import { DEFAULT_LOCATION, type LocationLevels } from "../domain/locations";
import { MAX_SHARDS } from "../stock/addressing";
import { viewLagMs } from "../stock/view-lag";

/**
 * Reads of the global view (spec §11) from D1: `inventory` (one row per
 * object, folded from every event carrying levels) and `inventory_locations`
 * (one row per object and location of a located SKU). A sharded SKU ships one
 * row per object (`sku`, `sku#0`...), so both reads add its objects up. An
 * unlocated SKU has no location rows: it shows as location `default`.
 */

/** A SKU's objects' rows are `sku` and `sku#n`; `#` never appears in a SKU id and `$` sorts right after it. */
const BASE = (col: string) => `CASE WHEN instr(${col}, '#') > 0 THEN substr(${col}, 1, instr(${col}, '#') - 1) ELSE ${col} END`;

export interface SkuSummary {
  sku: string;
  byLocation: Record<string, number>;
  total: number;
  version: number | null;
  asOfMs: number;
}

type SkuHead = { sku: string; available: number; as_of_ms: number };
type LocRow = { base: string; location: string; available: number; version: number; as_of_ms: number };

/**
 * A page of SKUs in sku order after `after` (null: from the first), `limit`
 * of them, and whether more follow. byLocation sums each location over the
 * SKU's objects; total is the sum of byLocation, so the view is the sum of
 * its parts by construction.
 */
export async function summaries(
  db: D1Database,
  q: { sku?: string; after: string | null; limit: number },
): Promise<{ page: SkuSummary[]; more: boolean }> {
  const where = q.sku !== undefined ? `WHERE ${BASE("sku")} = ?1` : q.after !== null ? `WHERE ${BASE("sku")} > ?1` : "";
  const heads = (
    await db
      .prepare(
        `SELECT ${BASE("sku")} AS sku, sum(available) AS available, max(updated_at_ms) AS as_of_ms
           FROM inventory ${where} GROUP BY 1 ORDER BY 1 LIMIT ${q.limit + 1}`,
      )
      .bind(...(q.sku !== undefined ? [q.sku] : q.after !== null ? [q.after] : []))
      .all<SkuHead>()
  ).results;
  const page = heads.slice(0, q.limit);
  const first = page[0];
  const last = page.at(-1);
  if (!first || !last) return { page: [], more: false };
  // The page's SKUs are contiguous in sku order: one range on the key finds all their location rows.
  const rows = (
    await db
      .prepare(
        `SELECT ${BASE("sku")} AS base, location, sum(available) AS available, max(version) AS version, max(as_of_ms) AS as_of_ms
           FROM inventory_locations WHERE sku >= ?1 AND sku < ?2 || '$'
           GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ?3`,
      )
      .bind(first.sku, last.sku, (q.limit + 1) * MAX_SHARDS)
      .all<LocRow>()
  ).results;
  const located = new Map<string, LocRow[]>();
  for (const r of rows) located.set(r.base, [...(located.get(r.base) ?? []), r]);
  return { page: page.map((h) => summaryOf(h, located.get(h.sku) ?? [])), more: heads.length > q.limit };
}

function summaryOf(head: SkuHead, rows: readonly LocRow[]): SkuSummary {
  if (rows.length === 0) {
    return {
      sku: head.sku,
      byLocation: { [DEFAULT_LOCATION]: head.available },
      total: head.available,
      version: null,
      asOfMs: head.as_of_ms,
    };
  }
  const byLocation = Object.fromEntries(rows.map((r) => [r.location, r.available]));
  return {
    sku: head.sku,
    byLocation,
    total: rows.reduce((n, r) => n + r.available, 0),
    version: Math.max(...rows.map((r) => r.version)),
    // A repair may be newer than the newest event, and an event of the SKU newer than any that touched a location.
    asOfMs: Math.max(head.as_of_ms, ...rows.map((r) => r.as_of_ms)),
  };
}

/** One location's levels as the global view holds them, for one SKU. */
export type LocationItem = LocationLevels & { sku: string; version: number | null; asOfMs: number };

type LocationItemRow = {
  sku: string;
  on_hand: number;
  reserved: number;
  available: number;
  sold: number;
  in_transit: number;
  safety_stock: number;
  version: number | null;
  as_of_ms: number;
};

/**
 * One location's levels per SKU, in sku order after `after`. For `default`,
 * unlocated SKUs (their `inventory` rows, no safety stock, nothing in
 * transit) are listed with the located SKUs' `default` locations.
 */
export async function locationItems(
  db: D1Database,
  q: { location: string; after: string | null; limit: number },
): Promise<{ page: LocationItem[]; more: boolean }> {
  const located = `SELECT ${BASE("sku")} AS sku, sum(on_hand) AS on_hand, sum(reserved) AS reserved, sum(available) AS available,
      sum(sold) AS sold, sum(in_transit) AS in_transit, sum(safety_stock) AS safety_stock, max(version) AS version, max(as_of_ms) AS as_of_ms
    FROM inventory_locations WHERE location = ?1 GROUP BY 1`;
  const unlocated = `SELECT ${BASE("i.sku")} AS sku, sum(i.on_hand), sum(i.reserved), sum(i.available), sum(i.sold), 0, 0, NULL, max(i.updated_at_ms)
    FROM inventory i WHERE NOT EXISTS (SELECT 1 FROM inventory_locations l WHERE l.sku = i.sku) GROUP BY 1`;
  const union = q.location === DEFAULT_LOCATION ? `${located} UNION ALL ${unlocated}` : located;
  const rows = (
    await db
      .prepare(`SELECT * FROM (${union}) ${q.after === null ? "" : "WHERE sku > ?2"} ORDER BY sku LIMIT ${q.limit + 1}`)
      .bind(...(q.after === null ? [q.location] : [q.location, q.after]))
      .all<LocationItemRow>()
  ).results;
  return {
    page: rows.slice(0, q.limit).map((r) => ({
      sku: r.sku,
      location: q.location,
      onHand: r.on_hand,
      reserved: r.reserved,
      available: r.available,
      sold: r.sold,
      inTransit: r.in_transit,
      safetyStock: r.safety_stock,
      version: r.version,
      asOfMs: r.as_of_ms,
    })),
    more: rows.length > q.limit,
  };
}

/**
 * Each SKU's lag (see viewLagMs): asked of its own object, the only one that
 * knows what it has not shipped; null when it did not answer in time, rather
 * than a guess. A sharded SKU's object asks its shards too: each ships its
 * own events, and the SKU's lag is its most behind object's.
 */
export async function lagsOf(env: Env, skus: readonly string[], now_ms: number, timeout_ms: number): Promise<Map<string, number | null>> {
  const answers = await Promise.all(
    skus.map(async (sku) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeout_ms);
      });
      try {
        const lag = await Promise.race([env.SKU.getByName(sku).viewLag(), late]);
        return [sku, lag ? viewLagMs(lag.oldestUnshippedAtMs, now_ms) : null] as const;
      } catch {
        return [sku, null] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return new Map(answers);
}
