import type { CheckoutResult } from "./checkout.ts";
import type { CompareResult, KindResult } from "./compare.ts";
import type { EdgeResult } from "./edge.ts";
import { edgeLines, edgeRows, edgeSummary } from "./report-edge.ts";
import { costOf, cpuRatio, otherThan, ROW_HEADER, row, tabulate, unexpected } from "./report-kinds.ts";
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
  edge: number;
  checkout: number;
  /** Stock shards: the sharded-vs-single compare and the stampedes. */
  shards: number;
  /** The simulation's measurements and the simulation itself. */
  simulate: number;
  /** Live push: connecting the sockets, the fan-out changes and the watched-vs-quiet slices. */
  live: number;
  queue: number;
  cost: number;
  locations: number;
  /** `--instruments`: the hold path with the object's meter and trace on and off. */
  instruments: number;
  total: number;
}

/** What the runtime was configured with and what the Worker logged, for the report. */
export interface RuntimeFacts {
  paymentsConsumer: { maxBatchSize?: number; maxBatchTimeout?: number; maxRetries?: number };
  logEvents: Record<string, number>;
}

export const TARGETS = {
  reserve_vs_noop: 0.8,
  /** reserve p99 at most this multiple of the no-op p99. */
  p99_multiple: 2,
  rps_50k_vs_1k: 0.9,
  /** The design target on the platform, from sending the checkout to the order reading `paid`. */
  checkout_p95_ms: 450,
} as const;

export function renderTable(
  c: CompareResult,
  s: ScaleResult,
  o: OversellResult,
  holds: { small: number; big: number },
  e: EdgeResult,
  k: CheckoutResult,
  facts: RuntimeFacts,
): string {
  const rows = [
    ROW_HEADER,
    row("noop DO call (ceiling)", c.kinds.noop),
    row("reserve, hot SKU (HTTP)", c.kinds.reserve),
    row("change a hold's quantity (HTTP)", c.kinds.change),
    row("one-row write DO call", c.kinds.write),
    row("reserve RPC, no HTTP layer", c.kinds.direct),
    row(`reserve, ${holds.small} live holds`, s.small),
    row(`reserve, ${holds.big} live holds`, s.big),
    ...edgeRows(e),
  ];
  const lines = tabulate(rows);
  lines.push(
    "",
    `oversell: ${o.successes} holds granted for ${o.stock} units in ${o.attempts} attempts -> oversell ${o.oversell}; ` +
      `levels onHand ${o.levels.onHand} reserved ${o.levels.reserved} sold ${o.levels.sold} received ${o.levels.received} ` +
      `(${o.accountingOk ? "balanced" : "NOT BALANCED"})`,
    ...edgeLines(e),
    `checkout: ${k.orders} orders from ${k.concurrency} shoppers in ${k.seconds.toFixed(1)} s -> ${k.paid} paid ` +
      `(${k.ordersPerS.toFixed(1)}/s), ${k.failed} failed, ${k.lost} lost`,
    `  checkout -> paid p50 ${ms(k.paidMs.p50)} p95 ${ms(k.paidMs.p95)} p99 ${ms(k.paidMs.p99)} max ${ms(k.paidMs.max)} ms ` +
      `(design target on the platform: p95 <= ${TARGETS.checkout_p95_ms} ms)`,
    `  split: the 202 p50 ${ms(k.replyMs.p50)} p95 ${ms(k.replyMs.p95)} ms; order created -> paid p50 ${ms(k.serverMs.p50)} ` +
      `p95 ${ms(k.serverMs.p95)} ms; paid -> seen by a poll p50 ${ms(k.observeMs.p50)} p95 ${ms(k.observeMs.p95)} ms`,
    `  polls every ${k.pollMs} ms: ${k.polls} (${(k.polls / Math.max(1, k.orders)).toFixed(1)} per order), each p50 ` +
      `${ms(k.pollLatencyMs.p50)} p95 ${ms(k.pollLatencyMs.p95)} ms; payments queue: batches of ` +
      `${facts.paymentsConsumer.maxBatchSize ?? "?"} or after ${facts.paymentsConsumer.maxBatchTimeout ?? "?"} s`,
    `  accounting: ${k.perSku.map((x) => `${x.sku} sold ${x.sold}/paid units ${x.paidUnits}/committed ${x.committed}`).join(", ")} ` +
      `-> double commit ${k.doubleCommit} (${k.accountingOk ? "balanced" : "NOT BALANCED"})`,
  );
  return lines.join("\n");
}

