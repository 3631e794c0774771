import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import { DEFAULT_LOCATION, MAX_LOCATIONS_PER_SKU, type LocationLevels, type LocationProfile } from "../domain/locations";
import type { Levels } from "../domain/types";
import { levelsAt, locatedAvailable } from "./locations";
import { levelsOf, type SkuRow } from "./rows";
import type { SkuTables } from "./tables";

/**
 * The merchant's side of locations on the SKU's object (spec §11): which
 * locations it stocks, their safety stock and profiles, and the version that
 * makes merchant writes a compare-and-set. Every function runs inside the
 * caller's ledger transaction.
 */

/** `If-Match` that is not the SKU's version now; null when absent or current. */
export function staleVersion(sku: SkuRow | null, ifMatch: number | null | undefined): Refusal | null {
  if (ifMatch === null || ifMatch === undefined) return null;
  const currentVersion = sku?.version ?? 0;
  if (ifMatch === currentVersion) return null;
  return refuse("version_conflict", `The SKU is at version ${currentVersion}, not ${ifMatch}: read it again and retry.`, {
    currentVersion,
  });
}

/**
 * The location a write names, stocked if new: null on an unlocated SKU that
 * names none (or names `default` while sharded). A SKU naming its first
 * location becomes located in this transaction (its stock and holds become
 * `default`'s). `profile` is the registry's copy the route read.
 */
export function placeOf(
  tables: SkuTables,
  sku: SkuRow,
  location: string | undefined,
  profile: LocationProfile | null | undefined,
): Outcome<string | null> {
  const stock = tables.locations;
  if (location === undefined) {
    if (!stock.located()) return accept(null);
    const rows = stock.rows();
    if (rows.length === 1) return accept(rows[0]!.location_id);
    return refuse("location_required", `The SKU has ${rows.length} locations: name the one this change is for.`);
  }
  if (stock.located() && stock.row(location)) {
    if (profile) stock.setProfile(profile);
    return accept(location);
  }
  if (location !== DEFAULT_LOCATION && !profile) return refuse("not_found", `No location "${location}" is registered.`);
  const count = stock.located() ? stock.rows().length : 0;
  const adding = (stock.located() ? 0 : 1) + (location === DEFAULT_LOCATION ? 0 : 1);
  if (count + adding > MAX_LOCATIONS_PER_SKU) {
    return refuse("invalid_request", `A SKU stocks at most ${MAX_LOCATIONS_PER_SKU} locations.`);
  }
  stock.locate(sku);
  if (location !== DEFAULT_LOCATION) stock.add(location, profile ?? null);
  return accept(location);
}

/**
 * Units an adjustment at `location` may remove (on hand, not held), read
 * before anything is stocked: a location not stocked yet has none, except
 * `default` on an unlocated SKU, which would take all its stock.
 */
export function removableAt(tables: SkuTables, sku: SkuRow, location: string | undefined): number {
  const whole = sku.on_hand - sku.reserved;
  if (!tables.locations.located()) return location === undefined || location === DEFAULT_LOCATION ? whole : 0;
  if (location === undefined) {
    const rows = tables.locations.rows();
    return rows.length === 1 ? rows[0]!.on_hand - rows[0]!.reserved : whole;
  }
  const at = tables.locations.row(location);
  return at ? at.on_hand - at.reserved : 0;
}

/** Levels as events and replies carry them: on a located SKU with the touched locations' levels and the version. */
export type EventLevels = Levels & { locations?: LocationLevels[]; version?: number };

/** `after` is the row the transaction's last checked change returned (tables.changeLevels / checkedSku). */
export function levelsAfter(tables: SkuTables, after: SkuRow, touched: readonly string[] | "all"): EventLevels {
  const rows = tables.locationsAfterCheck();
  if (!rows) return levelsOf(after);
  // Becoming located moved the SKU's stock into `default`: the global view must hear of it in this event.
  const moved = tables.locations.takeLocatedNow() ? [DEFAULT_LOCATION] : [];
  const chosen = touched === "all" ? rows : rows.filter((r) => touched.includes(r.location_id) || moved.includes(r.location_id));
  return { ...levelsOf(after, locatedAvailable(rows)), locations: chosen.map(levelsAt), version: after.version };
}

/** Stocks a location (0 units) if new and sets its safety stock: a merchant write, so the version moves. */
export function stockLocation(
  tables: SkuTables,
  locationId: string,
  safetyStock: number | undefined,
  profile: LocationProfile | null | undefined,
  now_ms: number,
): Outcome<{ levels: EventLevels }> {
  const sku = tables.sku();
  if (!sku) return refuse("not_found", "No such SKU.");
  const placed = placeOf(tables, sku, locationId, profile);
  if (!placed.ok) return placed;
  if (placed.value === null) return refuse("not_found", "No such location.");
  if (safetyStock !== undefined) tables.locations.setSafetyStock(locationId, safetyStock);
  const after = tables.changeLevels("version = version + 1, updated_at_ms = ?", now_ms);
  const levels = levelsAfter(tables, after, [locationId]);
  tables.emit("stock.location_set", now_ms, { location: locationId, ...(safetyStock !== undefined && { safetyStock }), levels });
  return accept({ levels });
}

/** The registry's push (spec §11): applied only where the SKU stocks the location and the copy is newer. */
export function applyProfile(tables: SkuTables, profile: LocationProfile, now_ms: number): { applied: boolean } {
  if (!tables.sku() || !tables.locations.located() || !tables.locations.setProfile(profile)) return { applied: false };
  const after = tables.changeLevels("version = version + 1, updated_at_ms = ?", now_ms);
  tables.emit("stock.location_profile", now_ms, {
    location: profile.locationId,
    revision: profile.revision,
    levels: levelsAfter(tables, after, [profile.locationId]),
  });
  return { applied: true };
}
