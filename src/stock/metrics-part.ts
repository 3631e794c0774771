import type { Levels } from "../domain/types";
import { addHistograms, type HistogramSnapshot } from "../platform/histogram";
import { sumCounters } from "./stats";
import type { SkuTables } from "./tables";

/**
 * What GET /metrics reads of one SKU (issue 21), where its truth lives: the
 * levels and lifetime counters from the object's storage, the outbox that
 * has not reached D1 yet (the D1 view's lag), and the hold service times this
 * instance observed. A sharded SKU's own object adds its shards' parts.
 */
export interface SkuMetrics {
  levels: Levels;
  counters: Record<string, number>;
  outbox: { pending: number; oldestAtMs: number | null };
  holdService: HistogramSnapshot;
}

export interface MetricsPart {
  counters: Record<string, number>;
  outbox: SkuMetrics["outbox"];
  holdService: HistogramSnapshot;
}

export function metricsPartHere(tables: SkuTables, holdService: HistogramSnapshot): MetricsPart {
  return {
    counters: tables.counters(),
    outbox: { pending: tables.unshippedCount(), oldestAtMs: tables.earliestUnshippedAtMs() },
    holdService,
  };
}

export function addMetricsParts(levels: Levels, parts: ReadonlyArray<MetricsPart | null>): SkuMetrics {
  const present = parts.filter((p): p is MetricsPart => p !== null);
  const oldest = present.map((p) => p.outbox.oldestAtMs).filter((t): t is number => t !== null);
  return {
    levels,
    counters: sumCounters(present.map((p) => p.counters)),
    outbox: { pending: present.reduce((n, p) => n + p.outbox.pending, 0), oldestAtMs: oldest.length ? Math.min(...oldest) : null },
    holdService: addHistograms(present.map((p) => p.holdService)),
  };
}
