/**
 * npm run bench: reserve throughput and latency against a no-op Durable Object
 * call, reserve with many vs few live holds, an oversell race, edge reads and
 * sold-out refusals against an echo route, hold -> checkout -> paid through
 * the payments queue, holds on stock shards against an unsharded SKU and a
 * stampede on a sharded SKU, and a simulation of a stampede on K shards from
 * service times measured in the run, all on one workerd started through
 * Miniflare's API. See bench/README.md.
 *
 * `npm run bench -- --simulate` runs only the simulation's measurements and
 * the simulation; `npm run bench -- --shards` only the stock-shard phase;
 * `npm run bench -- --live` only the live push phase (1,000 WebSockets on one SKU).
 * `npm run bench -- --queue` only the waiting-room stampede.
 * `npm run bench -- --locations` only holds routed among five locations vs one vs none (spec §11).
 *
 * Exit status: 0 when the run completed (targets missed or not), 1 when an
 * integrity check failed (oversell, accounting, a lost order, a double
 * commit), 2 when something broke (an error, unexpected replies), 130 on
 * Ctrl-C (Miniflare's own signal hook stops workerd and re-raises it).
 */
import { bundleBenchWorker } from "./build.ts";
import { runCheckouts } from "./checkout.ts";
import { MerchantApi } from "./client.ts";
import { compareWithCeiling, type CompareResult } from "./compare.ts";
import { BENCH_VARS, RATE_LIMITER_MODE, readConfig, readDevSecrets } from "./config.ts";
import type { BenchContext } from "./context.ts";
import { compareEdge } from "./edge.ts";
import { checkOversell } from "./oversell.ts";
import { buildSummary, compareSummary, holdKindsSummary, renderHoldKinds, renderTable, type Durations } from "./report.ts";
import { ROW_HEADER, tabulate } from "./report-kinds.ts";
import { edgeAlone, edgeLines, edgeRows, edgeSummary } from "./report-edge.ts";
import { findRuntimePids } from "./resources.ts";
import { startRuntime, type Runtime } from "./runtime.ts";
import { compareHoldCounts } from "./scaling.ts";
import { renderShards, renderSim, shardNonSuccess, shardSummary, shardTargetsMet, simSummary } from "./report-shards.ts";
import { compareShards, type ShardCompareResult } from "./shards.ts";
import { hopSweeps, sweep, type SimSweep } from "./sim.ts";
import { measureServiceTimes, type SimMeasurement } from "./sim-measure.ts";
import { runStampedes, type StampedeResult } from "./stampede.ts";
import { makeShoppers } from "./tokens.ts";
import { runLive, type LiveResult } from "./live.ts";
import { liveNonSuccess, liveSummary, liveTargetsMet, renderLive } from "./report-live.ts";
import { costSummary, measureCosts, renderCosts, type CostResult } from "./costs.ts";
import { queueSummary, queueTargetsMet, renderQueue, runQueueStampede, type QueueBenchResult } from "./queue.ts";
import { compareLocations, type LocationsCompareResult } from "./locations.ts";
import { compareInstruments, instrumentsSummary, renderInstruments } from "./instruments.ts";
import { locationsSummary, locationTargetsMet, renderLocations } from "./report-locations.ts";

const SKUS = {
  hot: "bench-hot",
  small: "bench-few-holds",
  oversell: "bench-oversell",
  edgeLive: "bench-edge-live",
  edgeSoldOut: "bench-edge-sold-out",
  /** Checkout SKUs are this plus -0, -1, ... */
  checkout: "bench-checkout",
  sharded: "bench-sharded",
  unsharded: "bench-unsharded",
  /** Stampede SKUs are this plus -0, -1, ... */
  stampede: "bench-stampede",
  liveWatched: "bench-live-watched",
  liveQuiet: "bench-live-quiet",
  queued: "bench-queued",
  cost: "bench-cost",
  costExpiry: "bench-cost-expiry",
  costSale: "bench-cost-sale",
  /** Locations (spec §11): the same SKU at five locations, at one, and unlocated. */
  locations: { five: "bench-loc-five", one: "bench-loc-one", unlocated: "bench-loc-none" },
} as const;
const QUEUED_SALE = "bench-queued-sale";

/** full: every phase; simulate: the simulation and its measurements; shards: the stock-shard phase; live: live push; queue: the waiting room; cost: rows and prices per operation; compare: phase 1 alone; instruments: the object's meter and trace on and off. */
type Mode = "full" | "simulate" | "shards" | "live" | "queue" | "cost" | "compare" | "edge" | "locations" | "instruments";

