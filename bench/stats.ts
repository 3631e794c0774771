import type { LoadResult } from "./load.ts";

/** Throughput and latency of one kind of request, pooled over its slices. */
export interface Summary {
  requests: number;
  /** Requests per second over the summed slice durations. */
  rps: number;
  /** Each slice's own rate, to show how noisy the machine was. */
  sliceRps: number[];
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<number, number>;
  /** Replies by `holdfast-cache` header; empty for targets that do not report it. */
  cache: Record<string, number>;
  seconds: number;
}

/** The value below which `q` of the sorted samples fall (nearest rank). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(slices: readonly LoadResult[]): Summary {
  const requests = slices.reduce((n, s) => n + s.requests, 0);
  const ms = slices.reduce((n, s) => n + s.elapsedMs, 0);
  const all = new Float64Array(requests);
  let at = 0;
  const statuses: Record<number, number> = {};
  const cache: Record<string, number> = {};
  for (const s of slices) {
    for (const [state, count] of Object.entries(s.cache)) cache[state] = (cache[state] ?? 0) + count;
    all.set(s.latenciesMs, at);
    at += s.latenciesMs.length;
    for (const [status, count] of Object.entries(s.statuses)) {
      statuses[Number(status)] = (statuses[Number(status)] ?? 0) + count;
    }
  }
  all.sort();
  return {
    requests,
    rps: ms > 0 ? (requests * 1000) / ms : 0,
    sliceRps: slices.map((s) => (s.elapsedMs > 0 ? (s.requests * 1000) / s.elapsedMs : 0)),
    p50Ms: quantile(all, 0.5),
    p90Ms: quantile(all, 0.9),
    p99Ms: quantile(all, 0.99),
    maxMs: all.length ? all[all.length - 1]! : Number.NaN,
    statuses,
    cache,
    seconds: ms / 1000,
  };
}

/** Rounds for display and JSON: enough digits to compare, no float noise. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
