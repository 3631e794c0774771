import type { CompareResult, KindResult } from "./compare.ts";
import type { OversellResult } from "./oversell.ts";
import type { ScaleResult } from "./scaling.ts";
import { round } from "./stats.ts";

/** The human table and the one-line JSON summary (always the last line of stdout). */

export interface Durations {
  build: number;
  start: number;
  setup: number;
  compare: number;
  scale: number;
  oversell: number;
  total: number;
}

export const TARGETS = {
  reserve_vs_noop: 0.8,
  /** reserve p99 at most this multiple of the no-op p99. */
  p99_multiple: 2,
  rps_50k_vs_1k: 0.9,
} as const;

function row(label: string, k: KindResult): string[] {
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

export function renderTable(c: CompareResult, s: ScaleResult, o: OversellResult, holds: { small: number; big: number }): string {
  const header = ["scenario", "requests", "rps", "rps per slice", "p50 ms", "p99 ms", "rt cpu us/req", "client cpu us/req", "written/req"];
  const rows = [
    header,
    row("noop DO call (ceiling)", c.kinds.noop),
    row("reserve, hot SKU (HTTP)", c.kinds.reserve),
    row("one-row write DO call", c.kinds.write),
    row("reserve RPC, no HTTP layer", c.kinds.direct),
    row(`reserve, ${holds.small} live holds`, s.small),
    row(`reserve, ${holds.big} live holds`, s.big),
  ];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "));
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  lines.push(
    "",
    `oversell: ${o.successes} holds granted for ${o.stock} units in ${o.attempts} attempts -> oversell ${o.oversell}; ` +
      `levels onHand ${o.levels.onHand} reserved ${o.levels.reserved} sold ${o.levels.sold} received ${o.levels.received} ` +
      `(${o.accountingOk ? "balanced" : "NOT BALANCED"})`,
  );
  return lines.join("\n");
}

export function buildSummary(
  c: CompareResult,
  s: ScaleResult,
  o: OversellResult,
  durations: Durations,
  config: object,
): Record<string, unknown> {
  const { reserve, noop, write, direct } = c.kinds;
  const reserveVsNoop = reserve.summary.rps / noop.summary.rps;
  const rps50kVs1k = s.big.summary.rps / s.small.summary.rps;
  const sortedRatios = [...c.roundRatios].sort((a, b) => a - b);
  const cost = (k: KindResult) => ({
    runtime_cpu_us: k.cost.runtimeCpuUs === null ? null : round(k.cost.runtimeCpuUs, 0),
    runtime_sys_us: k.cost.runtimeSysUs === null ? null : round(k.cost.runtimeSysUs, 0),
    client_cpu_us: round(k.cost.clientCpuUs, 0),
    write_bytes: k.cost.writeBytes === null ? null : round(k.cost.writeBytes, 0),
  });
  return {
    reserve_rps: round(reserve.summary.rps, 1),
    noop_rps: round(noop.summary.rps, 1),
    reserve_vs_noop: round(reserveVsNoop, 3),
    reserve_p50_ms: round(reserve.summary.p50Ms),
    reserve_p99_ms: round(reserve.summary.p99Ms),
    noop_p50_ms: round(noop.summary.p50Ms),
    noop_p99_ms: round(noop.summary.p99Ms),
    rps_1k: round(s.small.summary.rps, 1),
    rps_50k: round(s.big.summary.rps, 1),
    rps_50k_vs_1k: round(rps50kVs1k, 3),
    oversell: o.oversell,
    // Diagnostics.
    reserve_vs_noop_round_median: round(sortedRatios[Math.floor(sortedRatios.length / 2)] ?? Number.NaN, 3),
    reserve_vs_noop_rounds: c.roundRatios.map((r) => round(r, 3)),
    write_rps: round(write.summary.rps, 1),
    write_p99_ms: round(write.summary.p99Ms),
    write_vs_noop: round(write.summary.rps / noop.summary.rps, 3),
    direct_rps: round(direct.summary.rps, 1),
    direct_p99_ms: round(direct.summary.p99Ms),
    direct_vs_noop: round(direct.summary.rps / noop.summary.rps, 3),
    reserve_vs_direct: round(reserve.summary.rps / direct.summary.rps, 3),
    p99_1k_ms: round(s.small.summary.p99Ms),
    p99_50k_ms: round(s.big.summary.p99Ms),
    live_holds_small: s.small.liveHolds,
    live_holds_big: s.big.liveHolds,
    // Runtime CPU is what bounds a single hot object; its ratio is steadier than wall-clock rates.
    reserve_vs_noop_by_cpu: cpuRatio(noop, reserve),
    write_vs_noop_by_cpu: cpuRatio(noop, write),
    rps_50k_vs_1k_by_cpu: cpuRatio(s.small, s.big),
    cost_per_request: {
      noop: cost(noop),
      write: cost(write),
      direct: cost(direct),
      reserve: cost(reserve),
      reserve_1k: cost(s.small),
      reserve_50k: cost(s.big),
    },
    non_2xx: {
      reserve: nonSuccess(reserve),
      noop: nonSuccess(noop),
      write: nonSuccess(write),
      direct: nonSuccess(direct),
      reserve_1k: nonSuccess(s.small),
      reserve_50k: nonSuccess(s.big),
    },
    oversell_stock: o.stock,
    oversell_attempts: o.attempts,
    oversell_successes: o.successes,
    oversell_statuses: o.statuses,
    oversell_levels: o.levels,
    accounting_ok: o.accountingOk,
    targets_met: {
      reserve_vs_noop: reserveVsNoop >= TARGETS.reserve_vs_noop,
      reserve_p99: reserve.summary.p99Ms <= TARGETS.p99_multiple * noop.summary.p99Ms,
      rps_50k_vs_1k: rps50kVs1k >= TARGETS.rps_50k_vs_1k,
      oversell: o.oversell === 0,
    },
    durations_s: Object.fromEntries(Object.entries(durations).map(([k, v]) => [k, round(v, 1)])),
    config,
  };
}

/** How many `of` requests the runtime's CPU affords per `base` request: base cost / this cost. */
function cpuRatio(base: KindResult, of: KindResult): number | null {
  const a = base.cost.runtimeCpuUs;
  const b = of.cost.runtimeCpuUs;
  return a === null || b === null || b === 0 ? null : round(a / b, 3);
}

function nonSuccess(k: KindResult): number {
  return Object.entries(k.summary.statuses).reduce((n, [status, count]) => (status === "201" ? n : n + count), 0);
}