function readMode(args: readonly string[]): Mode {
  const known: Record<string, Mode> = {
    "--simulate": "simulate",
    "--shards": "shards",
    "--live": "live",
    "--queue": "queue",
    "--cost": "cost",
    "--compare": "compare",
    "--edge": "edge",
    "--locations": "locations",
    "--instruments": "instruments",
  };
  const modes = args.map((a) => {
    const mode = known[a];
    if (!mode)
      throw new Error(
        `unknown argument ${a}; use --simulate, --shards, --live, --queue, --cost, --compare, --edge, --locations or --instruments (or none for every phase)`,
      );
    return mode;
  });
  if (new Set(modes).size > 1)
    throw new Error(
      "--simulate, --shards, --live, --queue, --cost, --compare, --edge, --locations and --instruments are separate runs; pass one",
    );
  return modes[0] ?? "full";
}

/** Stock for the hot SKU: more than any run can reserve, so it never sells out mid-phase. */
const HOT_STOCK = 5_000_000;

const t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 1000;

/** Progress goes to stderr so stdout holds only the table and the JSON line. */
function progress(message: string): void {
  process.stderr.write(`[bench ${elapsed().toFixed(1).padStart(5)}s] ${message}\n`);
}

async function main(): Promise<number> {
  const mode = readMode(process.argv.slice(2));
  const cfg = readConfig();
  const secrets = readDevSecrets();
  const abort = new AbortController();
  process.once("SIGINT", () => {
    progress("interrupted; stopping load and the runtime");
    abort.abort();
  });
  const checkAborted = () => {
    if (abort.signal.aborted) throw new Error("interrupted");
  };

  const durations: Durations = {
    build: 0,
    start: 0,
    setup: 0,
    compare: 0,
    scale: 0,
    oversell: 0,
    edge: 0,
    checkout: 0,
    shards: 0,
    simulate: 0,
    live: 0,
    queue: 0,
    cost: 0,
    locations: 0,
    instruments: 0,
    total: 0,
  };
  let mark = performance.now();
  const lap = (key: keyof Durations) => {
    const now = performance.now();
    durations[key] = (now - mark) / 1000;
    mark = now;
  };

  progress("bundling bench/worker.ts (product + /__bench probes)");
  const scriptPath = await bundleBenchWorker();
  lap("build");

  progress("starting workerd through Miniflare");
  let runtime: Runtime | null = null;
  try {
    runtime = await startRuntime(scriptPath);
    lap("start");
    const runtimePids = findRuntimePids();
    progress(`runtime at ${runtime.baseUrl} (workerd pid ${runtimePids.join(",") || "unknown"})`);

    const ctx: BenchContext = {
      cfg,
      baseUrl: runtime.baseUrl,
      api: new MerchantApi(runtime.baseUrl, secrets.ADMIN_TOKEN),
      shoppers: makeShoppers(cfg.concurrency, secrets.SHOPPER_JWT_SECRET),
      shopperSecret: secrets.SHOPPER_JWT_SECRET,
      runtimePids,
      signal: abort.signal,
      progress,
    };

    if (mode !== "full") {
      const shards = mode === "shards" ? await shardPhase(ctx) : null;
      if (shards) lap("shards");
      const sim = mode === "simulate" ? await simulationPhase(ctx) : null;
      if (sim) lap("simulate");
      const live = mode === "live" ? await livePhase(ctx) : null;
      if (live) lap("live");
      const queue = mode === "queue" ? await queuePhase(ctx) : null;
      if (queue) lap("queue");
      const cost = mode === "cost" ? await costPhase(ctx) : null;
      if (cost) lap("cost");
      const compare = mode === "compare" ? await comparePhase(ctx) : null;
      if (compare) lap("compare");
      const edge = mode === "edge" ? await compareEdge(ctx, { live: SKUS.edgeLive, soldOut: SKUS.edgeSoldOut }) : null;
      if (edge) lap("edge");
      const locations = mode === "locations" ? await locationsPhase(ctx) : null;
      if (locations) lap("locations");
      const instruments = mode === "instruments" ? await compareInstruments(ctx) : null;
      if (instruments) lap("instruments");
      durations.total = elapsed();
      await runtime.mf.dispose();
      runtime = null;
      const sections = [
        shards && renderShards(shards.compare, shards.stampede),
        sim && renderSim(sim.measured, sim.sweep, sim.upper, sim.hops),
        live && renderLive(live),
        queue && renderQueue(queue),
        cost && renderCosts(cost),
        compare && renderHoldKinds(compare),
        edge && [...tabulate([ROW_HEADER, ...edgeRows(edge)]), "", ...edgeLines(edge)].join("\n"),
        locations && renderLocations(locations),
        instruments && renderInstruments(instruments),
      ];
      const summary = {
        ...(shards
          ? { ...shardSummary(shards.compare, shards.stampede), targets_met: shardTargetsMet(shards.compare, shards.stampede) }
          : {}),
        ...(sim ? simSummary(sim.measured, sim.sweep, sim.upper, sim.hops) : {}),
        ...(live ? { ...liveSummary(live), targets_met: liveTargetsMet(live) } : {}),
        ...(queue ? { ...queueSummary(queue), targets_met: queueTargetsMet(queue) } : {}),
        ...(cost ? costSummary(cost) : {}),
        ...(compare ? { ...compareSummary(compare), ...holdKindsSummary(compare) } : {}),
        ...(edge ? edgeAlone(edgeSummary(edge)) : {}),
        ...(locations ? { ...locationsSummary(locations), targets_met: locationTargetsMet(locations) } : {}),
        ...(instruments ? instrumentsSummary(instruments) : {}),
        durations_s: roundedDurations(durations),
        config: { ...cfg, mode, rateLimiter: RATE_LIMITER_MODE, vars: BENCH_VARS },
      };
      process.stdout.write(`\n${sections.filter((x) => x !== null).join("\n\n")}\n\n`);
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      if (live && !live.lastStateOk) return liveFailed();
      if (queue && (queue.oversell > 0 || !queue.accountingOk)) return queueFailed(queue);
      const nonSuccess = shardNonSuccess(shards?.compare ?? null, sim?.measured ?? null) + (live ? liveNonSuccess(live) : 0);
      return exitStatus(shards?.stampede ?? null, nonSuccess, shards?.compare ?? null);
    }
    await ctx.api.createSku(SKUS.hot);
    await ctx.api.restock(SKUS.hot, HOT_STOCK + cfg.holdsBig);
    lap("setup");

    progress(
      `phase 1: reserve and change vs no-op DO call, ${cfg.concurrency} shoppers, ${cfg.rounds} rounds of ${cfg.seconds} s per kind`,
    );
    const compare = await compareWithCeiling(ctx, SKUS.hot);
    lap("compare");
    checkAborted();

    progress(`phase 2: reserve with ${cfg.holdsBig} vs ${cfg.holdsSmall} live holds`);
    const scale = await compareHoldCounts(ctx, SKUS.hot, SKUS.small);
    lap("scale");
    checkAborted();

    progress(`phase 3: oversell race, ${cfg.oversellAttempts} attempts at ${cfg.oversellStock} units`);
    const oversell = await checkOversell(ctx, SKUS.oversell);
    lap("oversell");
    checkAborted();

    progress(`phase 4: edge reads and sold-out holds vs an echo route, ${cfg.edgeRounds} rounds of ${cfg.edgeSeconds} s per kind`);
    const edge = await compareEdge(ctx, { live: SKUS.edgeLive, soldOut: SKUS.edgeSoldOut });
    lap("edge");
    checkAborted();

    const pc = runtime.paymentsConsumer;
    progress(
      `phase 5: hold -> checkout -> paid, ${cfg.checkoutConcurrency} shoppers, up to ${cfg.checkoutOrders} orders in ${cfg.checkoutSeconds} s, ` +
        `polling every ${cfg.checkoutPollMs} ms (payments queue: batches of ${pc.maxBatchSize} or ${pc.maxBatchTimeout} s)`,
    );
    const checkouts = await runCheckouts(ctx, SKUS.checkout);
    lap("checkout");
    progress(
      `  ${checkouts.paid} paid of ${checkouts.orders} orders (${checkouts.ordersPerS.toFixed(1)}/s), p95 ${checkouts.paidMs.p95.toFixed(0)} ms, ${checkouts.lost} lost`,
    );
    checkAborted();

    const shards = await shardPhase(ctx);
    lap("shards");
    checkAborted();

    const sim = await simulationPhase(ctx);
    lap("simulate");
    checkAborted();

    const live = await livePhase(ctx);
    lap("live");
    const queue = await queuePhase(ctx);
    lap("queue");
    const cost = await costPhase(ctx);
    lap("cost");
    const locations = await locationsPhase(ctx);
    lap("locations");

    durations.total = elapsed();
    const facts = { paymentsConsumer: runtime.paymentsConsumer, logEvents: runtime.logEvents };
    const base = buildSummary(compare, scale, oversell, edge, checkouts, facts, durations, {
      ...cfg,
      rateLimiter: RATE_LIMITER_MODE,
      vars: BENCH_VARS,
    });
    const { durations_s, config, targets_met, non_2xx, ...rest } = base;
    const summary = {
      ...rest,
      ...shardSummary(shards.compare, shards.stampede),
      ...simSummary(sim.measured, sim.sweep, sim.upper, sim.hops),
      ...liveSummary(live),
      ...queueSummary(queue),
      ...costSummary(cost),
      ...locationsSummary(locations),
      non_2xx: {
        ...(non_2xx as Record<string, number>),
        shards: shardNonSuccess(shards.compare, sim.measured),
        live: liveNonSuccess(live),
      },
      targets_met: {
        ...(targets_met as Record<string, boolean>),
        ...shardTargetsMet(shards.compare, shards.stampede),
        ...liveTargetsMet(live),
        ...queueTargetsMet(queue),
        ...locationTargetsMet(locations),
      },
      durations_s,
      config,
    };
    await runtime.mf.dispose();
    runtime = null;

    const holds = { small: scale.small.liveHolds, big: scale.big.liveHolds };
    const table = renderTable(compare, scale, oversell, holds, edge, checkouts, facts);
    process.stdout.write(
      `\n${table}\n\n${renderShards(shards.compare, shards.stampede)}\n\n${renderSim(sim.measured, sim.sweep, sim.upper, sim.hops)}\n\n${renderLive(live)}\n\n${renderQueue(queue)}\n\n${renderCosts(cost)}\n\n${renderLocations(locations)}\n\n`,
    );
    process.stdout.write(`${JSON.stringify(summary)}\n`);

    if (queue.oversell > 0 || !queue.accountingOk) return queueFailed(queue);
    const shardStatus = exitStatus(shards.stampede, 0, shards.compare);
    if (shardStatus !== 0) return shardStatus;
    if (!live.lastStateOk) return liveFailed();
    const nonSuccess = Object.values(summary.non_2xx).reduce((a, b) => a + b, 0);
    if (oversell.oversell > 0 || !oversell.accountingOk) {
      progress(`FAILED: oversell ${oversell.oversell}, accounting ${oversell.accountingOk ? "balanced" : "not balanced"}`);
      return 1;
    }
    if (checkouts.lost > 0 || checkouts.doubleCommit > 0 || !checkouts.accountingOk) {
      progress(
        `FAILED: checkout lost ${checkouts.lost}, double commit ${checkouts.doubleCommit}, ` +
          `accounting ${checkouts.accountingOk ? "balanced" : "not balanced"}`,
      );
      return 1;
    }
    if (nonSuccess > 0) {
      progress(`BROKEN: ${nonSuccess} measured requests did not return their expected status (see non_2xx)`);
      return 2;
    }
    return 0;
  } finally {
    if (runtime) await runtime.mf.dispose();
  }
}

