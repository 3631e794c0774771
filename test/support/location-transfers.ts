import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { ADMIN, call, createSku, type Reply } from "./helpers";
import type { LocationRow } from "../../src/stock/locations";
import { objectSql } from "./inside-objects";

/**
 * Located SKUs and their transfers (spec §11) for tests: locations
 * registered in D1 as the registry keeps them, stock put at each by an
 * adjustment naming it, and every invariant of a located SKU read straight
 * from the object's rows.
 */

/** Registers a location in D1's registry (the route that does it is another branch's; the row is the contract). */
export async function registerLocation(locationId: string, country = "DE"): Promise<void> {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT OR IGNORE INTO locations (location_id, name, country, latitude, longitude, fulfills_online, pickup, priority, status,
       revision, created_at_ms, updated_at_ms) VALUES (?, ?, ?, NULL, NULL, 1, 0, 0, 'active', 1, ?, ?)`,
  )
    .bind(locationId, `Warehouse ${locationId}`, country, now, now)
    .run();
}

/** A SKU with `stock` units at each named location, sold at list price. */
export async function locatedSku(stock: Record<string, number>): Promise<string> {
  const sku = await createSku();
  for (const [location, units] of Object.entries(stock)) {
    await registerLocation(location);
    // A location with no units is stocked as such; one with units by the adjustment that puts them there.
    const res =
      units === 0
        ? await call(`/v1/skus/${sku}/locations/${location}`, { method: "PUT", auth: ADMIN, body: {} })
        : await call(`/v1/skus/${sku}/adjustments`, { auth: ADMIN, body: { delta: units, reason: "received", location } });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }
  return sku;
}

export type Located = {
  version: number;
  locations: Record<string, { onHand: number; reserved: number; sold: number; inTransit: number; available: number }>;
};

/** The merchant view's version and per-location levels. */
export async function located(sku: string): Promise<Located> {
  const res = await call(`/v1/skus/${sku}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  const locations: Located["locations"] = {};
  for (const l of res.body.locations as Array<{ location: string } & Located["locations"][string]>) {
    locations[l.location] = { onHand: l.onHand, reserved: l.reserved, sold: l.sold, inTransit: l.inTransit, available: l.available };
  }
  return { version: res.body.version, locations };
}

export function createTransfer(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Reply> {
  return call("/v1/transfers", { auth: ADMIN, body, headers });
}

export function receiveTransfer(transferId: string, quantity?: number, headers: Record<string, string> = {}): Promise<Reply> {
  return call(`/v1/transfers/${transferId}/receive`, {
    method: "POST",
    auth: ADMIN,
    ...(quantity !== undefined && { body: { quantity } }),
    headers,
  });
}

export function cancelTransfer(transferId: string, headers: Record<string, string> = {}): Promise<Reply> {
  return call(`/v1/transfers/${transferId}/cancel`, { method: "POST", auth: ADMIN, headers });
}

type SkuRow = {
  on_hand: number;
  reserved: number;
  sold: number;
  received: number;
  moved_in: number;
  moved_out: number;
  in_transit: number;
};
type TransferRow = { from_location: string; to_location: string; quantity: number; received: number; cancelled: number; status: string };

/**
 * Every invariant of a located SKU (the locations contract) and of its
 * transfers, from the rows as stored: per location conservation and bounds,
 * the SKU's totals equal to the sums, the SKU's conservation with units in
 * transit, and each location's `in_transit` equal to what its open transfers
 * still carry, and what it sent or received equal to its transfers' counts.
 */
export async function expectLocatedInvariants(sku: string): Promise<void> {
  const locs = await objectSql<LocationRow>(
    sku,
    "SELECT location_id, on_hand, reserved, sold, received, transferred_in, transferred_out, in_transit FROM locations",
  );
  const [row] = await objectSql<SkuRow>(sku, "SELECT on_hand, reserved, sold, received, moved_in, moved_out, in_transit FROM sku");
  const transfers = await objectSql<TransferRow>(
    sku,
    "SELECT from_location, to_location, quantity, received, cancelled, status FROM location_transfers",
  );
  const sum = (f: (l: LocationRow) => number) => locs.reduce((n, l) => n + f(l), 0);
  for (const l of locs) {
    expect(l.reserved, `${l.location_id} reserved`).toBeGreaterThanOrEqual(0);
    expect(l.reserved, `${l.location_id} reserved <= on hand`).toBeLessThanOrEqual(l.on_hand);
    expect(l.in_transit, `${l.location_id} in transit`).toBeGreaterThanOrEqual(0);
    expect(l.received + l.transferred_in - l.transferred_out, `${l.location_id} conservation`).toBe(l.on_hand + l.sold);
    const out = transfers.filter((t) => t.from_location === l.location_id);
    const into = transfers.filter((t) => t.to_location === l.location_id);
    expect(l.in_transit, `${l.location_id} in transit = open transfers`).toBe(
      out.filter((t) => t.status === "in_transit").reduce((n, t) => n + t.quantity - t.received - t.cancelled, 0),
    );
    expect(l.transferred_out, `${l.location_id} sent`).toBe(out.reduce((n, t) => n + t.quantity - t.cancelled, 0));
    expect(l.transferred_in, `${l.location_id} received`).toBe(into.reduce((n, t) => n + t.received, 0));
  }
  expect(row, "sku row").toBeDefined();
  expect({ onHand: row!.on_hand, reserved: row!.reserved, sold: row!.sold, inTransit: row!.in_transit }).toEqual({
    onHand: sum((l) => l.on_hand),
    reserved: sum((l) => l.reserved),
    sold: sum((l) => l.sold),
    inTransit: sum((l) => l.in_transit),
  });
  expect(row!.received + row!.moved_in - row!.moved_out, "SKU conservation").toBe(row!.on_hand + row!.sold + row!.in_transit);
}
