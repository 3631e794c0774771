import { hitRatio, type EdgeResult } from "./edge.ts";
import type { KindResult } from "./compare.ts";
import { costOf, cpuRatio, pct, row, states, unexpected } from "./report-kinds.ts";
import { round } from "./stats.ts";

/** Issue 18: cached reads and sold-out refusals at least this share of an echo route's rate. */
export const EDGE_TARGETS = { read_vs_echo: 0.8, soldout_vs_echo: 0.8 } as const;

/** Phase 4's rows of the table: the ceiling, the cache probe, then the two product kinds. */
export function edgeRows(e: EdgeResult): string[][] {
  return [
    row("echo Worker route (edge ceiling)", e.kinds.echo),
    row("echo + one Cache API hit", e.kinds.cache),
    row("public read, live SKU (HTTP)", e.kinds.read),
    row("hold on sold-out SKU (HTTP)", e.kinds.soldout),
  ];
}

/** The ratios the issue targets and where the answers came from, under the table. */
export function edgeLines(e: EdgeResult): string[] {
  const { read, echo, soldout, cache } = e.kinds;
  return [
    `edge: read/echo ${(read.summary.rps / echo.summary.rps).toFixed(2)}, ` +
      `sold-out/echo ${(soldout.summary.rps / echo.summary.rps).toFixed(2)}, ` +
      `cache-hit probe/echo ${(cache.summary.rps / echo.summary.rps).toFixed(2)} (targets read and sold-out >= ` +
      `${EDGE_TARGETS.read_vs_echo})`,
    `  by runtime CPU: read ${cpuRatio(echo, read) ?? "-"}, sold-out ${cpuRatio(echo, soldout) ?? "-"}, cache-hit probe ${cpuRatio(echo, cache) ?? "-"}`,
    `  reads served from the cache ${pct(hitRatio(read))} (${states(read)}), ` +
      `sold-out refusals from the cached verdict ${pct(hitRatio(soldout))} (${states(soldout)})`,
  ];
}

/** Phase 4's part of the JSON line; `--edge` prints it alone, the full run merges it. */
export function edgeSummary(e: EdgeResult) {
  const { read, echo, soldout, cache: cacheProbe } = e.kinds;
  const readVsEcho = read.summary.rps / echo.summary.rps;
  const soldoutVsEcho = soldout.summary.rps / echo.summary.rps;
  const rpsOf = (k: KindResult) => round(k.summary.rps, 1);
  return {
    fields: {
      read_rps: rpsOf(read),
      echo_rps: rpsOf(echo),
      read_vs_echo: round(readVsEcho, 3),
      read_cache_hit_ratio: round(hitRatio(read), 4),
      soldout_rps: rpsOf(soldout),
      soldout_vs_echo: round(soldoutVsEcho, 3),
      soldout_edge_ratio: round(hitRatio(soldout), 4),
      read_vs_echo_by_cpu: cpuRatio(echo, read),
      soldout_vs_echo_by_cpu: cpuRatio(echo, soldout),
      cache_vs_echo_by_cpu: cpuRatio(echo, cacheProbe),
      read_vs_echo_rounds: e.roundRatios.read.map((r) => round(r, 3)),
      soldout_vs_echo_rounds: e.roundRatios.soldout.map((r) => round(r, 3)),
      read_p50_ms: round(read.summary.p50Ms),
      read_p99_ms: round(read.summary.p99Ms),
      echo_p50_ms: round(echo.summary.p50Ms),
      echo_p99_ms: round(echo.summary.p99Ms),
      soldout_p50_ms: round(soldout.summary.p50Ms),
      soldout_p99_ms: round(soldout.summary.p99Ms),
      // The echo plus one Cache API hit: what Miniflare's local cache service costs per lookup.
      cache_rps: rpsOf(cacheProbe),
      cache_vs_echo: round(cacheProbe.summary.rps / echo.summary.rps, 3),
      cache_p99_ms: round(cacheProbe.summary.p99Ms),
      read_cache_states: read.summary.cache,
      soldout_cache_states: soldout.summary.cache,
    },
    cost: { echo: costOf(echo), cache_probe: costOf(cacheProbe), read: costOf(read), soldout: costOf(soldout) },
    non2xx: {
      echo: unexpected(echo, 200),
      cache_probe: unexpected(cacheProbe, 200),
      read: unexpected(read, 200),
      soldout: unexpected(soldout, 409),
    },
    targets: { read_vs_echo: readVsEcho >= EDGE_TARGETS.read_vs_echo, soldout_vs_echo: soldoutVsEcho >= EDGE_TARGETS.soldout_vs_echo },
  };
}

/** `--edge` alone: the same keys the full run's JSON line has for phase 4. */
export function edgeAlone(edge: ReturnType<typeof edgeSummary>) {
  return { ...edge.fields, cost_per_request: edge.cost, non_2xx: edge.non2xx, targets_met: edge.targets };
}