export function buildSummary(
  c: CompareResult,
  s: ScaleResult,
  o: OversellResult,
  e: EdgeResult,
  k: CheckoutResult,
  facts: RuntimeFacts,
  durations: Durations,
  config: object,
): Record<string, unknown> {
  const { reserve, noop, write, direct } = c.kinds;
  const reserveVsNoop = reserve.summary.rps / noop.summary.rps;
  const rps50kVs1k = s.big.summary.rps / s.small.summary.rps;
  const sortedRatios = [...c.roundRatios].sort((a, b) => a - b);
  const edge = edgeSummary(e);
  const cost = costOf;
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
    orders_per_s: round(k.ordersPerS, 1),
    checkout_p50_ms: round(k.paidMs.p50, 0),
    checkout_p95_ms: round(k.paidMs.p95, 0),
    checkout_p99_ms: round(k.paidMs.p99, 0),
    lost: k.lost,
    double_commit: k.doubleCommit,
    ...edge.fields,
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
    direct_vs_write: round(direct.summary.rps / write.summary.rps, 3),
    direct_vs_write_by_cpu: cpuRatio(write, direct),
    p99_1k_ms: round(s.small.summary.p99Ms),
    p99_50k_ms: round(s.big.summary.p99Ms),
    live_holds_small: s.small.liveHolds,
    live_holds_big: s.big.liveHolds,
    // Runtime CPU is what bounds a single hot object; its ratio is steadier than wall-clock rates.
    reserve_vs_noop_by_cpu: cpuRatio(noop, reserve),
    write_vs_noop_by_cpu: cpuRatio(noop, write),
    rps_50k_vs_1k_by_cpu: cpuRatio(s.small, s.big),
    checkout: {
      concurrency: k.concurrency,
      skus: k.skus.length,
      orders: k.orders,
      paid: k.paid,
      failed: k.failed,
      lost: k.lost,
      final_statuses: k.finalStatuses,
      hold_statuses: k.holdStatuses,
      checkout_statuses: k.checkoutStatuses,
      poll_statuses: k.pollStatuses,
      poll_ms: k.pollMs,
      polls: k.polls,
      polls_per_order: round(k.polls / Math.max(1, k.orders), 1),
      requests_per_s: round(k.requestsPerS, 1),
      paid_p90_ms: round(k.paidMs.p90, 0),
      paid_max_ms: round(k.paidMs.max, 0),
      reply_p50_ms: round(k.replyMs.p50, 0),
      reply_p95_ms: round(k.replyMs.p95, 0),
      reply_p99_ms: round(k.replyMs.p99, 0),
      // From the orders' own timestamps: route start to paid, and paid to the poll that saw it.
      created_to_paid_p50_ms: round(k.serverMs.p50, 0),
      created_to_paid_p95_ms: round(k.serverMs.p95, 0),
      paid_to_observed_p50_ms: round(k.observeMs.p50, 0),
      paid_to_observed_p95_ms: round(k.observeMs.p95, 0),
      poll_latency_p50_ms: round(k.pollLatencyMs.p50, 0),
      poll_latency_p95_ms: round(k.pollLatencyMs.p95, 0),
      seconds: round(k.seconds, 1),
      timeout_s: k.timeoutSeconds,
      cost_per_paid_order: {
        runtime_cpu_us: k.costPerOrder.runtimeCpuUs === null ? null : round(k.costPerOrder.runtimeCpuUs, 0),
        client_cpu_us: round(k.costPerOrder.clientCpuUs, 0),
        write_bytes: k.costPerOrder.writeBytes === null ? null : round(k.costPerOrder.writeBytes, 0),
      },
      payments_queue: {
        max_batch_size: facts.paymentsConsumer.maxBatchSize ?? null,
        max_batch_timeout_s: facts.paymentsConsumer.maxBatchTimeout ?? null,
        max_retries: facts.paymentsConsumer.maxRetries ?? null,
      },
      per_sku: k.perSku.map((x) => ({
        sku: x.sku,
        paid_seen: x.paidSeen,
        paid_listed: x.paidListed,
        paid_units: x.paidUnits,
        committed: x.committed,
        sold: x.sold,
        on_hand: x.onHand,
        reserved: x.reserved,
        expected_reserved: x.expectedReserved,
        received: x.received,
        ok: x.ok,
      })),
    },
    checkout_accounting_ok: k.accountingOk,
    // Lines the Worker logged over the whole run, by event (notification deliveries by type).
    worker_log_events: facts.logEvents,
    cost_per_request: {
      noop: cost(noop),
      write: cost(write),
      direct: cost(direct),
      reserve: cost(reserve),
      change: cost(c.kinds.change),
      reserve_1k: cost(s.small),
      reserve_50k: cost(s.big),
      ...edge.cost,
    },
    non_2xx: {
      reserve: nonSuccess(reserve),
      noop: nonSuccess(noop),
      write: nonSuccess(write),
      direct: nonSuccess(direct),
      change: changeNonSuccess(c.kinds.change),
      reserve_1k: nonSuccess(s.small),
      reserve_50k: nonSuccess(s.big),
      ...edge.non2xx,
      checkout: otherThan(k.holdStatuses, 201) + otherThan(k.checkoutStatuses, 202) + otherThan(k.pollStatuses, 200),
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
      ...edge.targets,
      checkout_p95: k.paid > 0 && k.paidMs.p95 <= TARGETS.checkout_p95_ms,
      lost: k.lost === 0,
      double_commit: k.doubleCommit === 0,
    },
    durations_s: Object.fromEntries(Object.entries(durations).map(([k, v]) => [k, round(v, 1)])),
    config,
  };
}

