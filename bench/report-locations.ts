import type { LocationsCompareResult } from "./locations.ts";
import { cpuRatio, row, ROW_HEADER, tabulate } from "./report-kinds.ts";
import { otherThan201 } from "./report-shards.ts";
import { round } from "./stats.ts";

/** The locations' part of the table and of the JSON line (spec §11; bench/README.md). */

export const LOCATION_TARGETS = {
  /** A hold routed among five locations against one on a SKU stocked at one. */
  locations_reserve_vs_single: 0.9,
  /** Holds that went elsewhere than the policy's pick while stock lasts. */
  misrouted_holds_ratio: 0.05,
} as const;

function ratios(c: LocationsCompareResult) {
  return {
    vsSingle: c.kinds.five.summary.rps / c.kinds.one.summary.rps,
    vsUnlocated: c.kinds.five.summary.rps / c.kinds.unlocated.summary.rps,
    /** issue 19 item 8: on the 8-shard, 5-location SKU. */
    misrouted: c.sharded.routedHolds === 0 ? null : c.sharded.misrouted / c.sharded.routedHolds,
    /** The same five sites on one object: nearest routing has no allotment to miss. */
    misroutedUnsharded: c.routedHolds === 0 ? null : c.misrouted / c.routedHolds,
  };
}

export function renderLocations(c: LocationsCompareResult): string {
  const r = ratios(c);
  const cpu = (k: keyof LocationsCompareResult["kinds"]) => c.kinds[k].cost.runtimeCpuUs;
  const five = cpu("five");
  const one = cpu("one");
  const lines = tabulate([
    ROW_HEADER,
    row("hold, SKU at 5 locations, nearest (HTTP)", c.kinds.five),
    row("hold, SKU at 1 location (HTTP)", c.kinds.one),
    row("hold, unlocated SKU (HTTP)", c.kinds.unlocated),
  ]);
  lines.push(
    "",
    `locations: five/one ${r.vsSingle.toFixed(2)} (rounds ${c.roundRatios.map((x) => x.toFixed(2)).join("/")}; target >= ${LOCATION_TARGETS.locations_reserve_vs_single}), ` +
      `five/unlocated ${r.vsUnlocated.toFixed(2)}; routing among five costs ${five === null || one === null ? "-" : (five - one).toFixed(0)} us of runtime CPU per hold; ` +
      `misrouted on ${c.sharded.shards} shards ${c.sharded.misrouted} of ${c.sharded.routedHolds} holds (${r.misrouted === null ? "-" : r.misrouted.toFixed(3)}; target <= ${LOCATION_TARGETS.misrouted_holds_ratio}; ` +
      `audit ${c.sharded.auditOk ? "ok" : c.sharded.auditProblems.join("; ")}), unsharded ${c.misrouted} of ${c.routedHolds} (${r.misroutedUnsharded === null ? "-" : r.misroutedUnsharded.toFixed(3)}); ` +
      `reserved by location at the end: ${Object.entries(c.spread)
        .map(([l, n]) => `${l} ${n}`)
        .join(", ")}`,
  );
  return lines.join("\n");
}

export function locationsSummary(c: LocationsCompareResult): Record<string, unknown> {
  const r = ratios(c);
  const five = c.kinds.five.cost.runtimeCpuUs;
  const one = c.kinds.one.cost.runtimeCpuUs;
  return {
    locations_reserve_vs_single: round(r.vsSingle, 3),
    misrouted_holds_ratio: r.misrouted === null ? null : round(r.misrouted, 4),
    locations: {
      five_rps: round(c.kinds.five.summary.rps, 1),
      one_rps: round(c.kinds.one.summary.rps, 1),
      unlocated_rps: round(c.kinds.unlocated.summary.rps, 1),
      five_vs_unlocated: round(r.vsUnlocated, 3),
      ratio_rounds: c.roundRatios.map((x) => round(x, 3)),
      ratio_by_cpu: cpuRatio(c.kinds.one, c.kinds.five),
      routing_cpu_us_per_hold: five === null || one === null ? null : round(five - one),
      routed_holds: c.routedHolds,
      misrouted: c.misrouted,
      misrouted_unsharded_ratio: r.misroutedUnsharded === null ? null : round(r.misroutedUnsharded, 4),
      sharded: {
        shards: c.sharded.shards,
        routed_holds: c.sharded.routedHolds,
        misrouted: c.sharded.misrouted,
        rps: round(c.sharded.rps, 1),
        audit_ok: c.sharded.auditOk,
      },
      spread: c.spread,
      non_2xx: { five: otherThan201(c.kinds.five), one: otherThan201(c.kinds.one), unlocated: otherThan201(c.kinds.unlocated) },
    },
  };
}

export function locationTargetsMet(c: LocationsCompareResult): Record<string, boolean> {
  const r = ratios(c);
  return {
    locations_reserve_vs_single: r.vsSingle >= LOCATION_TARGETS.locations_reserve_vs_single,
    misrouted_holds_ratio: r.misrouted !== null && r.misrouted <= LOCATION_TARGETS.misrouted_holds_ratio && c.sharded.auditOk,
  };
}
