import { expect } from "vitest";
import type { Allocation, LocationProfile } from "../../../src/domain/locations";
import type { SkuSnapshot } from "../../../src/domain/types";

/**
 * An independent account of a located SKU for the model test: what each
 * location received (the accepted adjustments, as the test made them), and
 * from the hold rows what each location holds and sold. The object's levels
 * must equal it after every step; spec §11's invariants are checked on it.
 */
export const PLACES: LocationProfile[] = [
  place("a", { country: "US", latitude: 40.7, longitude: -74, priority: 2, pickup: true }),
  place("b", { country: "US", latitude: 34, longitude: -118, priority: 1 }),
  place("c", { country: "DE", latitude: 52.5, longitude: 13.4, priority: 0, pickup: true, fulfillsOnline: false }),
];

function place(locationId: string, over: Partial<LocationProfile>): LocationProfile {
  return {
    locationId,
    name: locationId,
    country: "US",
    latitude: null,
    longitude: null,
    fulfillsOnline: true,
    pickup: false,
    priority: 0,
    status: "active",
    revision: 1,
    ...over,
  };
}

export type HoldFacts = { quantity: number; status: string; allocations: string | null };

export class LocatedOracle {
  /** Net units adjusted in per location; `default` takes the SKU's units from before it was located. */
  readonly received = new Map<string, number>();
  readonly safety = new Map<string, number>();
  readonly paused = new Set<string>();
  located = false;
  unlocatedReceived = 0;

  adjusted(location: string | null, delta: number): void {
    if (location === null && !this.located) this.unlocatedReceived += delta;
    else this.received.set(location ?? "default", (this.received.get(location ?? "default") ?? 0) + delta);
  }

  /** The SKU named its first location: what it had becomes default's. */
  locate(): void {
    if (this.located) return;
    this.located = true;
    this.received.set("default", this.unlocatedReceived);
  }

  /** The locations a hold to `dest` may take units from, in priority order (higher first, then id). */
  candidates(dest: { pickup?: string }): string[] {
    const all = [{ locationId: "default", priority: 0, pickup: false, fulfillsOnline: true }, ...PLACES].filter((p) =>
      this.received.has(p.locationId),
    );
    return all
      .filter((p) => !this.paused.has(p.locationId))
      .filter((p) => (dest.pickup ? p.locationId === dest.pickup && p.pickup : p.fulfillsOnline))
      .sort((x, y) => y.priority - x.priority || (x.locationId < y.locationId ? -1 : 1))
      .map((p) => p.locationId);
  }

  /** Checks the object's view against this account and spec §11's invariants; returns available per location. */
  check(snapshot: SkuSnapshot, holds: readonly HoldFacts[], context: string): Map<string, number> {
    const available = new Map<string, number>();
    if (!this.located) {
      expect(snapshot.locations, context).toBeUndefined();
      return available;
    }
    const reserved = new Map<string, number>();
    const sold = new Map<string, number>();
    for (const h of holds) {
      const live = h.status === "held" || h.status === "checkout";
      if (!live && h.status !== "committed") continue;
      const allocations = JSON.parse(h.allocations ?? "null") as Allocation[] | null;
      expect(allocations, `${context}: a counted hold of a located SKU has its allocation`).not.toBeNull();
      expect(
        allocations!.reduce((n, a) => n + a.quantity, 0),
        `${context}: allocation sums to the hold`,
      ).toBe(h.quantity);
      const into = live ? reserved : sold;
      for (const a of allocations!) into.set(a.location, (into.get(a.location) ?? 0) + a.quantity);
    }
    const rows = snapshot.locations ?? [];
    expect(rows.map((r) => r.location).sort(), context).toEqual([...this.received.keys()].sort());
    let sum = { onHand: 0, reserved: 0, sold: 0, available: 0 };
    for (const r of rows) {
      const want = {
        onHand: (this.received.get(r.location) ?? 0) - (sold.get(r.location) ?? 0),
        reserved: reserved.get(r.location) ?? 0,
        sold: sold.get(r.location) ?? 0,
        inTransit: 0,
        safetyStock: this.safety.get(r.location) ?? 0,
      };
      const avail = Math.max(0, want.onHand - want.reserved - want.safetyStock);
      expect(r, `${context}: location ${r.location}`).toEqual({ location: r.location, ...want, available: avail });
      expect(want.reserved, `${context}: ${r.location} oversold`).toBeLessThanOrEqual(want.onHand);
      available.set(r.location, avail);
      sum = {
        onHand: sum.onHand + want.onHand,
        reserved: sum.reserved + want.reserved,
        sold: sum.sold + want.sold,
        available: sum.available + avail,
      };
    }
    expect({ onHand: snapshot.levels.onHand, reserved: snapshot.levels.reserved, sold: snapshot.levels.sold }, context).toEqual({
      onHand: sum.onHand,
      reserved: sum.reserved,
      sold: sum.sold,
    });
    expect(snapshot.levels.available, `${context}: the SKU's available is its locations'`).toBe(sum.available);
    expect(snapshot.levels.received, `${context}: conservation`).toBe(snapshot.levels.onHand + snapshot.levels.sold);
    return available;
  }
}
