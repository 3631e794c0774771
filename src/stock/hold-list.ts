import type { Hold, HoldStatus } from "../domain/types";
import { iso } from "./offer";
import { HOLD_COLUMNS, holdView, type HoldRow } from "./rows";
import type { SkuTables } from "./tables";
import { DEFAULT_LOCATION } from "../domain/locations";
import { scopeJson, type LocationScope } from "./location-scope";

/**
 * The merchant's list of a SKU's holds (issue 10), newest first, read from
 * the object's own table. A sharded SKU's own object merges its shards'
 * pages: each object returns its first `limit + 1` rows after the cursor, so
 * the merged first `limit + 1` are the SKU's, whichever objects they come from.
 */

/** Rows one object returns for one page; the route's limit is at most this minus one. */
export const HOLD_PAGE_MAX = 201;

export type MerchantHold = Hold & { endedAt?: string };

/** Where a page ended: (createdAt, holdId) descending. */
export interface HoldPosition {
  createdAtMs: number;
  holdId: string;
}

export interface HoldQuery {
  status?: HoldStatus | undefined;
  after: HoldPosition | null;
  /** Rows wanted, including the one that tells whether a next page exists. */
  rows: number;
}

/** This object's part of a page, served by `holds_by_status_created` when a status is given. */
/**
 * `scope`: a key scoped to locations (spec §12) lists the holds allocated at
 * one of them; a hold without allocations is location `default`'s.
 */
export function holdPage(tables: SkuTables, query: HoldQuery, scope: LocationScope = null): MerchantHold[] {
  const sku = tables.sku();
  if (!sku) return [];
  const where: string[] = [];
  const binds: unknown[] = [];
  if (query.status !== undefined) {
    where.push("status = ?");
    binds.push(query.status);
  }
  if (scope !== null) {
    where.push(
      `(CASE WHEN allocations IS NULL THEN ? IN (SELECT value FROM json_each(?))
        ELSE EXISTS (SELECT 1 FROM json_each(allocations) a WHERE json_extract(a.value, '$.location') IN (SELECT value FROM json_each(?))) END)`,
    );
    binds.push(DEFAULT_LOCATION, scopeJson(scope), scopeJson(scope));
  }
  if (query.after) {
    where.push("(created_at_ms, hold_id) < (?, ?)");
    binds.push(query.after.createdAtMs, query.after.holdId);
  }
  const rows = tables.sql
    .exec<HoldRow & { ended_at_ms: number | null }>(
      `SELECT ${HOLD_COLUMNS}, ended_at_ms FROM holds ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY created_at_ms DESC, hold_id DESC LIMIT ?`,
      ...binds,
      Math.min(query.rows, HOLD_PAGE_MAX),
    )
    .toArray();
  return rows.map((row) => {
    const hold: MerchantHold = holdView(sku.sku, row);
    if (row.ended_at_ms !== null) hold.endedAt = iso(row.ended_at_ms);
    return hold;
  });
}

/** The first `rows` holds of several objects' pages, in the list's order. */
export function mergeHoldPages(pages: readonly MerchantHold[][], rows: number): MerchantHold[] {
  const key = (h: MerchantHold) => Date.parse(h.createdAt);
  return pages
    .flat()
    .sort((a, b) => key(b) - key(a) || (a.holdId < b.holdId ? 1 : a.holdId > b.holdId ? -1 : 0))
    .slice(0, rows);
}
