import { z } from "zod";
import { DEFAULT_LOCATION, LocationId, type LocationLevels } from "../domain/locations";
import { refuse, type Refusal } from "../domain/problems";
import type { Levels, SkuSnapshot } from "../domain/types";

/**
 * A key's scope of locations (spec §12): null serves every location, a list
 * only those. The routes check it first; the SKU's object checks it again on
 * every location-scoped call it is handed, so a route that forgets does not
 * open the object, nor an object's bug the route.
 */
export const LocationScope = z.array(LocationId).min(1).max(100).nullable();
export type LocationScope = z.infer<typeof LocationScope>;

export function inScope(scope: LocationScope, location: string): boolean {
  return scope === null || scope.includes(location);
}

/**
 * `forbidden` unless every location named is in scope. `undefined` stands for
 * "the SKU's only location", which a scoped key must name: its scope is
 * checked against what it says, never against what the object infers.
 */
export function scopeRefusal(scope: LocationScope, ...locations: Array<string | undefined>): Refusal | null {
  if (scope === null) return null;
  const at = locations.findIndex((l) => l === undefined || !scope.includes(l));
  if (at === -1 && locations.length > 0) return null;
  const outside = locations[at];
  return refuse(
    "forbidden",
    outside === undefined
      ? `This key is scoped to locations (${scope.join(", ")}): name one of them.`
      : `This key is scoped to locations (${scope.join(", ")}), not "${outside}".`,
    { locations: scope },
  );
}

/** SKU-wide counters a scoped view omits: they are not kept per location, so they would show what lies outside the scope. */
export type ScopedSnapshot = Omit<SkuSnapshot, "levels" | "liveHolds"> & {
  levels: Omit<Levels, "received" | "returned"> & Partial<Pick<Levels, "received" | "returned">>;
  liveHolds?: number;
  /** Present when scoped: the levels are sums over these locations' only. */
  scope?: string[];
};

/**
 * The SKU as a scoped key sees it: only its locations' levels, and the SKU's
 * levels summed over them. A SKU that stocks no location is location
 * `default`'s (spec §11), so it is seen whole only by a scope holding `default`.
 */
export function scopedSnapshot(snapshot: SkuSnapshot, scope: LocationScope): ScopedSnapshot {
  if (scope === null) return snapshot;
  const all: LocationLevels[] = snapshot.locations ?? [{ location: DEFAULT_LOCATION, ...unlocated(snapshot.levels) }];
  const seen = all.filter((l) => scope.includes(l.location));
  const sum = (f: (l: LocationLevels) => number) => seen.reduce((n, l) => n + f(l), 0);
  const { liveHolds: _liveHolds, levels: _levels, ...rest } = snapshot;
  return {
    ...rest,
    levels: {
      onHand: sum((l) => l.onHand),
      reserved: sum((l) => l.reserved),
      available: sum((l) => l.available),
      sold: sum((l) => l.sold),
    },
    locations: seen,
    scope: [...scope],
  };
}

function unlocated(levels: Levels): Omit<LocationLevels, "location"> {
  return { onHand: levels.onHand, reserved: levels.reserved, available: levels.available, sold: levels.sold, inTransit: 0, safetyStock: 0 };
}

/** SQL: a `json_each` filter binding the scope once (null: every row), as lists of holds, transfers and orders use it. */
export function scopeJson(scope: LocationScope): string | null {
  return scope === null ? null : JSON.stringify(scope);
}
