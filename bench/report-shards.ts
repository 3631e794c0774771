import type { KindResult } from "./compare.ts";
import { cpuRatio, row, ROW_HEADER, tabulate, unexpected } from "./report-kinds.ts";
import type { ShardCompareResult } from "./shards.ts";
import { reachedRate, type SimResult, type SimSweep } from "./sim.ts";
import type { SimMeasurement } from "./sim-measure.ts";
import type { StampedeResult } from "./stampede.ts";
import { round } from "./stats.ts";

/** The stock shards' part of the table and of the JSON line (spec §8; bench/README.md). */

export const SHARD_TARGETS = {
  /** A hold served by a shard against one served by an unsharded SKU. */
  shard_reserve_vs_single: 0.9,
  /** Refills the shards ask of the pool per 1,000 holds while the pool has stock. */
  pool_calls_per_1k_holds: 10,
} as const;

export function renderShards(c: ShardCompareResult, s: StampedeResult): string {
  const ratio = c.kinds.sharded.summary.rps / c.kinds.single.summary.rps;
  const lines = tabulate([
    ROW_HEADER,
    row(`hold, SKU with ${c.shards} shards (HTTP)`, c.kinds.sharded),
    row("hold, unsharded SKU (HTTP)", c.kinds.single),
  ]);
  lines.push(
    "",
    `shards: sharded/single ${ratio.toFixed(2)} (rounds ${c.roundRatios.map((r) => r.toFixed(2)).join("/")}; target >= ${SHARD_TARGETS.shard_reserve_vs_single}), ` +
      `pool calls ${c.poolCalls} for ${c.shardedHolds} holds -> ${c.poolCallsPer1kHolds === null ? "unknown (a shard restarted)" : c.poolCallsPer1kHolds.toFixed(2)} ` +
      `per 1k holds (target <= ${SHARD_TARGETS.pool_calls_per_1k_holds}), audit ${c.auditOk ? "ok" : `FAILED: ${c.auditProblems.join("; ")}`}`,
    `stampede on ${s.shards} shards, ${s.concurrency} in flight, ${s.rounds.length} round(s), sold-out bound ${s.boundMs} ms: ` +
      `oversell ${s.oversell}, stranded units ${s.stranded}, false sold-out ${s.falseSoldOut}, audit ${s.auditOk ? "ok" : "FAILED"}, ` +
      `accounting ${s.accountingOk ? "balanced" : "NOT BALANCED"}`,
  );
  for (const r of s.rounds) {
    lines.push(
      `  ${r.sku}: ${r.granted}/${r.stock} granted in ${r.attempts} attempts; refusals ${fmtCounts(r.codes)} (${r.soldOutFromEdge} sold-out from the edge); ` +
        `last unit reserved at ${ms(r.lastReservedMs)} ms, its 201 at ${ms(r.lastGrantMs)} ms, first sold_out at ${ms(r.firstSoldOutMs)} ms; ` +
        `sold_out more than the bound before the last reservation ${r.falseSoldOut} (${r.falseSoldOutFromEdge} of them from the edge, ` +
        `${r.falseSoldOutCertain} before the last 201 was even sent; ${r.soldOutBeforeLastArrival} before its arrival, ${r.soldOutBeforeLastGrant} unbounded); ` +
        `available after ${r.availableAfter}; pool calls ${r.poolCalls}; p50 ${ms(r.p50Ms)} p99 ${ms(r.p99Ms)} ms` +
        (r.auditOk ? "" : `; audit problems: ${r.auditProblems.join("; ")}`),
    );
  }
  return lines.join("\n");
}

/** One sweep as a table: per K, the median seed's run by holds/s; false sold-outs and stranded units as the worst seed's; reached as seeds that did. */
function simTable(sw: SimSweep): string[] {
  const header = [
    "K",
    "holds/s",
    "grants/s",
    "p50 ms",
    "p99 ms",
    "held p99",
    "granted",
    "sold_out",
    "503 overl",
    "503 unav",
    "99% sold ms",
    "last 201 ms",
    "false s/o",
    "s/o avail",
    "stranded",
    "pool/1k",
    "pool busy",
    "shard busy",
    "reached",
  ];
  const rows = sw.byK.map(({ median: r, runs, reached }) => [
    String(r.shards),
    r.holdsPerS.toFixed(0),
    r.grantsPerS.toFixed(0),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    r.heldP99Ms.toFixed(1),
    String(r.outcomes.held),
    String(r.outcomes.sold_out),
    String(r.outcomes.overloaded),
    String(r.outcomes.unavailable),
    ms(r.grantedMs.p99),
    ms(r.lastGrantMs),
    String(Math.max(...runs.map((x) => x.falseSoldOut))),
    String(Math.max(...runs.map((x) => x.soldOutWhileAvailable))),
    String(Math.max(...runs.map((x) => x.stranded))),
    r.poolCallsPer1kHolds.toFixed(1),
    pct(r.poolUtilization),
    r.shards > 1 ? pct(r.maxShardUtilization) : "-",
    `${reached}/${runs.length}${runs.some((x) => x.truncated) ? " (truncated)" : ""}`,
  ]);
  return tabulate([header, ...rows]);
}

