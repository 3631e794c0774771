import type { KindResult } from "./compare.ts";
import { round } from "./stats.ts";

/** What every report of kinds shares: the table, the cost and status summaries. */

/** One table row of a kind's throughput, latency and cost. */
export function row(label: string, k: KindResult): string[] {
  const s = k.summary;
  const fmt = (v: number | null, digits = 0) => (v === null ? "-" : v.toFixed(digits));
  return [
    label,
    String(s.requests),
    fmt(s.rps),
    s.sliceRps.map((r) => r.toFixed(0)).join("/"),
    fmt(s.p50Ms, 1),
    fmt(s.p99Ms, 1),
    fmt(k.cost.runtimeCpuUs),
    fmt(k.cost.clientCpuUs),
    k.cost.writeBytes === null ? "-" : `${(k.cost.writeBytes / 1024).toFixed(1)}K`,
  ];
}

/** The header row is the first; the first column is left-aligned, the rest right-aligned. */
export function tabulate(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "));
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return lines;
}

/** The row columns of `row`, for tables made of kinds. */
export const ROW_HEADER = [
  "scenario",
  "requests",
  "rps",
  "rps per slice",
  "p50 ms",
  "p99 ms",
  "rt cpu us/req",
  "client cpu us/req",
  "written/req",
];

/** A kind's cost per request, as the summary line gives it. */
export function costOf(k: KindResult) {
  return {
    runtime_cpu_us: k.cost.runtimeCpuUs === null ? null : round(k.cost.runtimeCpuUs, 0),
    runtime_sys_us: k.cost.runtimeSysUs === null ? null : round(k.cost.runtimeSysUs, 0),
    client_cpu_us: round(k.cost.clientCpuUs, 0),
    write_bytes: k.cost.writeBytes === null ? null : round(k.cost.writeBytes, 0),
  };
}

/** How many `of` requests the runtime's CPU affords per `base` request: base cost / this cost. */
export function cpuRatio(base: KindResult, of: KindResult): number | null {
  const a = base.cost.runtimeCpuUs;
  const b = of.cost.runtimeCpuUs;
  return a === null || b === null || b === 0 ? null : round(a / b, 3);
}

/** Replies other than `expected`. */
export function unexpected(k: KindResult, expected: number): number {
  return otherThan(k.summary.statuses, expected);
}

export function otherThan(statuses: Record<number, number>, expected: number): number {
  return Object.entries(statuses).reduce((n, [status, count]) => (Number(status) === expected ? n : n + count), 0);
}

export function pct(ratio: number): string {
  return Number.isFinite(ratio) ? `${(100 * ratio).toFixed(1)}%` : "-";
}

/** e.g. "hit 5900, miss 100" */
export function states(k: KindResult): string {
  return Object.entries(k.summary.cache)
    .sort((a, b) => b[1] - a[1])
    .map(([state, n]) => `${state} ${n}`)
    .join(", ");
}
