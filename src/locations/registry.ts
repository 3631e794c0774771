import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditEvents, locations, skuLocations, type LocationRow } from "../db/schema";
import type { LocationProfile } from "../domain/locations";
import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import type { MerchantActor } from "../domain/roles";
import { changeOf, insertGuarded, locationEvent, locationStream } from "./audit";

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

/** `If-Match` on a location: its revision (0: it must not exist yet); null when absent or current. */
function staleRevision(current: LocationRow | null, ifMatch: number | null): Refusal | null {
  const currentVersion = current?.revision ?? 0;
  if (ifMatch === null || ifMatch === currentVersion) return null;
  return refuse("version_conflict", `The location is at revision ${currentVersion}, not ${ifMatch}: read it again and retry.`, {
    currentVersion,
  });
}

/**
 * Creates or replaces a location. `revision` rises by one per real change,
 * and each real change appends its audit event (./audit.ts) in the same D1
 * batch, both under one compare-and-set on the revision read (absence, for a
 * creation): two racing writers each get their own revision and event, and
 * neither is lost. A PUT that changes nothing writes nothing and appends
 * nothing. `changed` tells the caller a push to the SKU objects is due.
 */
export async function putLocation(
  db: D1Database,
  locationId: string,
  input: LocationInput,
  write: { ifMatch: number | null; actor: MerchantActor; now_ms: number },
): Promise<Outcome<{ created: boolean; changed: boolean; row: LocationRow }>> {
  const d1 = drizzle(db);
  const { now_ms } = write;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS_MAX; attempt++) {
    // One batch, one snapshot: the row and its stream's head as of the same instant.
    const [[current = null], [head = null]] = await d1.batch([
      d1.select().from(locations).where(eq(locations.locationId, locationId)),
      d1
        .select({ seq: auditEvents.seq, hash: auditEvents.hash })
        .from(auditEvents)
        .where(eq(auditEvents.stream, locationStream(locationId)))
        .orderBy(desc(auditEvents.seq))
        .limit(1),
    ]);
    const stale = staleRevision(current, write.ifMatch);
    if (stale) return stale;
    const change = changeOf(current, input);
    if (current && Object.keys(change.after).length === 0) return accept({ created: false, changed: false, row: current });
    const revision = (current?.revision ?? 0) + 1;
    const event = locationEvent(head, { locationId, revision, ...change, actor: write.actor, now_ms });
    const here = sql`SELECT 1 FROM ${locations} WHERE ${locations.locationId} = ${locationId}`;
    if (!current) {
      const [, created] = await d1.batch([
        insertGuarded(d1, event, sql`NOT EXISTS (${here})`),
        d1
          .insert(locations)
          .values({ locationId, ...input, revision, createdAtMs: now_ms, updatedAtMs: now_ms })
          .onConflictDoNothing()
          .returning(),
      ]);
      if (created[0]) return accept({ created: true, changed: true, row: created[0] });
      continue; // another writer created it first: replace theirs
    }
    const [, updated] = await d1.batch([
      insertGuarded(d1, event, sql`EXISTS (${here} AND ${locations.revision} = ${current.revision})`),
      d1
        .update(locations)
        .set({ ...input, revision, updatedAtMs: now_ms })
        .where(and(eq(locations.locationId, locationId), eq(locations.revision, current.revision)))
        .returning(),
    ]);
    if (updated[0]) return accept({ created: false, changed: true, row: updated[0] });
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
