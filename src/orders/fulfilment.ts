import { DEFAULT_LOCATION } from "../domain/locations";
import { refuse, type Refusal } from "../domain/problems";
import type { OrderItemRow } from "../db/schema";
import { scopeRefusal, type LocationScope } from "../stock/location-scope";

/**
 * Where an order's units were allocated (spec §11): each item's hold
 * allocation, `default` for an item of an unlocated SKU. Sorted, once each.
 */
export function allocatedLocations(items: readonly OrderItemRow[]): string[] {
  const places = new Set<string>();
  for (const item of items) {
    if (!item.allocations || item.allocations.length === 0) places.add(DEFAULT_LOCATION);
    else for (const a of item.allocations) places.add(a.location);
  }
  return [...places].sort();
}

/**
 * A fulfilment that names the location it ships from must name the one its
 * units were allocated at: stock reserved at one warehouse never ships from
 * another. An order allocated across several locations is fulfilled without
 * naming one.
 */
export function shipsFromRefusal(items: readonly OrderItemRow[], location: string, orderStatus: string): Refusal | null {
  const allocated = allocatedLocations(items);
  if (allocated.length === 1 && allocated[0] === location) return null;
  return refuse(
    "invalid_order_state",
    allocated.length === 1
      ? `The order's units were allocated at "${allocated[0]}", not "${location}".`
      : `The order's units were allocated at several locations (${allocated.join(", ")}); fulfil it without naming one.`,
    { orderStatus, allocatedLocations: allocated },
  );
}

/**
 * A key scoped to locations (spec §12) reads and fulfils an order only when
 * its units were allocated at its locations: to fulfil, all of them (one
 * shipment leaves from places it answers for); to read, any of them.
 */
export function orderScopeRefusal(items: readonly OrderItemRow[], scope: LocationScope, need: "all" | "any"): Refusal | null {
  if (scope === null) return null;
  const allocated = allocatedLocations(items);
  if (need === "any" && allocated.some((l) => scope.includes(l))) return null;
  return scopeRefusal(scope, ...allocated);
}
