import type { Levels } from "../domain/types";
import type { Log } from "../platform/log";

/**
 * Merchant stock alerts, detected from consecutive levels of one SKU's audit
 * stream (pure: the shipper feeds it the levels it ships, in order).
 *
 * - `stock.low`: available falls from above the threshold to at or below it, still > 0;
 *   and also whenever the merchant stocks the SKU (a restock or adjustment,
 *   the first one included) and it is left at or below the threshold, still > 0:
 *   a restock that does not lift the SKU clear of the threshold is news (issue 10);
 * - `stock.sold_out`: available falls from > 0 to 0;
 * - `stock.back_in_stock`: available rises from 0 to > 0 (even if still at or below the threshold).
 *
 * At most one alert per transition, except that a restock from 0 to at or below
 * the threshold raises both `stock.back_in_stock` and `stock.low`. Otherwise the
 * first levels a stream ships have nothing to compare with and raise none.
 */
export type StockAlertType = "stock.low" | "stock.sold_out" | "stock.back_in_stock";

export function stockAlert(previous: number | null, current: number, threshold: number): StockAlertType | null {
  if (previous === null || previous === current) return null;
  if (current === 0) return "stock.sold_out";
  if (previous === 0) return "stock.back_in_stock";
  if (previous > threshold && current <= threshold) return "stock.low";
  return null;
}

export interface LevelsAt {
  /** The event's position in the SKU's audit stream. */
  seq: number;
  /** The merchant stocked the SKU (`stock.adjusted`), as opposed to a hold moving. */
  stocked?: boolean;
  atMs: number;
  levels: Levels;
}

export interface StockAlert {
  type: StockAlertType;
  seq: number;
  atMs: number;
  levels: Levels;
}

/** Walks `events` in order from `previous` (the last shipped available, or null). */
export function detectStockAlerts(previous: number | null, events: readonly LevelsAt[], threshold: number): StockAlert[] {
  const alerts: StockAlert[] = [];
  let before = previous;
  for (const e of events) {
    const type = stockAlert(before, e.levels.available, threshold);
    if (type !== null) alerts.push({ type, seq: e.seq, atMs: e.atMs, levels: e.levels });
    if (e.stocked && type !== "stock.low" && lowAfterStocking(e.levels.available, threshold)) {
      alerts.push({ type: "stock.low", seq: e.seq, atMs: e.atMs, levels: e.levels });
    }
    before = e.levels.available;
  }
  return alerts;
}

function lowAfterStocking(available: number, threshold: number): boolean {
  return available > 0 && available <= threshold;
}

/** Default when LOW_STOCK_THRESHOLD is unset or not a whole number. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 10;

/** LOW_STOCK_THRESHOLD is a string var; a bad value falls back to the default rather than disabling alerts. */
export function parseThreshold(raw: string | undefined, log: Log): number {
  const text = raw?.trim() ?? "";
  if (!/^\d{1,9}$/.test(text)) {
    if (text !== "") log.warn("bad_low_stock_threshold", { value: raw });
    return DEFAULT_LOW_STOCK_THRESHOLD;
  }
  return Number(text);
}

/** A stock alert of one location of a located SKU (spec §11): its available, net of safety stock. */
export interface LocationAlert {
  type: StockAlertType;
  location: string;
  seq: number;
  atMs: number;
  available: number;
  onHand: number;
}

/**
 * The same transitions as detectStockAlerts, location by location: `previous`
 * holds each location's last shipped available (absent: nothing to compare
 * with), `along` each location's levels as events carried them, in order;
 * `stocked` the seqs of the merchant's stock changes.
 */
export function detectLocationAlerts(
  previous: Readonly<Record<string, number>>,
  along: ReadonlyArray<{ location: { location: string; available: number; onHand: number }; seq: number; atMs: number }>,
  stocked: ReadonlySet<number>,
  threshold: number,
): LocationAlert[] {
  const last = new Map(Object.entries(previous));
  const alerts: LocationAlert[] = [];
  for (const at of along) {
    const { location, available, onHand } = at.location;
    const raised = detectStockAlerts(
      last.get(location) ?? null,
      [
        {
          seq: at.seq,
          atMs: at.atMs,
          stocked: stocked.has(at.seq),
          levels: { onHand, reserved: 0, available, sold: 0, received: 0, returned: 0 },
        },
      ],
      threshold,
    );
    for (const a of raised) alerts.push({ type: a.type, location, seq: a.seq, atMs: a.atMs, available, onHand });
    last.set(location, available);
  }
  return alerts;
}
