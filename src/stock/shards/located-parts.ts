import { DEFAULT_LOCATION, type LocationLevels } from "../../domain/locations";
import { availableAt, levelsAt, type LocationRow } from "../locations";
import type { SkuTables } from "../tables";

/**
 * The per-location side of a sharded SKU's parts (spec §8, §11): each object
 * reports its locations, and the SKU's own object adds them up per location
 * and audits them across objects.
 */

/** One location of one object: its levels and the units the escrow moved in and out of it there. */
export interface LocationPart extends LocationLevels {
  movedIn: number;
  movedOut: number;
  /** Units of this location this object sent and has not posted. */
  pendingOut: number;
}

/** This object's locations; undefined on an unlocated object (its units are `default`'s). */
export function locationParts(tables: SkuTables): LocationPart[] | undefined {
  if (!tables.locations.located()) return undefined;
  const pending = new Map(
    tables.sql
      .exec<{ location: string; units: number }>(
        `SELECT COALESCE(location, ?) AS location, SUM(units) AS units FROM transfers
         WHERE direction = 'out' AND status = 'pending' GROUP BY 1`,
        DEFAULT_LOCATION,
      )
      .toArray()
      .map((r) => [r.location, r.units]),
  );
  return tables.locations.rows().map((r: LocationRow) => ({
    ...levelsAt(r),
    available: availableAt(r),
    movedIn: r.moved_in,
    movedOut: r.moved_out,
    pendingOut: pending.get(r.location_id) ?? 0,
  }));
}

/** What the per-location sum needs of a part (parts.ts's ShardPart). */
export interface LocatedInput {
  shard: number | null;
  levels: { onHand: number; reserved: number; available: number; sold: number };
  pendingOut: number;
  locations?: LocationPart[];
}

/**
 * The whole SKU per location, and the problems found: per location, the
 * objects' units plus those in flight, with reserved within on hand; units
 * in flight covered by the pending transfers of that location; the sums over
 * locations equal to the whole SKU's. An unlocated object counts as `default`.
 * Units in flight at `default` are what the whole SKU has in flight less the
 * other locations' (an object's moves before it was located were `default`'s).
 */
export function wholeByLocation(
  parts: readonly LocatedInput[],
  inFlight: number,
  whole: { onHand: number; reserved: number; sold: number },
): { locations: LocationLevels[]; problems: string[] } | null {
  if (!parts.some((p) => p.locations)) return null;
  const by = new Map<string, LocationLevels & { movedIn: number; movedOut: number; pendingOut: number }>();
  const at = (id: string) => {
    let l = by.get(id);
    if (!l) {
      l = {
        location: id,
        onHand: 0,
        reserved: 0,
        available: 0,
        sold: 0,
        inTransit: 0,
        safetyStock: 0,
        movedIn: 0,
        movedOut: 0,
        pendingOut: 0,
      };
      by.set(id, l);
    }
    return l;
  };
  for (const p of parts) {
    const rows = p.locations ?? [
      { ...p.levels, location: DEFAULT_LOCATION, inTransit: 0, safetyStock: 0, movedIn: 0, movedOut: 0, pendingOut: p.pendingOut },
    ];
    for (const r of rows) {
      const l = at(r.location);
      l.onHand += r.onHand;
      l.reserved += r.reserved;
      l.available += r.available;
      l.sold += r.sold;
      l.inTransit += r.inTransit;
      // Safety stock and profiles are the pool's (shards hold none).
      if (p.shard === null) l.safetyStock = r.safetyStock;
      l.movedIn += r.movedIn;
      l.movedOut += r.movedOut;
      l.pendingOut += r.pendingOut;
    }
  }
  const problems: string[] = [];
  let elsewhere = 0;
  for (const l of by.values()) {
    if (l.location === DEFAULT_LOCATION) continue;
    const flying = l.movedOut - l.movedIn;
    elsewhere += flying;
    l.onHand += flying;
    if (flying < 0 || flying > l.pendingOut)
      problems.push(`${l.location}: in flight ${flying} not covered by pending transfers ${l.pendingOut}`);
  }
  const home = at(DEFAULT_LOCATION);
  const flyingHome = inFlight - elsewhere;
  home.onHand += flyingHome;
  if (flyingHome < 0 || flyingHome > home.pendingOut)
    problems.push(`default: in flight ${flyingHome} not covered by pending transfers ${home.pendingOut}`);
  const sums = { onHand: 0, reserved: 0, sold: 0 };
  for (const l of by.values()) {
    if (l.reserved > l.onHand) problems.push(`${l.location}: reserved ${l.reserved} > onHand ${l.onHand}`);
    if (l.sold < 0 || l.reserved < 0) problems.push(`${l.location}: negative levels`);
    sums.onHand += l.onHand;
    sums.reserved += l.reserved;
    sums.sold += l.sold;
  }
  for (const f of ["onHand", "reserved", "sold"] as const) {
    if (sums[f] !== whole[f]) problems.push(`locations' ${f} ${sums[f]} != the SKU's ${whole[f]}`);
  }
  const locations = [...by.values()]
    .sort((a, b) => (a.location < b.location ? -1 : 1))
    .map(({ movedIn: _i, movedOut: _o, pendingOut: _p, ...l }) => l);
  return { locations, problems };
}
