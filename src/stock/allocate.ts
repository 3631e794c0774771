import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import type { Allocation, Destination, LocationProfile, Routing } from "../domain/locations";
import { availableAt, profileOfRow, type LocationRow } from "./locations";

/**
 * Where a hold's units come from (spec §11), decided inside the hold's
 * transaction from the locations as they are now: the candidates the
 * destination allows, in the SKU's routing order, then one location that
 * fills the whole quantity (split off) or greedily several (split on).
 */

type Candidate = { location: string; profile: LocationProfile; available: number };

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance (haversine), km. */
export function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The locations that may serve `destination`: active, and a pickup point for a pickup, else shipping online. */
export function candidatesFor(rows: readonly LocationRow[], destination: Destination | null): Candidate[] {
  const out: Candidate[] = [];
  for (const row of rows) {
    const profile = profileOfRow(row);
    if (profile.status !== "active") continue;
    const fits = destination?.kind === "pickup" ? row.location_id === destination.location && profile.pickup : profile.fulfillsOnline;
    if (fits) out.push({ location: row.location_id, profile, available: availableAt(row) });
  }
  return out;
}

/** Sort keys, compared in order; ties go by priority (higher first), then id. */
function keysOf(c: Candidate, routing: Routing, destination: Destination | null): number[] {
  const tie = [-c.profile.priority];
  if (routing === "priority") return tie;
  if (routing === "most_stock") return [-c.available, ...tie];
  const ship = destination?.kind === "ship" ? destination : null;
  const { latitude, longitude } = c.profile;
  if (ship && ship.latitude !== null && ship.longitude !== null && latitude !== null && longitude !== null) {
    return [0, distanceKm(ship.latitude, ship.longitude, latitude, longitude), 0, ...tie];
  }
  const sameCountry = ship?.country != null && ship.country === c.profile.country;
  return [1, 0, sameCountry ? 0 : 1, ...tie];
}

export function ordered(candidates: Candidate[], routing: Routing, destination: Destination | null): Candidate[] {
  const keyed = candidates.map((c) => ({ c, keys: keysOf(c, routing, destination) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.keys.length; i++) {
      const d = a.keys[i]! - b.keys[i]!;
      if (d !== 0) return d;
    }
    return a.c.location < b.c.location ? -1 : a.c.location > b.c.location ? 1 : 0;
  });
  return keyed.map((k) => k.c);
}

export interface Policy {
  routing: Routing;
  split: boolean;
}

/** The allocation of `quantity` units, or `insufficient_stock` naming what each candidate has. */
export function allocate(
  rows: readonly LocationRow[],
  policy: Policy,
  destination: Destination | null,
  quantity: number,
): Outcome<Allocation[]> {
  const order = ordered(candidatesFor(rows, destination), policy.routing, destination);
  if (!policy.split) {
    const first = order.find((c) => c.available >= quantity);
    if (first) return accept([{ location: first.location, quantity }]);
    const best = order.reduce((n, c) => Math.max(n, c.available), 0);
    return shortOf(order, best, `No single location has ${quantity} units for this destination; the most one has is ${best}.`);
  }
  const out: Allocation[] = [];
  let left = quantity;
  for (const c of order) {
    if (left === 0) break;
    const take = Math.min(left, c.available);
    if (take > 0) out.push({ location: c.location, quantity: take });
    left -= take;
  }
  if (left === 0) return accept(out);
  const total = quantity - left;
  return shortOf(order, total, `Only ${total} units are available for this destination.`);
}

function shortOf(order: readonly Candidate[], available: number, detail: string): Outcome<never> {
  return refuse("insufficient_stock", detail, {
    available,
    locations: order.map((c) => ({ location: c.location, available: c.available })),
  });
}

/**
 * On a stock shard of a located SKU (spec §8, §11): the refill a hold needs
 * before it is allocated here, or null to allocate now. Short of units at
 * every location that may serve it, it asks the pool for them in routing
 * order; on its first try (`routing`) also when its own allotment fills it
 * only away from the location the policy puts first, so the pool may grant
 * from that one (one ask per hold). Pure: the escrow makes the call.
 */
export function shardShortage(
  rows: readonly LocationRow[],
  policy: Policy,
  destination: Destination | null,
  allocated: Outcome<Allocation[]>,
  routing: boolean,
): Refusal | null {
  const order = ordered(candidatesFor(rows, destination), policy.routing, destination).map((c) => c.location);
  const preferred = order[0];
  if (allocated.ok && (!routing || allocated.value[0]?.location === preferred)) return null;
  // A pickup point this shard has not heard of yet is still asked for.
  if (destination?.kind === "pickup" && order.length === 0) order.push(destination.location);
  if (order.length === 0) return null;
  return allocated.ok ? askPool([preferred!], true) : askPool(order, false);
}

/**
 * The located shortage a shard answers so its escrow asks the pool for units
 * at `order`'s locations, in that order (`route`: the hold's one ask for the
 * location its policy prefers; see Escrow.reserveWithRefills).
 */
export function askPool(order: readonly string[], route: boolean): Refusal {
  return refuse("unavailable", "This shard's allotment is short where this hold may be served; it refills from the pool.", {
    shortage: true,
    wantOrder: [...order],
    wantCandidates: order.length,
    wantRoute: route,
  });
}

/** Every active location that ships online, in the SKU's routing order for no destination: where a split hold may grow. */
export function growthOrder(rows: readonly LocationRow[], routing: Routing): string[] {
  return ordered(candidatesFor(rows, null), routing, null).map((c) => c.location);
}
