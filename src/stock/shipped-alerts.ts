import type { Levels } from "../domain/types";
import type { Notification } from "../notifications/messages";
import { detectLocationAlerts, detectStockAlerts, type LevelsAt, type LocationAlert, type StockAlert } from "./alerts";
import type { LocationAt } from "./location-fold";

/**
 * The stock alerts one shipped batch raises (./outbox.ts), as notifications
 * with stable ids: the same event always yields the same alert, so a batch
 * shipped again repeats ids that consumers drop.
 */

/** A shipped event as the shipper hands it over, its data already parsed. */
type ShippedEvent = { type: string; seq: number; atMs: number; body: unknown };

/**
 * The last shipped levels the audit head keeps: the SKU's, and on a located
 * SKU each location's last shipped available (`byLocation`), which its
 * per-location alerts compare with.
 */
export interface HeadLevels {
  levels: Levels | null;
  byLocation: Record<string, number>;
}

export function headLevels(json: string | null): HeadLevels {
  if (json === null) return { levels: null, byLocation: {} };
  const { byLocation = {}, ...levels } = JSON.parse(json) as Levels & { byLocation?: Record<string, number> };
  return { levels, byLocation };
}

/** What the head keeps after a batch: its last levels, and each location's last available. */
export function nextHeadLevels(seen: Levels | null, byLocation: Readonly<Record<string, number>>, located: readonly LocationAt[]) {
  if (seen === null) return null;
  const next = { ...byLocation };
  for (const at of located) next[at.location.location] = at.location.available;
  return Object.keys(next).length > 0 ? { ...seen, byLocation: next } : seen;
}

export function alertNotifications(
  sku: string,
  batch: {
    /** One object of a sharded SKU sees only its part: its own object judges the whole (./whole-alerts.ts). */
    sharded: boolean;
    before: HeadLevels;
    /** The batch's events, each with its data parsed (`body`). */
    events: readonly ShippedEvent[];
    observed: readonly LevelsAt[];
    located: readonly LocationAt[];
  },
  threshold: number,
): Notification[] {
  const { sharded, before, events, observed, located } = batch;
  const alerts = sharded ? judgedAlerts(events) : detectStockAlerts(before.levels?.available ?? null, observed, threshold);
  // A located SKU's alerts also fire per location; a sharded SKU's are judged on its whole only.
  const stocked = new Set(events.filter((e) => e.type === "stock.adjusted").map((e) => e.seq));
  const perLocation = sharded ? [] : detectLocationAlerts(before.byLocation, located, stocked, threshold);
  return [...alerts.map((a) => skuNotification(sku, a, threshold)), ...perLocation.map((a) => locationNotification(sku, a, threshold))];
}

function skuNotification(sku: string, a: StockAlert, threshold: number): Notification {
  const data: { available: number; onHand: number; threshold?: number } = { available: a.levels.available, onHand: a.levels.onHand };
  if (a.type === "stock.low") data.threshold = threshold;
  return { id: `sku:${sku}:${a.seq}:${a.type}`, audience: "merchant", type: a.type, sku, data, atMs: a.atMs };
}

function locationNotification(sku: string, a: LocationAlert, threshold: number): Notification {
  const data: { available: number; onHand: number; threshold?: number; location: string } = {
    available: a.available,
    onHand: a.onHand,
    location: a.location,
  };
  if (a.type === "stock.low") data.threshold = threshold;
  return { id: `sku:${sku}:${a.seq}:${a.type}:${a.location}`, audience: "merchant", type: a.type, sku, data, atMs: a.atMs };
}

/** The alerts a sharded SKU's own object judged on the whole SKU (`stock.alert` events). */
function judgedAlerts(events: readonly ShippedEvent[]): StockAlert[] {
  return events
    .filter((e) => e.type === "stock.alert")
    .map((e) => {
      const { alert, whole } = e.body as { alert: StockAlert["type"]; whole: Levels };
      return { type: alert, seq: e.seq, atMs: e.atMs, levels: whole };
    });
}
