import { eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { inventory, inventoryLocations } from "../db/schema";
import { MAX_LOCATIONS_PER_SKU } from "../domain/locations";
import type { ObjectView } from "../stock/view-levels";

/**
 * One difference between D1's view and an object (the truth): its
 * `inventory` row (`location` null) or one location's row. `behind` is how
 * many of the object's events D1 had not folded when compared (its
 * `inventory` row moves with every shipped batch; a location's row only when
 * an event touched it): 0 means the row was wrong with every event folded
 * (corrupted), more means D1 trailed the object (lag).
 */
export const DRIFT_KINDS = ["changed", "missing", "extra", "version"] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface Drift {
  object: string;
  location: string | null;
  kind: DriftKind;
  d1: Record<string, number | null> | null;
  truth: Record<string, number | null> | null;
  behind: number;
}

const SKU_FIELDS = ["onHand", "reserved", "available", "sold", "received", "returned"] as const;
/** A row's version is compared apart (versionDrifts): it is the SKU's as of the row's event, not the object's now. */
const LOCATION_FIELDS = ["onHand", "reserved", "available", "sold", "inTransit", "safetyStock"] as const;

export async function compareObject(db: DrizzleD1Database, view: ObjectView): Promise<Drift[]> {
  const [skuRow, locationRows] = await db.batch([
    db.select().from(inventory).where(eq(inventory.sku, view.object)),
    db
      .select()
      .from(inventoryLocations)
      .where(eq(inventoryLocations.sku, view.object))
      .limit(MAX_LOCATIONS_PER_SKU * 2),
  ]);
  const drifts: Drift[] = [];
  const row = skuRow[0] ?? null;
  // Events made after the reading shipped meanwhile: D1 is newer than the truth read, so nothing can be compared this run.
  if (row && row.lastSeq > view.headSeq) return [];
  const folded = row?.lastSeq ?? Math.max(0, ...locationRows.map((r) => r.lastSeq));
  const skuDrift = differ(view, null, row, folded, view.levels, SKU_FIELDS);
  if (skuDrift) drifts.push(skuDrift);
  const newer = new Set(locationRows.filter((r) => r.lastSeq > view.headSeq).map((r) => r.location));
  const byLocation = new Map(locationRows.filter((r) => !newer.has(r.location)).map((r) => [r.location, r]));
  const clean: LocationRow[] = [];
  for (const truth of view.locations ?? []) {
    if (newer.has(truth.location)) continue;
    const d1 = byLocation.get(truth.location) ?? null;
    // A shard knows every location its pool stocks, to route among them, and ships no event for one it never held a unit of.
    if (!d1 && view.object !== view.sku && LOCATION_FIELDS.every((f) => truth[f] === 0)) continue;
    const drift = differ(view, truth.location, d1, folded, truth, LOCATION_FIELDS);
    if (drift) drifts.push(drift);
    else if (d1) clean.push(d1);
    byLocation.delete(truth.location);
  }
  const leveled = drifts.some((d) => d.location !== null) || newer.size > 0;
  drifts.push(...versionDrifts(view, clean, leveled, folded));
  // Rows of locations the object does not stock (or of a SKU that has none).
  for (const [location, d1] of byLocation) {
    drifts.push({
      object: view.object,
      location,
      kind: "extra",
      d1: pick(d1, LOCATION_FIELDS),
      truth: null,
      behind: behind(view, folded),
    });
  }
  return drifts;
}

type LocationRow = typeof inventoryLocations.$inferSelect;

/**
 * A located SKU's version in the view (spec §11): each row holds the SKU's
 * version as of the event (or repair) that last wrote it, so no row may be
 * past the object's, a row written at the object's head seq must be at its
 * version, and the newest row must be: the summary's version is the rows'
 * greatest. `clean` are the rows whose levels match the object; a row with
 * other drift is rewritten at the object's version anyway, and while one is
 * (or a row is newer than the reading), the SKU-wide check waits for the next run.
 */
function versionDrifts(view: ObjectView, clean: readonly LocationRow[], leveled: boolean, lastSeq: number): Drift[] {
  const drift = (location: string | null, version: number): Drift => ({
    object: view.object,
    location,
    kind: "version",
    d1: { version },
    truth: { version: view.version },
    behind: behind(view, lastSeq),
  });
  const rows = clean
    .filter((r) => r.version > view.version || (r.lastSeq >= view.headSeq && r.version !== view.version))
    .map((r) => drift(r.location, r.version));
  if (rows.length > 0 || leveled || clean.length === 0) return rows;
  const newest = Math.max(...clean.map((r) => r.version));
  return newest === view.version ? [] : [drift(null, newest)];
}

function differ<F extends string>(
  view: ObjectView,
  location: string | null,
  d1: Record<F, number> | null,
  lastSeq: number,
  truth: Record<F, number>,
  fields: readonly F[],
): Drift | null {
  const want = pick(truth, fields);
  if (!d1) return { object: view.object, location, kind: "missing", d1: null, truth: want, behind: behind(view, lastSeq) };
  const have = pick(d1, fields);
  if (fields.every((f) => have[f] === want[f])) return null;
  return { object: view.object, location, kind: "changed", d1: have, truth: want, behind: behind(view, lastSeq) };
}

function behind(view: ObjectView, lastSeq: number): number {
  return Math.max(0, view.headSeq - lastSeq);
}

function pick<F extends string>(from: Record<F, number>, fields: readonly F[]): Record<F, number> {
  return Object.fromEntries(fields.map((f) => [f, from[f]])) as Record<F, number>;
}