export function renderSim(m: SimMeasurement, sw: SimSweep, upper: SimSweep, hops: readonly SimSweep[]): string {
  const st = sw.settings;
  const measured = tabulate([
    ROW_HEADER,
    row(`reserve RPC on a shard (${m.shards} shards)`, m.kinds.shard_hold),
    row("reserve RPC, unsharded SKU", m.kinds.single_hold),
    row("refill + give-back (6 escrow steps)", m.kinds.transfer),
    row("noop DO call (subtracted)", m.kinds.noop),
  ]);
  const s = m.service;
  const u = m.serviceUpper;
  return [
    ...measured,
    "",
    `simulation: ${st.ratePerS} hold requests/s for ${st.arrivalSeconds} s on one SKU with ${st.units} units, seeds ${sw.seeds.join(",")} ` +
      `(per K: the median seed's run by holds/s; false s/o and stranded: the worst seed's; reached: seeds that did); ` +
      `per object: FIFO, calls refused (503 overloaded) beyond ${st.queueBound} waiting, at most ${st.objectRps} calls/s; hop ${st.hopMs} ms`,
    `  objects' service times (${m.source === "runtime_cpu" ? "runtime CPU" : "1 / rps"} per request less the no-op's): shard hold ${s.shardHoldMs.toFixed(3)} ms, ` +
      `unsharded hold ${s.singleHoldMs.toFixed(3)} ms, transfer step ${s.transferStepMs.toFixed(3)} ms; ` +
      `policy: sold-out bound ${m.policy.soldOutBoundMs} ms, batch <= ${m.policy.grantUnitsMax}, ${m.policy.reserveRoundsMax} refill rounds, pace over ${m.policy.paceWindowMs} ms, "later" waits ${m.policy.laterMs} ms, reports every ${m.policy.reportIntervalMs} ms`,
    ...simTable(sw),
    `  -> ${reachedLine(sw)} takes ${st.ratePerS} holds/s with every seed (>= 95% answered for real, no 503, no oversell, no stranded unit, no false sold-out)`,
    `  upper bound (the no-op's share not subtracted: hold ${u.shardHoldMs.toFixed(3)} ms, unsharded ${u.singleHoldMs.toFixed(3)} ms, ` +
      `step ${u.transferStepMs.toFixed(3)} ms): holds/s ${upper.byK.map((k) => `K=${k.shards} ${k.median.holdsPerS.toFixed(0)}`).join(", ")}; ` +
      `p99 ms ${upper.byK.map((k) => k.median.p99Ms.toFixed(0)).join("/")}; ` +
      `false sold-out ${upper.byK.map((k) => Math.max(...k.runs.map((x) => x.falseSoldOut))).join("/")} -> ${reachedLine(upper)}`,
    ...hops.flatMap((h) => [
      `  again with a hop of ${h.settings.hopMs} ms per object call and at most ${h.settings.objectRps} calls/s per object:`,
      ...simTable(h),
      `  -> ${reachedLine(h)} takes ${h.settings.ratePerS} holds/s with every seed`,
    ]),
    `  simulated in ${[sw, upper, ...hops].reduce((t, x) => t + x.seconds, 0).toFixed(1)} s`,
  ].join("\n");
}

