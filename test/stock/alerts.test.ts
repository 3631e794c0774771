import { describe, expect, it } from "vitest";
import type { Levels } from "../../src/domain/types";
import { DEFAULT_LOW_STOCK_THRESHOLD, detectLocationAlerts, detectStockAlerts, parseThreshold, stockAlert } from "../../src/stock/alerts";
import { createLog } from "../../src/platform/log";

const at = (seq: number, available: number): { seq: number; atMs: number; levels: Levels } => ({
  seq,
  atMs: 1_000 * seq,
  levels: { onHand: available + 1, reserved: 1, available, sold: 0, received: available + 1, returned: 0 },
});

describe("stockAlert", () => {
  it("raises stock.low only when available crosses from above the threshold to at or below it", () => {
    expect(stockAlert(11, 10, 10)).toBe("stock.low");
    expect(stockAlert(50, 1, 10)).toBe("stock.low");
    // Already low: no repeat.
    expect(stockAlert(10, 9, 10)).toBeNull();
    expect(stockAlert(9, 10, 10)).toBeNull();
    // Still above.
    expect(stockAlert(20, 11, 10)).toBeNull();
  });

  it("raises stock.sold_out when available reaches 0, whatever it was before", () => {
    expect(stockAlert(1, 0, 10)).toBe("stock.sold_out");
    expect(stockAlert(500, 0, 10)).toBe("stock.sold_out");
    expect(stockAlert(0, 0, 10)).toBeNull();
  });

  it("raises stock.back_in_stock when available leaves 0, even into the low band", () => {
    expect(stockAlert(0, 3, 10)).toBe("stock.back_in_stock");
    expect(stockAlert(0, 100, 10)).toBe("stock.back_in_stock");
  });

  it("raises nothing without a previous level to compare with", () => {
    expect(stockAlert(null, 0, 10)).toBeNull();
    expect(stockAlert(null, 5, 10)).toBeNull();
  });

  it("never raises stock.low with a threshold of 0", () => {
    expect(stockAlert(5, 1, 0)).toBeNull();
    expect(stockAlert(5, 0, 0)).toBe("stock.sold_out");
  });
});

describe("detectStockAlerts", () => {
  it("walks consecutive levels in order, carrying the previous available", () => {
    const alerts = detectStockAlerts(12, [at(4, 11), at(5, 10), at(6, 4), at(7, 0), at(8, 0), at(9, 2), at(10, 30), at(11, 8)], 10);
    expect(alerts.map((a) => [a.seq, a.type])).toEqual([
      [5, "stock.low"],
      [7, "stock.sold_out"],
      [9, "stock.back_in_stock"],
      [11, "stock.low"],
    ]);
    expect(alerts[1]).toMatchObject({ atMs: 7_000, levels: { available: 0 } });
  });

  it("starts from the last shipped level across batches", () => {
    expect(detectStockAlerts(0, [at(3, 5)], 10).map((a) => a.type)).toEqual(["stock.back_in_stock"]);
    expect(detectStockAlerts(null, [at(1, 5), at(2, 0)], 10).map((a) => a.type)).toEqual(["stock.sold_out"]);
    expect(detectStockAlerts(7, [], 10)).toEqual([]);
  });
});

describe("detectStockAlerts when the merchant stocks the SKU (issue 10)", () => {
  const stocked = (seq: number, available: number) => ({ ...at(seq, available), stocked: true });

  it("raises stock.low when a restock or adjustment leaves the SKU at or below the threshold, the first one included", () => {
    expect(detectStockAlerts(null, [stocked(1, 5)], 10).map((a) => [a.seq, a.type])).toEqual([[1, "stock.low"]]);
    expect(detectStockAlerts(3, [stocked(4, 10)], 10).map((a) => a.type)).toEqual(["stock.low"]);
    // From 0: back in stock, and still low.
    expect(detectStockAlerts(0, [stocked(2, 4)], 10).map((a) => a.type)).toEqual(["stock.back_in_stock", "stock.low"]);
    // A fall by shrinkage across the threshold raises it once.
    expect(detectStockAlerts(20, [stocked(2, 9)], 10).map((a) => a.type)).toEqual(["stock.low"]);
  });

  it("raises nothing for stocking above the threshold, to 0, or with a threshold of 0; holds moving in the low band stay quiet", () => {
    expect(detectStockAlerts(null, [stocked(1, 11)], 10)).toEqual([]);
    expect(detectStockAlerts(5, [stocked(2, 0)], 10).map((a) => a.type)).toEqual(["stock.sold_out"]);
    expect(detectStockAlerts(null, [stocked(1, 3)], 0)).toEqual([]);
    expect(detectStockAlerts(5, [at(2, 4), at(3, 5)], 10)).toEqual([]);
  });
});

describe("parseThreshold", () => {
  it("parses a whole number and falls back to the default otherwise, warning of a value it could not read", () => {
    const warned: string[] = [];
    const log = createLog("debug", (_level, line) => warned.push(line));
    expect(parseThreshold("10", log)).toBe(10);
    expect(parseThreshold(" 3 ", log)).toBe(3);
    expect(parseThreshold("0", log)).toBe(0);
    expect(parseThreshold(undefined, log)).toBe(DEFAULT_LOW_STOCK_THRESHOLD);
    expect(parseThreshold("", log)).toBe(DEFAULT_LOW_STOCK_THRESHOLD);
    expect(parseThreshold("-1", log)).toBe(DEFAULT_LOW_STOCK_THRESHOLD);
    expect(parseThreshold("ten", log)).toBe(DEFAULT_LOW_STOCK_THRESHOLD);
    expect(parseThreshold("2.5", log)).toBe(DEFAULT_LOW_STOCK_THRESHOLD);
    expect(warned.map((line) => JSON.parse(line).value)).toEqual(["-1", "ten", "2.5"]);
  });
});

describe("detectLocationAlerts (spec §11)", () => {
  const at = (seq: number, location: string, available: number) => ({
    seq,
    atMs: seq * 1_000,
    location: { location, available, onHand: available + 2 },
  });

  it("walks each location's levels from its own last shipped available, with the location named", () => {
    const alerts = detectLocationAlerts({ a: 12, b: 0 }, [at(4, "a", 9), at(4, "b", 3), at(5, "a", 0), at(6, "c", 2)], new Set(), 10);
    expect(alerts).toEqual([
      { type: "stock.low", location: "a", seq: 4, atMs: 4_000, available: 9, onHand: 11 },
      { type: "stock.back_in_stock", location: "b", seq: 4, atMs: 4_000, available: 3, onHand: 5 },
      { type: "stock.sold_out", location: "a", seq: 5, atMs: 5_000, available: 0, onHand: 2 },
    ]);
  });

  it("raises stock.low when the merchant stocks a location at or below the threshold, the first time included", () => {
    expect(detectLocationAlerts({}, [at(2, "wh", 4)], new Set([2]), 10).map((a) => [a.location, a.type])).toEqual([["wh", "stock.low"]]);
    expect(detectLocationAlerts({}, [at(2, "wh", 4)], new Set(), 10)).toEqual([]);
  });
});