/** Phase 10: rows, D1 rows and queue messages per operation, priced (bench/costs.ts). */
async function costPhase(ctx: BenchContext): Promise<CostResult> {
  ctx.progress(`phase 10: cost per operation, ${ctx.cfg.costHolds} keyed holds and ${ctx.cfg.costOrders} whole orders, one at a time`);
  return measureCosts(ctx, { main: SKUS.cost, expiry: SKUS.costExpiry, sale: SKUS.costSale }, ctx.cfg.costHolds, ctx.cfg.costOrders);
}

/** Phase 1 alone (`--compare`): a new hold and a change of one on the hot SKU, beside the ceiling, one write and the direct call. */
async function comparePhase(ctx: BenchContext): Promise<CompareResult> {
  await ctx.api.createSku(SKUS.hot);
  await ctx.api.restock(SKUS.hot, HOT_STOCK);
  ctx.progress(
    `phase 1: reserve and change vs no-op DO call, ${ctx.cfg.concurrency} shoppers, ${ctx.cfg.rounds} rounds of ${ctx.cfg.seconds} s per kind`,
  );
  return compareWithCeiling(ctx, SKUS.hot);
}

/** Phase 6: holds on a sharded vs an unsharded SKU, and stampedes on a sharded SKU. */
async function shardPhase(ctx: BenchContext): Promise<{ compare: ShardCompareResult; stampede: StampedeResult }> {
  const { cfg } = ctx;
  ctx.progress(
    `phase 6: holds on ${cfg.shards} shards vs an unsharded SKU, distinct customers, ${cfg.shardRounds} rounds of ${cfg.shardSeconds} s per kind`,
  );
  const compare = await compareShards(ctx, { sharded: SKUS.sharded, single: SKUS.unsharded });
  if (ctx.signal.aborted) throw new Error("interrupted");
  ctx.progress(
    `phase 6b: ${cfg.stampedeRounds} stampede(s) of ${cfg.stampedeAttempts} distinct customers at ${cfg.stampedeStock} units on ${cfg.shards} shards`,
  );
  const stampede = await runStampedes(ctx, SKUS.stampede);
  return { compare, stampede };
}

