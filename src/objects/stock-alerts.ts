import type { Levels } from "../domain/types";

/**
 * Merchant stock alerts, detected from consecutive levels of one SKU's audit
 * stream (pure: the shipper feeds it the levels it ships, in order).
 *
 * - `stock.low`: available falls from above the threshold to at or below it, still > 0;
 * - `stock.sold_out`: available falls from > 0 to 0;
 * - `stock.back_in_stock`: available rises from 0 to > 0 (even if still at or below the threshold).
 *
 * At most one alert per transition. The first levels a stream ever ships have
 * nothing to compare with and raise none: a new SKU's first restock is not news.
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
    before = e.levels.available;
  }
  return alerts;
}

/** Default when LOW_STOCK_THRESHOLD is unset or not a whole number. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 10;

/** LOW_STOCK_THRESHOLD is a string var; a bad value falls back to the default rather than disabling alerts. */
export function parseThreshold(raw: string | undefined): number {
  const text = raw?.trim() ?? "";
  if (!/^\d{1,9}$/.test(text)) {
    if (text !== "") console.warn(JSON.stringify({ level: "warn", event: "bad_low_stock_threshold", value: raw }));
    return DEFAULT_LOW_STOCK_THRESHOLD;
  }
  return Number(text);
}
