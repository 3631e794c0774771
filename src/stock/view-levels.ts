import { MAX_LOCATIONS_PER_SKU, type LocationLevels } from "../domain/locations";
import type { Levels } from "../domain/types";
import { objectName } from "./addressing";
import { levelsOf } from "./rows";
import type { SkuTables } from "./tables";

/**
 * What the global view (spec §11) should say of one object, read from the
 * object itself, the truth: its levels, per location on a located SKU, its
 * version, and how far its audit stream has reached D1. Read-only and
 * synchronous, so every figure is of the same instant. The reconciliation
 * compares D1 with it and repairs D1 from it; the summary takes its lag.
 */
export interface ObjectView {
  /** The object's name, the key of its rows in D1 (`sku`, or a shard's `sku#n`). */
  object: string;
  sku: string;
  /** The SKU's display name, which its `inventory` row carries. */
  name: string;
  levels: Levels;
  /** The SKU's version; null before the object keeps one. */
  version: number | null;
  /** Each location's levels; null on an unlocated SKU. */
  locations: LocationLevels[] | null;
  /** Seq of the newest event the object made in its audit stream: the levels above are as of it. */
  headSeq: number;
  /** Seq of the newest event shipped to D1. */
  shippedSeq: number;
  /** When the oldest event not yet in D1 was made; null when D1 has every event. */
  oldestUnshippedAtMs: number | null;
  readAtMs: number;
}

type LocationRow = { location_id: string; on_hand: number; reserved: number; sold: number; in_transit: number; safety_stock: number };

export function viewLevelsHere(tables: SkuTables, now_ms: number): ObjectView | null {
  const row = tables.sku();
  if (!row) return null;
  const sql = tables.sql;
  const shippedSeq = sql.exec<{ seq: number }>("SELECT seq FROM audit_head WHERE id = 1").one().seq;
  const locations = hasTable(tables, "locations") ? locationLevels(tables) : null;
  const version = hasColumn(tables, "sku", "version")
    ? sql.exec<{ version: number }>("SELECT version FROM sku WHERE id = 1").one().version
    : null;
  const levels = levelsOf(row);
  return {
    object: objectName(row.sku, row.shard_index),
    sku: row.sku,
    name: row.name,
    // A located SKU offers what its locations offer, net of their safety stock.
    levels: locations ? { ...levels, available: locations.reduce((n, l) => n + l.available, 0) } : levels,
    version,
    locations,
    headSeq: shippedSeq + tables.unshippedCount(),
    shippedSeq,
    oldestUnshippedAtMs: tables.earliestUnshippedAtMs(),
    readAtMs: now_ms,
  };
}

/** The SKU's locations, or null while it has none (it is unlocated: one implicit `default`). */
function locationLevels(tables: SkuTables): LocationLevels[] | null {
  const rows = tables.sql
    .exec<LocationRow>(
      "SELECT location_id, on_hand, reserved, sold, in_transit, safety_stock FROM locations ORDER BY location_id LIMIT ?",
      MAX_LOCATIONS_PER_SKU,
    )
    .toArray();
  if (rows.length === 0) return null;
  return rows.map((r) => ({
    location: r.location_id,
    onHand: r.on_hand,
    reserved: r.reserved,
    available: Math.max(0, r.on_hand - r.reserved - r.safety_stock),
    sold: r.sold,
    inTransit: r.in_transit,
    safetyStock: r.safety_stock,
  }));
}

function hasTable(tables: SkuTables, name: string): boolean {
  return tables.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray().length > 0;
}

function hasColumn(tables: SkuTables, table: string, column: string): boolean {
  return tables.sql.exec("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", table, column).toArray().length > 0;
}