/** Each kind of phase 1 (`--compare`): its rate, p99 and cost per request, and a change against a new hold. */
export function holdKindsSummary(c: CompareResult) {
  const of = (k: KindResult) => ({ rps: round(k.summary.rps, 1), p99_ms: round(k.summary.p99Ms), ...costOf(k) });
  return {
    kinds: Object.fromEntries(Object.entries(c.kinds).map(([name, k]) => [name, of(k)])),
    change_vs_reserve_rps: round(c.kinds.change.summary.rps / c.kinds.reserve.summary.rps, 3),
    non_2xx: { reserve: nonSuccess(c.kinds.reserve), change: changeNonSuccess(c.kinds.change) },
  };
}

/** Phase 1 alone (`--compare`): the four kinds and the ratios the issue targets. */
export function compareSummary(c: CompareResult): Record<string, number | null> {
  const { reserve, noop, write, direct } = c.kinds;
  const out: Record<string, number | null> = {};
  for (const [name, k] of Object.entries(c.kinds)) {
    out[`${name}_rps`] = round(k.summary.rps, 1);
    out[`${name}_runtime_cpu_us`] = k.cost.runtimeCpuUs === null ? null : round(k.cost.runtimeCpuUs, 0);
  }
  out.reserve_vs_noop = round(reserve.summary.rps / noop.summary.rps, 3);
  out.direct_vs_write = round(direct.summary.rps / write.summary.rps, 3);
  out.direct_vs_write_by_cpu = cpuRatio(write, direct);
  return out;
}

function nonSuccess(k: KindResult): number {
  return unexpected(k, 201);
}

/** A change is 200; a shopper's first call takes its hold (201). */
export function changeNonSuccess(k: KindResult): number {
  return otherThan(k.summary.statuses, 200) - (k.summary.statuses[201] ?? 0);
}

/** Phase 1 alone (`--compare`): a new hold and a change of one, beside the ceiling and the probes. */
export function renderHoldKinds(c: CompareResult): string {
  return tabulate([
    ROW_HEADER,
    row("noop DO call (ceiling)", c.kinds.noop),
    row("reserve, hot SKU (HTTP)", c.kinds.reserve),
    row("change a hold's quantity (HTTP)", c.kinds.change),
    row("one-row write DO call", c.kinds.write),
    row("reserve RPC, no HTTP layer", c.kinds.direct),
  ]).join("\n");
}

function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : "-";
}