export function shardSummary(c: ShardCompareResult, s: StampedeResult): Record<string, unknown> {
  const ratio = c.kinds.sharded.summary.rps / c.kinds.single.summary.rps;
  return {
    shard_reserve_vs_single: round(ratio, 3),
    pool_calls_per_1k_holds: c.poolCallsPer1kHolds === null ? null : round(c.poolCallsPer1kHolds, 2),
    // `oversell` is phase 3's (one object); this is the sharded stampede's.
    shard_oversell: s.oversell,
    stranded_units_at_sold_out: s.stranded,
    false_sold_out: s.falseSoldOut,
    audit_ok: s.auditOk && c.auditOk,
    shards: {
      shards: c.shards,
      sharded_rps: round(c.kinds.sharded.summary.rps, 1),
      single_rps: round(c.kinds.single.summary.rps, 1),
      sharded_p99_ms: round(c.kinds.sharded.summary.p99Ms),
      single_p99_ms: round(c.kinds.single.summary.p99Ms),
      ratio_rounds: c.roundRatios.map((r) => round(r, 3)),
      ratio_by_cpu: cpuRatio(c.kinds.single, c.kinds.sharded),
      pool_calls: c.poolCalls,
      holds: c.shardedHolds,
      non_2xx: { sharded: otherThan201(c.kinds.sharded), single: otherThan201(c.kinds.single) },
      compare_audit_problems: c.auditProblems,
      stampede_bound_ms: s.boundMs,
      stampede_accounting_ok: s.accountingOk,
      stampede: s.rounds.map((r) => ({
        sku: r.sku,
        stock: r.stock,
        attempts: r.attempts,
        granted: r.granted,
        statuses: r.statuses,
        codes: r.codes,
        sold_out_from_edge: r.soldOutFromEdge,
        oversell: r.oversell,
        available_after: r.availableAfter,
        stranded: r.stranded,
        false_sold_out: r.falseSoldOut,
        false_sold_out_from_edge: r.falseSoldOutFromEdge,
        false_sold_out_certain: r.falseSoldOutCertain,
        sold_out_before_last_grant: r.soldOutBeforeLastGrant,
        sold_out_beyond_bound_before_last_arrival: r.soldOutBeforeLastArrival,
        sold_out_lead_ms: round(r.soldOutLeadMs, 0),
        last_grant_ms: r.lastGrantMs === null ? null : round(r.lastGrantMs, 0),
        last_reserved_ms: r.lastReservedMs === null ? null : round(r.lastReservedMs, 0),
        first_sold_out_ms: r.firstSoldOutMs === null ? null : round(r.firstSoldOutMs, 0),
        p50_ms: round(r.p50Ms),
        p99_ms: round(r.p99Ms),
        grants_by_shard: r.grantsByShard,
        levels: r.levels,
        in_flight: r.inFlight,
        settle_ms: round(r.settleMs, 0),
        pool_calls: r.poolCalls,
        audit_ok: r.auditOk,
        audit_problems: r.auditProblems,
        accounting_ok: r.accountingOk,
      })),
      seconds: round(c.seconds + s.seconds, 1),
    },
  };
}

export function shardTargetsMet(c: ShardCompareResult, s: StampedeResult): Record<string, boolean> {
  return {
    shard_reserve_vs_single: c.kinds.sharded.summary.rps / c.kinds.single.summary.rps >= SHARD_TARGETS.shard_reserve_vs_single,
    pool_calls_per_1k_holds: c.poolCallsPer1kHolds !== null && c.poolCallsPer1kHolds <= SHARD_TARGETS.pool_calls_per_1k_holds,
    shard_oversell: s.oversell === 0,
    stranded_units_at_sold_out: s.stranded === 0,
    false_sold_out: s.falseSoldOut === 0,
    audit_ok: s.auditOk && c.auditOk,
  };
}

