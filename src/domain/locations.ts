import { z } from "@hono/zod-openapi";

/**
 * Spec §11's vocabulary, shared by the registry in D1 (src/locations/), the
 * SKU object that allocates and moves stock per location (src/stock/), the
 * global view and the routes. One schema each; the types are inferred.
 */

/** A location id: lower-case so that `WH-1` and `wh-1` can never be two places. */
export const LocationId = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "1-40 characters: a-z, 0-9, '_' or '-', starting with a letter or digit");
export type LocationId = z.infer<typeof LocationId>;

/** The implicit location of a SKU that names none (spec §11): today's one pile of stock. */
export const DEFAULT_LOCATION = "default";

/** Bound on the locations one SKU stocks: every located transaction checks each of them. */
export const MAX_LOCATIONS_PER_SKU = 32;

export const LocationStatus = z.enum(["active", "paused"]);
export type LocationStatus = z.infer<typeof LocationStatus>;

/**
 * A location as the merchant registered it (`PUT /v1/locations/{id}`), with
 * the registry's `revision` (+1 per change): a SKU object keeps a copy for
 * routing and applies a pushed copy only when its revision is newer, so a
 * late push never undoes a newer one.
 */
export const LocationProfile = z.object({
  locationId: LocationId,
  name: z.string().min(1).max(200),
  country: z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2, upper case"),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  fulfillsOnline: z.boolean(),
  pickup: z.boolean(),
  priority: z.number().int().min(-1000).max(1000),
  status: LocationStatus,
  revision: z.number().int().min(1),
});
export type LocationProfile = z.infer<typeof LocationProfile>;

/** How a hold picks its location (spec §11); ties go by priority, then id. */
export const Routing = z.enum(["nearest", "priority", "most_stock"]);
export type Routing = z.infer<typeof Routing>;

/** One location's levels as the merchant view, the shipped events and the global view carry them. */
export const LocationLevels = z.object({
  location: LocationId,
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  sold: z.number().int(),
  inTransit: z.number().int(),
  safetyStock: z.number().int(),
});
export type LocationLevels = z.infer<typeof LocationLevels>;

/** Where a hold's units come from: its reply, its order and its fulfilment follow it. */
export const Allocation = z.object({ location: LocationId, quantity: z.number().int().min(1) });
export type Allocation = z.infer<typeof Allocation>;

/** Where the shopper wants the units: `shipTo` or `pickupAt` from the body, else the edge's geography. */
export const Destination = z.union([
  z.object({
    kind: z.literal("ship"),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable(),
    latitude: z.number().min(-90).max(90).nullable(),
    longitude: z.number().min(-180).max(180).nullable(),
  }),
  z.object({ kind: z.literal("pickup"), location: LocationId }),
]);
export type Destination = z.infer<typeof Destination>;
