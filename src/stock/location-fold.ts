import type { DrizzleD1Database } from "drizzle-orm/d1";
import { z } from "zod";
import { inventory, inventoryLocations } from "../db/schema";
import { columnsOf, Shaped, type PlaceholderRow } from "../db/shaped";
import { fromExcluded, seqGuard } from "../db/upsert";
import { LocationLevels, MAX_LOCATIONS_PER_SKU } from "../domain/locations";

/**
 * The per-location part of the global view (spec §11): what a located SKU's
 * shipped events say of its locations, folded into D1's `inventory_locations`
 * in the batch that ships them (src/stock/outbox.ts). Events of an unlocated
 * SKU carry no `locations` and fold nothing here.
 */

/** What a located event's `levels` adds: the locations it touched, full levels after the change, and the SKU's version. */
const LocatedLevels = z.object({
  locations: z.array(LocationLevels).max(MAX_LOCATIONS_PER_SKU),
  version: z.number().int().nonnegative(),
});

/** One location's levels as of one event of an object's audit stream. */
export interface LocationAt {
  location: LocationLevels;
  version: number;
  seq: number;
  atMs: number;
}

/** The locations one event's parsed data carries, or none (an unlocated SKU, an event without levels). */
export function locationsIn(body: unknown): { locations: LocationLevels[]; version: number } | null {
  const levels = (body as { levels?: { locations?: unknown } } | null)?.levels;
  // Most SKUs are unlocated: their levels carry no locations, and a refused parse is the costly path of a schema.
  if (levels?.locations === undefined) return null;
  const located = LocatedLevels.safeParse(levels);
  return located.success ? located.data : null;
}

/** Every location levels the events carry, in stream order; `body` is each event's data, parsed. */
export function locationsAlong(events: ReadonlyArray<{ seq: number; atMs: number; body: unknown }>): LocationAt[] {
  const out: LocationAt[] = [];
  for (const e of events) {
    const located = locationsIn(e.body);
    for (const location of located?.locations ?? []) out.push({ location, version: located!.version, seq: e.seq, atMs: e.atMs });
  }
  return out;
}

/**
 * Upserts of each location's newest levels in `along` for object `name`.
 * Each applies only where the row's `last_seq` is older than the event's:
 * a batch sent again, or an older one arriving after a newer one, changes
 * nothing, and a repair by the reconciliation (at the object's head seq) is
 * never undone by the late shipping of events it already covers.
 */
export function foldLocations(d1: D1Database, name: string, along: readonly LocationAt[]): D1PreparedStatement[] {
  const newest = new Map<string, LocationAt>();
  for (const at of along) newest.set(at.location.location, at);
  const rows = [...newest.values()].map((at) => rowOf(name, at.location, at.version, at.seq, at.atMs));
  return foldedRows.statements(d1, rows);
}

/** The fold's upserts, built once per size (src/db/shaped.ts): the shipper sends them with every located batch. */
const foldedRows = new Shaped<InventoryLocationValues>(columnsOf(inventoryLocations), (db, rows) => upsertRows(db, rows, "newer"));

export type InventoryLocationValues = typeof inventoryLocations.$inferInsert;

export function rowOf(name: string, l: LocationLevels, version: number, seq: number, atMs: number): InventoryLocationValues {
  return {
    sku: name,
    location: l.location,
    onHand: l.onHand,
    reserved: l.reserved,
    available: l.available,
    sold: l.sold,
    inTransit: l.inTransit,
    safetyStock: l.safetyStock,
    version,
    lastSeq: seq,
    asOfMs: atMs,
  };
}

/**
 * `newer`: the fold, applied only past the row's seq. `repair`: the
 * reconciliation's, applied also at the row's own seq (a row corrupted
 * without its seq moving), never over a newer one.
 */
export function upsertRows(
  db: DrizzleD1Database,
  rows: Array<InventoryLocationValues | PlaceholderRow<InventoryLocationValues>>,
  when: "newer" | "repair",
) {
  return db
    .insert(inventoryLocations)
    .values(rows)
    .onConflictDoUpdate({
      target: [inventoryLocations.sku, inventoryLocations.location],
      set: fromExcluded(inventoryLocations, [
        "onHand",
        "reserved",
        "available",
        "sold",
        "inTransit",
        "safetyStock",
        "version",
        "lastSeq",
        "asOfMs",
      ]),
      setWhere: seqGuard(inventoryLocations, when),
    });
}

/**
 * The SKU-level `inventory` row (one per object), on the same rule as
 * `upsertRows`: the fold writes only past the row's seq, a repair also at it.
 */
export function upsertInventory(db: DrizzleD1Database, row: InventoryValues | PlaceholderRow<InventoryValues>, when: "newer" | "repair") {
  return db
    .insert(inventory)
    .values(row)
    .onConflictDoUpdate({
      target: inventory.sku,
      set: fromExcluded(inventory, ["name", "onHand", "reserved", "available", "sold", "received", "returned", "lastSeq", "updatedAtMs"]),
      setWhere: seqGuard(inventory, when),
    });
}

type InventoryValues = typeof inventory.$inferInsert;

const shippedInventory = new Shaped<InventoryValues>(columnsOf(inventory), (db, [row]) => upsertInventory(db, row!, "newer"));

/** The shipper's `upsertInventory(…, "newer")`, its SQL built once (src/db/shaped.ts). */
export function shippedInventoryStatement(d1: D1Database, row: InventoryValues): D1PreparedStatement {
  return shippedInventory.statement(d1, [row]);
}
