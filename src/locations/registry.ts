import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { locations, skuLocations, type LocationRow } from "../db/schema";
import type { LocationProfile } from "../domain/locations";
import { accept, refuse, type Outcome } from "../domain/problems";

/**
 * The merchant's locations in D1 (spec §11). The registry is where a
 * location is defined; each SKU object that stocks it keeps a copy of its
 * profile for routing holds without a D1 read on the hot path
 * (src/locations/push.ts brings the copies up to date).
 */

/** What `PUT /v1/locations/{id}` sets: the profile without its id and revision, defaults applied. */
export type LocationInput = Omit<LocationProfile, "locationId" | "revision">;

/** A location as the API shows it: the profile, its times, and how far its copies in the SKU objects lag. */
export interface LocationView extends LocationProfile {
  createdAt: string;
  updatedAt: string;
  /** SKUs that stock it (sku_locations). */
  skus: number;
  /** Of those, SKUs not yet known to hold this revision: the cron's sweep pushes them. */
  pendingSkus: number;
}

/** Concurrent writers of one location retry their compare-and-set this often before giving up with a 503. */
const WRITE_ATTEMPTS_MAX = 4;

export function profileOf(row: LocationRow): LocationProfile {
  return {
    locationId: row.locationId,
    name: row.name,
    country: row.country,
    latitude: row.latitude,
    longitude: row.longitude,
    fulfillsOnline: row.fulfillsOnline,
    pickup: row.pickup,
    priority: row.priority,
    status: row.status,
    revision: row.revision,
  };
}

/** The location's current profile, or null when the merchant never registered it. */
export async function findLocation(db: D1Database, locationId: string): Promise<LocationProfile | null> {
  const row = await drizzle(db).select().from(locations).where(eq(locations.locationId, locationId)).get();
  return row ? profileOf(row) : null;
}

function sameAs(row: LocationRow, input: LocationInput): boolean {
  return (
    row.name === input.name &&
    row.country === input.country &&
    row.latitude === input.latitude &&
    row.longitude === input.longitude &&
    row.fulfillsOnline === input.fulfillsOnline &&
    row.pickup === input.pickup &&
    row.priority === input.priority &&
    row.status === input.status
  );
}

/**
 * Creates or replaces a location. `revision` rises by one per real change
 * (compare-and-set on the revision read, so two racing writers each get
 * their own revision and neither is lost); a PUT that changes nothing writes
 * nothing. `changed` tells the caller a push to the SKU objects is due.
 */
export async function putLocation(
  db: D1Database,
  locationId: string,
  input: LocationInput,
  now_ms: number,
): Promise<Outcome<{ created: boolean; changed: boolean; row: LocationRow }>> {
  const d1 = drizzle(db);
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS_MAX; attempt++) {
    const current = await d1.select().from(locations).where(eq(locations.locationId, locationId)).get();
    if (!current) {
      const [created] = await d1
        .insert(locations)
        .values({ locationId, ...input, revision: 1, createdAtMs: now_ms, updatedAtMs: now_ms })
        .onConflictDoNothing()
        .returning();
      if (created) return accept({ created: true, changed: true, row: created });
      continue; // another writer created it first: replace theirs
    }
    if (sameAs(current, input)) return accept({ created: false, changed: false, row: current });
    const [updated] = await d1
      .update(locations)
      .set({ ...input, revision: current.revision + 1, updatedAtMs: now_ms })
      .where(and(eq(locations.locationId, locationId), eq(locations.revision, current.revision)))
      .returning();
    if (updated) return accept({ created: false, changed: true, row: updated });
  }
  return refuse("unavailable", `Location "${locationId}" is being changed by other requests; try again.`, {
    retryAfterSeconds: 1,
  });
}

/** A page of locations ordered by id, after the id `after` (exclusive). */
export async function listLocations(db: D1Database, after: string | null, limit: number): Promise<{ rows: LocationView[]; more: boolean }> {
  const rows = await drizzle(db)
    .select()
    .from(locations)
    .where(after === null ? undefined : gt(locations.locationId, after))
    .orderBy(asc(locations.locationId))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { rows: await withPushState(db, page), more: rows.length > limit };
}

/** One location as the API shows it, or null. */
export async function getLocation(db: D1Database, locationId: string): Promise<LocationView | null> {
  const row = await drizzle(db).select().from(locations).where(eq(locations.locationId, locationId)).get();
  return row ? ((await withPushState(db, [row]))[0] ?? null) : null;
}

/** The views of `rows` with their SKU counts: one grouped query over the index, whatever the page size. */
export async function withPushState(db: D1Database, rows: readonly LocationRow[]): Promise<LocationView[]> {
  if (rows.length === 0) return [];
  const counts = await drizzle(db)
    .select({
      locationId: skuLocations.locationId,
      skus: sql<number>`count(*)`,
      pending: sql<number>`sum(CASE WHEN ${skuLocations.pushedRevision} < ${locations.revision} THEN 1 ELSE 0 END)`,
    })
    .from(skuLocations)
    .innerJoin(locations, eq(locations.locationId, skuLocations.locationId))
    .where(
      inArray(
        skuLocations.locationId,
        rows.map((r) => r.locationId),
      ),
    )
    .groupBy(skuLocations.locationId);
  const byId = new Map(counts.map((c) => [c.locationId, c]));
  return rows.map((row) => ({
    ...profileOf(row),
    createdAt: new Date(row.createdAtMs).toISOString(),
    updatedAt: new Date(row.updatedAtMs).toISOString(),
    skus: byId.get(row.locationId)?.skus ?? 0,
    pendingSkus: byId.get(row.locationId)?.pending ?? 0,
  }));
}
