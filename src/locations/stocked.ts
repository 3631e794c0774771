import { drizzle } from "drizzle-orm/d1";
import { skuLocations } from "../db/schema";
import { DEFAULT_LOCATION, type LocationProfile } from "../domain/locations";
import { ProblemError } from "../domain/problems";
import { findLocation } from "./registry";

/**
 * Before a SKU's object stocks a location (an adjustment naming it, or
 * `PUT /v1/skus/{sku}/locations/{id}`): the registry's profile for the
 * object's copy, and the D1 row saying the SKU stocks it, written first so
 * that the registry's pushes and the global view never miss a SKU that
 * stocks the location (a row whose object then refused is harmless: a push
 * to a SKU that does not stock the location changes nothing). `default` is
 * no registered place and has no profile.
 */
export async function stockedAt(db: D1Database, sku: string, locationId: string, now_ms: number): Promise<LocationProfile | null> {
  if (locationId === DEFAULT_LOCATION) return null;
  const profile = await findLocation(db, locationId);
  if (!profile) throw new ProblemError("not_found", `No location "${locationId}": register it with PUT /v1/locations/${locationId}.`);
  await drizzle(db).insert(skuLocations).values({ sku, locationId, createdAtMs: now_ms }).onConflictDoNothing();
  return profile;
}
