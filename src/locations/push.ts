import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { locations, skuLocations } from "../db/schema";
import type { LocationProfile } from "../domain/locations";
import { callObject } from "../platform/object-call";
import { logger } from "../platform/log";
import { profileOf } from "./registry";

/**
 * Brings the SKU objects' copies of a location's profile up to its registry
 * revision (spec §11: a paused location takes no new holds, a moved one
 * routes by its new coordinates). `sku_locations.pushed_revision` records
 * what each object is known to hold, so the work owed is a query, not a
 * guess: the PUT pushes the first PUSH_PER_REQUEST_MAX at once, the cron's
 * sweep (every minute, PUSH_PER_SWEEP_MAX a run) the rest and any push that
 * failed. The object applies a copy only when its revision is newer than its
 * own, so pushes racing each other, or a late one, never undo a newer one.
 */

/** Objects called at once: a location stocked by thousands of SKUs must not fan out a thousand calls together. */
export const PUSH_BATCH = 50;
/** Objects one `PUT /v1/locations/{id}` updates before it answers; the reply's `pendingSkus` counts the rest. */
export const PUSH_PER_REQUEST_MAX = 200;
/** Objects one run of the sweep updates; the next run takes the rest. */
export const PUSH_PER_SWEEP_MAX = 1_000;
/**
 * A `sku_locations` row younger than this may belong to a stocking call
 * still on its way to the object (the route writes the row first): a push the
 * object did not apply stays owed until then, so a stocking call that carried
 * an older profile is corrected by the next sweep.
 */
export const STOCKING_GRACE_MS = 60_000;

interface Owed {
  sku: string;
  createdAtMs: number;
}

export interface PushReport {
  pushed: number;
  failed: number;
}

/** Pushes `profile` to up to `max` SKUs stocking its location whose copy is behind. */
export async function pushLocation(env: Env, profile: LocationProfile, now_ms: number, max = PUSH_PER_REQUEST_MAX): Promise<PushReport> {
  const owed = await drizzle(env.DB)
    .select({ sku: skuLocations.sku, createdAtMs: skuLocations.createdAtMs })
    .from(skuLocations)
    .where(and(eq(skuLocations.locationId, profile.locationId), lt(skuLocations.pushedRevision, profile.revision)))
    .orderBy(asc(skuLocations.sku))
    .limit(max);
  return pushTo(env, profile, owed, now_ms);
}

/** The cron's part: every push still owed, across locations, up to `max` objects a run. */
export async function sweepLocationPushes(env: Env, now_ms: number, max = PUSH_PER_SWEEP_MAX): Promise<PushReport> {
  const rows = await drizzle(env.DB)
    .select({ location: locations, sku: skuLocations.sku, createdAtMs: skuLocations.createdAtMs })
    .from(locations)
    .innerJoin(skuLocations, and(eq(skuLocations.locationId, locations.locationId), lt(skuLocations.pushedRevision, locations.revision)))
    .orderBy(asc(locations.locationId), asc(skuLocations.sku))
    .limit(max);
  const byLocation = new Map<string, { profile: LocationProfile; owed: Owed[] }>();
  for (const r of rows) {
    const entry = byLocation.get(r.location.locationId) ?? { profile: profileOf(r.location), owed: [] };
    entry.owed.push({ sku: r.sku, createdAtMs: r.createdAtMs });
    byLocation.set(r.location.locationId, entry);
  }
  const report: PushReport = { pushed: 0, failed: 0 };
  for (const { profile, owed } of byLocation.values()) {
    const done = await pushTo(env, profile, owed, now_ms);
    report.pushed += done.pushed;
    report.failed += done.failed;
  }
  return report;
}

async function pushTo(env: Env, profile: LocationProfile, owed: readonly Owed[], now_ms: number): Promise<PushReport> {
  const report: PushReport = { pushed: 0, failed: 0 };
  for (let start = 0; start < owed.length; start += PUSH_BATCH) {
    const batch = owed.slice(start, start + PUSH_BATCH);
    const results = await Promise.allSettled(
      batch.map((row) => callObject(env, () => env.SKU.getByName(row.sku).setLocationProfile(profile))),
    );
    const settled: string[] = [];
    results.forEach((result, i) => {
      const row = batch[i]!;
      if (result.status === "rejected") {
        report.failed += 1;
        logger(env).warn("location_push_failed", { location: profile.locationId, sku: row.sku, error: String(result.reason) });
        return;
      }
      report.pushed += 1;
      // Not applied: the object holds this revision or a newer one, or does not stock the location (yet: see STOCKING_GRACE_MS).
      if (result.value.applied || now_ms - row.createdAtMs >= STOCKING_GRACE_MS) settled.push(row.sku);
    });
    if (settled.length > 0) await markPushed(env.DB, profile, settled);
  }
  return report;
}

/** Records that these SKUs hold `profile.revision`; never lowers a mark a newer push set. */
async function markPushed(db: D1Database, profile: LocationProfile, skus: readonly string[]): Promise<void> {
  await drizzle(db)
    .update(skuLocations)
    .set({ pushedRevision: sql`max(${skuLocations.pushedRevision}, ${profile.revision})` })
    .where(and(eq(skuLocations.locationId, profile.locationId), inArray(skuLocations.sku, [...skus])));
}
