import { DEFAULT_LOCATION, LocationProfile } from "../../domain/locations";
import type { Outcome } from "../../domain/problems";
import { availableAt } from "../locations";
import type { SkuTables } from "../tables";

/**
 * The escrow on a located SKU (spec §8, §11): units move between the pool
 * and the shards per location. A shard's refill names the locations it
 * wants in its hold's routing order, and the pool grants from the first of
 * them it has (recalling the siblings' free units there first), so a shard
 * holds per-location allotments in its own `locations` rows and allocates
 * among them with the SKU's policy.
 */

/** What a located shard's refill asks for: locations in the hold's order, the first `candidates` able to serve it. */
export interface Want {
  order: string[];
  candidates: number;
  /** A routing ask: the shard could fill the hold, but not at the location the policy prefers; asked once per hold. */
  route?: boolean;
}

/** A location the pool stocks, as a shard keeps its copy (profile null: `default`). */
export interface LocationCopy {
  location: string;
  profile: LocationProfile | null;
}

/** The refill a shortage asks for, when a located shard's hold set it (see shardShortage). */
export function wantOf(outcome: Outcome<unknown>): Want | undefined {
  if (outcome.ok || !Array.isArray(outcome.extra?.wantOrder)) return undefined;
  const { wantOrder, wantCandidates, wantRoute } = outcome.extra;
  return { order: wantOrder as string[], candidates: Number(wantCandidates), route: wantRoute === true };
}

/** Free units (never safety stock) at these locations of this object. */
export function freeAt(tables: SkuTables, locations: readonly string[]): number {
  let n = 0;
  for (const l of locations) {
    const row = tables.locations.row(l);
    if (row) n += availableAt(row);
  }
  return n;
}

/** Where the pool grants from: the asker's candidates in its order; without an ask, all its locations, most free first. */
export function grantCandidates(tables: SkuTables, want: Want | undefined): string[] {
  if (want) return want.order.slice(0, want.candidates);
  const rows = tables.locations.rows();
  return rows.sort((a, b) => availableAt(b) - availableAt(a)).map((r) => r.location_id);
}

/** Every location this object stocks, with its profile: a grant carries them so the shard routes among all of them. */
export function stockedCopies(tables: SkuTables): LocationCopy[] {
  return tables.locations.rows().map((r) => ({
    location: r.location_id,
    profile: r.profile === null ? null : LocationProfile.parse(JSON.parse(r.profile)),
  }));
}

/** A shard's side: stocks (with no units) each location the pool listed, and takes newer profiles. */
export function stockAll(tables: SkuTables, copies: readonly LocationCopy[] | undefined): void {
  if (!copies || !tables.locations.located()) return;
  for (const c of copies) {
    if (!tables.locations.row(c.location)) tables.locations.add(c.location, c.profile);
    else if (c.profile) tables.locations.setProfile(c.profile);
  }
}

/**
 * What a shard gives back per location: its free units there beyond `keepUnits`
 * in all (kept from the first locations), at `only` or everywhere. Null
 * locations: an unlocated shard, whose units are `default`'s.
 */
export function surrenderPlan(
  tables: SkuTables,
  keepUnits: number,
  only: readonly string[] | undefined,
): { sends: Array<{ location: string | null; units: number }>; keptUnits: number } {
  if (!tables.locations.located()) {
    if (only && !only.includes(DEFAULT_LOCATION)) return { sends: [], keptUnits: 0 };
    const sku = tables.sku();
    const free = sku ? sku.on_hand - sku.reserved : 0;
    const kept = Math.min(Math.max(0, free), keepUnits);
    return { sends: free - kept > 0 ? [{ location: null, units: free - kept }] : [], keptUnits: kept };
  }
  let keep = keepUnits;
  let keptUnits = 0;
  const sends: Array<{ location: string | null; units: number }> = [];
  for (const row of tables.locations.rows()) {
    if (only && !only.includes(row.location_id)) continue;
    const free = availableAt(row);
    const kept = Math.min(free, keep);
    keep -= kept;
    keptUnits += kept;
    if (free - kept > 0) sends.push({ location: row.location_id, units: free - kept });
  }
  return { sends, keptUnits };
}