/** Phase 7: the service times the simulation needs, then the simulation for K = 1, 2, 4, ... */
async function simulationPhase(
  ctx: BenchContext,
): Promise<{ measured: SimMeasurement; sweep: SimSweep; upper: SimSweep; hops: SimSweep[] }> {
  const { cfg } = ctx;
  ctx.progress(`phase 7: service times for the simulation, ${cfg.simMeasureRounds} rounds of ${cfg.simMeasureSeconds} s per kind`);
  const measured = await measureServiceTimes(ctx);
  if (ctx.signal.aborted) throw new Error("interrupted");
  const { sim } = cfg;
  ctx.progress(
    `  simulating ${sim.ratePerS} holds/s on ${sim.units} units for K = 1..${sim.maxShards} (seeds ${sim.seed}..${sim.seed + sim.seeds - 1})`,
  );
  const { maxShards, seeds, ...settings } = sim;
  const result = sweep({ ...settings, service: measured.service, policy: measured.policy }, maxShards, seeds);
  const upper = sweep({ ...settings, service: measured.serviceUpper, policy: measured.policy }, maxShards, seeds);
  const hops = hopSweeps({ ...settings, service: measured.service, policy: measured.policy }, maxShards, seeds);
  return { measured, sweep: result, upper, hops };
}

