import type { LocationLevels } from "../domain/locations";
import type { Levels } from "../domain/types";
import { objectName } from "./addressing";
import { levelsAt, locatedAvailable } from "./locations";
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
  /** The SKU's version (spec §11). */
  version: number;
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

export function viewLevelsHere(tables: SkuTables, now_ms: number): ObjectView | null {
  const row = tables.sku();
  if (!row) return null;
  const shippedSeq = tables.sql.exec<{ seq: number }>("SELECT seq FROM audit_head WHERE id = 1").one().seq;
  const located = tables.locations.located() ? tables.locations.rows() : null;
  return {
    object: objectName(row.sku, row.shard_index),
    sku: row.sku,
    name: row.name,
    // As the events carry them: a located SKU offers what its locations offer, net of their safety stock.
    levels: levelsOf(row, located ? locatedAvailable(located) : null),
    version: row.version,
    locations: located ? located.map(levelsAt) : null,
    headSeq: shippedSeq + tables.unshippedCount(),
    shippedSeq,
    oldestUnshippedAtMs: tables.earliestUnshippedAtMs(),
    readAtMs: now_ms,
  };
}