export function simSummary(m: SimMeasurement, sw: SimSweep, upper: SimSweep, hops: readonly SimSweep[]): Record<string, unknown> {
  const byK = (from: SimSweep, f: (r: SimResult) => number) => Object.fromEntries(from.byK.map((k) => [String(k.shards), f(k.median)]));
  const st = sw.settings;
  return {
    sim_holds_per_s_by_k: byK(sw, (r) => round(r.holdsPerS, 0)),
    // Answers per second count sold_out refusals; grants per second count only the units that went to shoppers.
    sim_grants_per_s_by_k: byK(sw, (r) => round(r.grantsPerS, 0)),
    sim_p99_ms_by_k: byK(sw, (r) => round(r.p99Ms, 1)),
    sim_k_for_target: sw.reachedAtK,
    // The K for the target with no hop (as measured), then with each hop at HOP_VARIANTS.objectRps calls/s per object.
    sim_k_for_target_by_hop_ms: Object.fromEntries([
      [String(st.hopMs), sw.reachedAtK],
      ...hops.map((h) => [String(h.settings.hopMs), h.reachedAtK]),
    ]),
    sim_hops_object_rps: hops[0]?.settings.objectRps ?? null,
    sim_upper_holds_per_s_by_k: byK(upper, (r) => round(r.holdsPerS, 0)),
    sim_upper_p99_ms_by_k: byK(upper, (r) => round(r.p99Ms, 1)),
    sim_upper_k_for_target: upper.reachedAtK,
    sim: {
      rate_per_s: st.ratePerS,
      arrival_s: st.arrivalSeconds,
      units: st.units,
      object_rps: st.objectRps,
      queue_bound: st.queueBound,
      hop_ms: st.hopMs,
      seeds: sw.seeds,
      service_ms: {
        shard_hold: round(m.service.shardHoldMs, 4),
        single_hold: round(m.service.singleHoldMs, 4),
        transfer_step: round(m.service.transferStepMs, 4),
      },
      service_upper_ms: {
        shard_hold: round(m.serviceUpper.shardHoldMs, 4),
        single_hold: round(m.serviceUpper.singleHoldMs, 4),
        transfer_step: round(m.serviceUpper.transferStepMs, 4),
      },
      service_source: m.source,
      policy: m.policy,
      measured: {
        shard_hold_rps: round(m.kinds.shard_hold.summary.rps, 1),
        single_hold_rps: round(m.kinds.single_hold.summary.rps, 1),
        transfer_rps: round(m.kinds.transfer.summary.rps, 1),
        noop_rps: round(m.kinds.noop.summary.rps, 1),
        runtime_cpu_us: Object.fromEntries(
          (["shard_hold", "single_hold", "transfer", "noop"] as const).map((k) => [k, nullableRound(m.kinds[k].cost.runtimeCpuUs)]),
        ),
        shard_hold_vs_single_by_cpu: cpuRatio(m.kinds.single_hold, m.kinds.shard_hold),
        non_2xx: {
          shard_hold: otherThan201(m.kinds.shard_hold),
          single_hold: otherThan201(m.kinds.single_hold),
          transfer: otherThan201(m.kinds.transfer),
          noop: otherThan201(m.kinds.noop),
        },
      },
      // Per K, the median seed's run by holds/s, with every seed's headline figures.
      by_k: sw.byK.map(({ median: r, runs, reached }) => ({
        k: r.shards,
        median_seed: sw.seeds[runs.indexOf(r)],
        requests: r.requests,
        holds_per_s: round(r.holdsPerS, 0),
        grants_per_s: round(r.grantsPerS, 0),
        p50_ms: round(r.p50Ms, 1),
        p99_ms: round(r.p99Ms, 1),
        held_p99_ms: round(r.heldP99Ms, 1),
        outcomes: r.outcomes,
        granted_ms: { p50: nullableRound(r.grantedMs.p50), p90: nullableRound(r.grantedMs.p90), p99: nullableRound(r.grantedMs.p99) },
        last_grant_ms: nullableRound(r.lastGrantMs),
        oversell: r.oversell,
        false_sold_out: r.falseSoldOut,
        sold_out_while_available: r.soldOutWhileAvailable,
        unavailable_before_last_grant: r.unavailableBeforeLastGrant,
        stranded: r.stranded,
        units_left: r.unitsLeft,
        pool_calls_per_1k_holds: round(r.poolCallsPer1kHolds, 1),
        pool_utilization: round(r.poolUtilization, 3),
        max_shard_utilization: round(r.maxShardUtilization, 3),
        in_flight_at_end: r.inFlightAtEnd,
        conserved: r.conserved,
        events: r.events,
        truncated: r.truncated,
        reached_seeds: reached,
        by_seed: runs.map((x) => ({
          holds_per_s: round(x.holdsPerS, 0),
          p99_ms: round(x.p99Ms, 1),
          outcomes: x.outcomes,
          false_sold_out: x.falseSoldOut,
          stranded: x.stranded,
          oversell: x.oversell,
          conserved: x.conserved,
          reached: reachedRate(x, st.ratePerS),
        })),
      })),
      upper_by_k: upper.byK.map(({ median: r, runs, reached }) => ({
        k: r.shards,
        holds_per_s: round(r.holdsPerS, 0),
        p99_ms: round(r.p99Ms, 1),
        outcomes: r.outcomes,
        false_sold_out_max: Math.max(...runs.map((x) => x.falseSoldOut)),
        stranded_max: Math.max(...runs.map((x) => x.stranded)),
        reached_seeds: reached,
      })),
      seconds: round(sw.seconds + upper.seconds, 2),
      measure_seconds: round(m.seconds, 1),
    },
  };
}

/** Measured requests of the shard phases that did not return 201. */
export function shardNonSuccess(c: ShardCompareResult | null, m: SimMeasurement | null): number {
  const kinds: KindResult[] = [
    ...(c ? [c.kinds.sharded, c.kinds.single] : []),
    ...(m ? [m.kinds.shard_hold, m.kinds.single_hold, m.kinds.transfer, m.kinds.noop] : []),
  ];
  return kinds.reduce((n, k) => n + otherThan201(k), 0);
}

export function otherThan201(k: KindResult): number {
  return unexpected(k, 201);
}

function reachedLine(sw: SimSweep): string {
  return sw.reachedAtK === null ? `no K up to ${Math.max(...sw.byK.map((k) => k.shards))}` : `K = ${sw.reachedAtK}`;
}

function nullableRound(v: number | null): number | null {
  return v === null ? null : round(v, 0);
}

function ms(v: number | null): string {
  return v === null || !Number.isFinite(v) ? "-" : v.toFixed(0);
}

function pct(ratio: number): string {
  return `${(100 * ratio).toFixed(0)}%`;
}

function fmtCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(", ") : "none";
}
