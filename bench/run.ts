/**
 * npm run bench: reserve throughput and latency against a no-op Durable Object
 * call, reserve with many vs few live holds, an oversell race, edge reads and
 * sold-out refusals against an echo route, and hold -> checkout -> paid
 * through the payments queue, all on one workerd started through Miniflare's
 * API. See bench/README.md.
 *
 * Exit status: 0 when the run completed (targets missed or not), 1 when an
 * integrity check failed (oversell, accounting, a lost order, a double
 * commit), 2 when something broke (an error, unexpected replies), 130 on
 * Ctrl-C (Miniflare's own signal hook stops workerd and re-raises it).
 */
import { bundleBenchWorker } from "./build.ts";
import { runCheckouts } from "./checkout.ts";
import { MerchantApi } from "./client.ts";
import { compareWithCeiling } from "./compare.ts";
import { BENCH_VARS, RATE_LIMITER_MODE, readConfig, readDevSecrets } from "./config.ts";
import type { BenchContext } from "./context.ts";
import { compareEdge } from "./edge.ts";
import { checkOversell } from "./oversell.ts";
import { buildSummary, renderTable, type Durations } from "./report.ts";
import { findRuntimePids } from "./resources.ts";
import { startRuntime, type Runtime } from "./runtime.ts";
import { compareHoldCounts } from "./scaling.ts";
import { makeShoppers } from "./tokens.ts";

const SKUS = {
  hot: "bench-hot",
  small: "bench-few-holds",
  oversell: "bench-oversell",
  edgeLive: "bench-edge-live",
  edgeSoldOut: "bench-edge-sold-out",
  /** Checkout SKUs are this plus -0, -1, ... */
  checkout: "bench-checkout",
} as const;

/** Stock for the hot SKU: more than any run can reserve, so it never sells out mid-phase. */
const HOT_STOCK = 5_000_000;

const t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 1000;

/** Progress goes to stderr so stdout holds only the table and the JSON line. */
function progress(message: string): void {
  process.stderr.write(`[bench ${elapsed().toFixed(1).padStart(5)}s] ${message}\n`);
}

async function main(): Promise<number> {
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

  const durations: Durations = { build: 0, start: 0, setup: 0, compare: 0, scale: 0, oversell: 0, edge: 0, checkout: 0, total: 0 };
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
      runtimePids,
      signal: abort.signal,
      progress,
    };
    await ctx.api.createSku(SKUS.hot);
    await ctx.api.restock(SKUS.hot, HOT_STOCK + cfg.holdsBig);
    lap("setup");

    progress(`phase 1: reserve vs no-op DO call, ${cfg.concurrency} shoppers, ${cfg.rounds} rounds of ${cfg.seconds} s per kind`);
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
    progress(`  ${checkouts.paid} paid of ${checkouts.orders} orders (${checkouts.ordersPerS.toFixed(1)}/s), p95 ${checkouts.paidMs.p95.toFixed(0)} ms, ${checkouts.lost} lost`);
    checkAborted();

    durations.total = elapsed();
    const facts = { paymentsConsumer: runtime.paymentsConsumer, logEvents: runtime.logEvents };
    const summary = buildSummary(compare, scale, oversell, edge, checkouts, facts, durations, {
      ...cfg,
      rateLimiter: RATE_LIMITER_MODE,
      vars: BENCH_VARS,
    });
    await runtime.mf.dispose();
    runtime = null;

    const holds = { small: scale.small.liveHolds, big: scale.big.liveHolds };
    process.stdout.write(`\n${renderTable(compare, scale, oversell, holds, edge, checkouts, facts)}\n\n`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);

    const nonSuccess = Object.values(summary.non_2xx as Record<string, number>).reduce((a, b) => a + b, 0);
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    progress(`BROKEN: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 2;
  },
);