/** Phase 8: live push, 1,000 WebSockets on one SKU (spec §10). */
async function livePhase(ctx: BenchContext): Promise<LiveResult> {
  const { cfg } = ctx;
  ctx.progress(
    `phase 8: live push, ${cfg.liveSockets} sockets on one SKU: ${cfg.liveChanges} isolated changes, then holds watched vs quiet, ${cfg.liveRounds} rounds of ${cfg.liveSeconds} s per kind`,
  );
  return runLive(ctx, { watched: SKUS.liveWatched, quiet: SKUS.liveQuiet });
}

/** A socket whose last message is not the SKU's final level: a push was dropped. */
function liveFailed(): number {
  progress("FAILED: live push: some socket's last message is not the SKU's final level");
  return 1;
}

/** Phase 9: a stampede on a sale with a waiting room. */
async function queuePhase(ctx: BenchContext): Promise<QueueBenchResult> {
  ctx.progress("phase 9: waiting-room stampede (BENCH_QUEUE_SHOPPERS shoppers, default 5000, at BENCH_QUEUE_UNITS units, default 300)");
  return runQueueStampede(ctx, SKUS.queued, QUEUED_SALE);
}

function queueFailed(q: QueueBenchResult): number {
  progress(`FAILED: waiting-room stampede oversell ${q.oversell}, accounting ${q.accountingOk ? "balanced" : "not balanced"}`);
  return 1;
}

/** 1 when the sharded stampede oversold, did not balance or failed its audit; 2 on unexpected replies; else 0. */
function exitStatus(s: StampedeResult | null, nonSuccess: number, c: ShardCompareResult | null): number {
  if (s && (s.oversell > 0 || !s.accountingOk || !s.auditOk)) {
    progress(
      `FAILED: sharded stampede oversell ${s.oversell}, accounting ${s.accountingOk ? "balanced" : "not balanced"}, audit ${s.auditOk ? "ok" : "failed"}`,
    );
    return 1;
  }
  if (c && !c.auditOk) {
    progress(`FAILED: the sharded SKU's audit after the compare: ${c.auditProblems.join("; ")}`);
    return 1;
  }
  if (nonSuccess > 0) {
    progress(`BROKEN: ${nonSuccess} measured requests did not return their expected status (see non_2xx)`);
    return 2;
  }
  return 0;
}

function roundedDurations(d: Durations): Record<string, number> {
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Math.round(v * 10) / 10]));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    progress(`BROKEN: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 2;
  },
);

/** Phase 11: holds routed among five locations vs one location vs an unlocated SKU (spec §11). */
async function locationsPhase(ctx: BenchContext): Promise<LocationsCompareResult> {
  ctx.progress(
    `phase locations: holds with shipTo on a SKU at 5 locations vs 1 vs none, ${ctx.cfg.shardRounds} rounds of ${ctx.cfg.shardSeconds} s per kind`,
  );
  return compareLocations(ctx, SKUS.locations);
}
