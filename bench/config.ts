import { readFileSync } from "node:fs";
import path from "node:path";

/** Everything the bench can be tuned with, read once from the environment. */

export const ROOT = path.resolve(import.meta.dirname, "..");
export const OUT_DIR = path.join(ROOT, "bench", ".out");

function num(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name}=${raw} is not a number in [${min}, ${max}]`);
  }
  return value;
}

export interface BenchConfig {
  /** Length of one measured slice of the reserve-vs-noop comparison. */
  seconds: number;
  /** How many times each kind of slice runs; kinds alternate within a round. */
  rounds: number;
  /** Unmeasured load on each target before the first round (JIT, object start). */
  warmupSeconds: number;
  /** Concurrent shoppers, each with its own customer id and token. */
  concurrency: number;
  /** Live holds on the "big" and "small" SKUs of the scaling comparison. */
  holdsBig: number;
  holdsSmall: number;
  /** Length of one measured slice of the scaling comparison. */
  scaleSeconds: number;
  scaleRounds: number;
  /** The oversell SKU's stock, and how many hold attempts the shoppers make at it. */
  oversellStock: number;
  oversellAttempts: number;
  /** Hard cap on requests in any one phase, so no loop is unbounded even if time is. */
  maxRequestsPerPhase: number;
  /** Edge phase: length of one slice, rounds (each runs every kind) and warm-up per kind. */
  edgeSeconds: number;
  edgeRounds: number;
  edgeWarmupSeconds: number;
  /** Checkout phase: concurrent shoppers, how long and how many orders may start, over how many SKUs. */
  checkoutConcurrency: number;
  checkoutSeconds: number;
  checkoutOrders: number;
  checkoutSkus: number;
  /** Pause between two polls of one order. */
  checkoutPollMs: number;
  /** An order not final this long after its checkout was sent counts as lost. */
  checkoutTimeoutSeconds: number;
  /** Stock shards (spec §8): the shard count of the sharded SKUs of the shards phase. */
  shards: number;
  /** Shard compare: one slice's length and the rounds (each runs both kinds). */
  shardSeconds: number;
  shardRounds: number;
  /** Shard compare: units each SKU has available at the start of every slice (restocked after each), and the distinct customers cycled through. */
  shardStock: number;
  shardCustomers: number;
  /** Live push (spec §10): sockets on the watched SKU, isolated changes timed, and the watched-vs-quiet slices. */
  liveSockets: number;
  liveChanges: number;
  liveSeconds: number;
  liveRounds: number;
  /** Cost phase: keyed holds made one at a time, and whole orders (hold, checkout, paid, refund with restock). */
  costHolds: number;
  costOrders: number;
  /** Stampede on a sharded SKU: its stock, the attempts (each from a distinct customer) and how many stampedes. */
  stampedeStock: number;
  stampedeAttempts: number;
  stampedeRounds: number;
  /** The simulation's measurements: one slice's length and the rounds (each runs both probes). */
  simMeasureSeconds: number;
  simMeasureRounds: number;
  sim: SimSettings;
}

/** The discrete-event simulation of a stampede on one SKU (bench/sim.ts); see bench/README.md. */
export interface SimSettings {
  /** Offered hold requests per second (Poisson arrivals) and for how long they arrive. */
  ratePerS: number;
  arrivalSeconds: number;
  /** The SKU's stock. */
  units: number;
  /** The largest shard count simulated; K runs 1, 2, 4, ... up to it. */
  maxShards: number;
  /** The platform's per-object limit: no object serves requests faster than this. */
  objectRps: number;
  /** Requests waiting at one object beyond this many are refused as 503 overloaded. */
  queueBound: number;
  /** One-way network delay of each call between two objects. */
  hopMs: number;
  /** The first seed, and how many seeds (seed, seed + 1, ...) each K runs with. */
  seed: number;
  seeds: number;
  /** Hard cap on simulated events per run, so no run is unbounded. */
  maxEvents: number;
}

export function readConfig(): BenchConfig {
  const concurrency = num("BENCH_CONCURRENCY", 64, 1, 1024);
  const oversellStock = num("BENCH_OVERSELL_STOCK", 500, 1, 1_000_000);
  return {
    seconds: num("BENCH_SECONDS", 3, 0.5, 600),
    rounds: num("BENCH_ROUNDS", 3, 1, 100),
    warmupSeconds: num("BENCH_WARMUP_SECONDS", 2, 0, 600),
    concurrency,
    holdsBig: num("BENCH_HOLDS_BIG", 50_000, 1, 1_000_000),
    holdsSmall: num("BENCH_HOLDS_SMALL", 1_000, 1, 1_000_000),
    scaleSeconds: num("BENCH_SCALE_SECONDS", 2, 0.5, 600),
    scaleRounds: num("BENCH_SCALE_ROUNDS", 3, 1, 100),
    oversellStock,
    oversellAttempts: num("BENCH_OVERSELL_ATTEMPTS", oversellStock * 4, 1, 10_000_000),
    maxRequestsPerPhase: num("BENCH_MAX_REQUESTS_PER_PHASE", 2_000_000, 1, 100_000_000),
    edgeSeconds: num("BENCH_EDGE_SECONDS", 2, 0.5, 600),
    edgeRounds: num("BENCH_EDGE_ROUNDS", 3, 1, 100),
    edgeWarmupSeconds: num("BENCH_EDGE_WARMUP_SECONDS", 1, 0, 600),
    checkoutConcurrency: num("BENCH_CHECKOUT_CONCURRENCY", 32, 1, 1024),
    checkoutSeconds: num("BENCH_CHECKOUT_SECONDS", 15, 1, 600),
    checkoutOrders: num("BENCH_CHECKOUT_ORDERS", 800, 1, 100_000),
    checkoutSkus: num("BENCH_CHECKOUT_SKUS", 4, 1, 50),
    checkoutPollMs: num("BENCH_CHECKOUT_POLL_MS", 50, 5, 5_000),
    checkoutTimeoutSeconds: num("BENCH_CHECKOUT_TIMEOUT_SECONDS", 30, 1, 600),
    shards: num("BENCH_SHARDS", 8, 2, 64),
    shardSeconds: num("BENCH_SHARD_SECONDS", 3, 0.5, 600),
    shardRounds: num("BENCH_SHARD_ROUNDS", 3, 1, 100),
    shardStock: num("BENCH_SHARD_STOCK", 10_000, 100, 100_000_000),
    shardCustomers: num("BENCH_SHARD_CUSTOMERS", 20_000, 64, 1_000_000),
    liveSockets: num("BENCH_LIVE_SOCKETS", 1_000, 1, 10_000),
    liveChanges: num("BENCH_LIVE_CHANGES", 40, 1, 10_000),
    liveSeconds: num("BENCH_LIVE_SECONDS", 3, 0.5, 600),
    liveRounds: num("BENCH_LIVE_ROUNDS", 3, 1, 100),
    costHolds: num("BENCH_COST_HOLDS", 200, 4, 100_000),
    costOrders: num("BENCH_COST_ORDERS", 20, 1, 10_000),
    stampedeStock: num("BENCH_STAMPEDE_STOCK", 300, 1, 1_000_000),
    stampedeAttempts: num("BENCH_STAMPEDE_ATTEMPTS", 3_000, 1, 1_000_000),
    stampedeRounds: num("BENCH_STAMPEDE_ROUNDS", 3, 1, 100),
    simMeasureSeconds: num("BENCH_SIM_MEASURE_SECONDS", 2, 0.5, 600),
    simMeasureRounds: num("BENCH_SIM_MEASURE_ROUNDS", 3, 1, 100),
    sim: {
      ratePerS: num("BENCH_SIM_RATE", 25_000, 1, 10_000_000),
      arrivalSeconds: num("BENCH_SIM_SECONDS", 1, 0.01, 60),
      units: num("BENCH_SIM_UNITS", 10_000, 1, 100_000_000),
      maxShards: num("BENCH_SIM_MAX_SHARDS", 64, 1, 64),
      objectRps: num("BENCH_SIM_OBJECT_RPS", 1_000, 1, 1_000_000),
      queueBound: num("BENCH_SIM_QUEUE", 100, 0, 1_000_000),
      hopMs: num("BENCH_SIM_HOP_MS", 0, 0, 10_000),
      seed: num("BENCH_SIM_SEED", 1, 0, 2 ** 32 - 1),
      seeds: num("BENCH_SIM_SEEDS", 3, 1, 100),
      maxEvents: num("BENCH_SIM_MAX_EVENTS", 20_000_000, 1_000, 1_000_000_000),
    },
  };
}

/**
 * The local secrets the product expects. They come from .dev.vars.example, the
 * same public, local-only values `npm run dev` uses, so the bench needs no setup.
 */
export function readDevSecrets(): Record<string, string> & { SHOPPER_JWT_SECRET: string; ADMIN_TOKEN: string } {
  const text = readFileSync(path.join(ROOT, ".dev.vars.example"), "utf8");
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (m) vars[m[1]!] = m[2]!;
  }
  const { SHOPPER_JWT_SECRET, ADMIN_TOKEN } = vars;
  if (!SHOPPER_JWT_SECRET || !ADMIN_TOKEN) throw new Error(".dev.vars.example lacks SHOPPER_JWT_SECRET or ADMIN_TOKEN");
  return { ...vars, SHOPPER_JWT_SECRET, ADMIN_TOKEN };
}

/** Vars the bench sets over wrangler.toml's, because its measurements depend on them. */
export const BENCH_VARS = {
  // Holds must outlive the whole run (about 3 minutes) so live-hold counts only move when the bench moves them.
  DEFAULT_HOLD_SECONDS: "600",
  // One log line per request would flood this process's stdout through Miniflare; the test suite does the same.
  LOG_LEVEL: "warn",
} as const;

/**
 * How the rate-limiting bindings are served: "allow" (default) binds them to an
 * entrypoint that always allows (see bench/worker.ts); "miniflare" keeps
 * Miniflare's simulator with limits no run reaches. Either way the limiter is
 * called on the hold path; with wrangler.toml's own limits 64 shoppers on one
 * address would mostly measure 429s.
 */
export const RATE_LIMITER_MODE: "allow" | "miniflare" = process.env.BENCH_RATE_LIMITER === "miniflare" ? "miniflare" : "allow";
