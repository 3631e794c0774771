import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { locations, type LocationRow } from "../db/schema";
import type { LocationProfile } from "../domain/locations";

/**
 * The merchant's locations in D1 (spec §11). The registry is where a
 * location is defined; each SKU object that stocks it keeps a copy of its
 * profile for routing holds without a D1 read on the hot path.
 */

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
