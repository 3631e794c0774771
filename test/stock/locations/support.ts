import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { locations } from "../../../src/db/schema";
import type { LocationLevels, LocationProfile } from "../../../src/domain/locations";
import { ADMIN, call, unique, type Reply } from "../../support/helpers";

/**
 * Locations for the SKU object's tests, registered straight into D1's
 * registry (the registry's own routes are another part of issue 19): what
 * `PUT /v1/locations/{id}` leaves there.
 */
export async function registerLocation(
  over: Partial<Omit<LocationProfile, "locationId" | "revision">> & { locationId?: string; revision?: number } = {},
): Promise<LocationProfile> {
  const profile: LocationProfile = {
    locationId: over.locationId ?? unique("loc").toLowerCase(),
    name: over.name ?? "A place",
    country: over.country ?? "US",
    latitude: over.latitude ?? null,
    longitude: over.longitude ?? null,
    fulfillsOnline: over.fulfillsOnline ?? true,
    pickup: over.pickup ?? false,
    priority: over.priority ?? 0,
    status: over.status ?? "active",
    revision: over.revision ?? 1,
  };
  const now = Date.now();
  const row = { ...profile, createdAtMs: now, updatedAtMs: now };
  await drizzle(env.DB).insert(locations).values(row).onConflictDoUpdate({ target: locations.locationId, set: row });
  return profile;
}

export function adjustAt(sku: string, location: string | undefined, delta: number, headers: Record<string, string> = {}): Promise<Reply> {
  return call(`/v1/skus/${sku}/adjustments`, {
    auth: ADMIN,
    headers,
    body: { delta, reason: delta > 0 ? "restock" : "shrinkage", ...(location !== undefined && { location }) },
  });
}

export function stockAt(sku: string, location: string, body: { safetyStock?: number } = {}, headers: Record<string, string> = {}) {
  return call(`/v1/skus/${sku}/locations/${location}`, { method: "PUT", auth: ADMIN, headers, body });
}

export async function merchantSku(sku: string): Promise<Reply> {
  const res = await call(`/v1/skus/${sku}`, { auth: ADMIN });
  if (res.status !== 200) throw new Error(`GET sku ${sku}: ${res.status}`);
  return res;
}

type Levels = LocationLevels;

/** One location's levels from the merchant view. */
export async function levelsAt(sku: string, location: string): Promise<Levels | undefined> {
  const body = (await merchantSku(sku)).body as { locations?: Levels[] };
  return body.locations?.find((l) => l.location === location);
}

/** `PUT /v1/locations/{id}`, the registry's own route (the admin token unless `auth` is given). */
export function putLocation(id: string, body: unknown, opts: { auth?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return call(`/v1/locations/${id}`, { method: "PUT", auth: opts.auth ?? ADMIN, body, headers: opts.headers ?? {} });
}
