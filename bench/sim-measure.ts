import {
  asDistinctCustomers,
  directReserveTarget,
  escrowPolicy,
  noopTarget,
  shardReserveTarget,
  transferTarget,
  type Target,
} from "./client.ts";
import { summarizeKinds, type KindResult } from "./compare.ts";
import { measure, rps, type BenchContext, type Slice } from "./context.ts";
import type { EscrowPolicy, ServiceTimes } from "./sim.ts";
import type { Shopper } from "./tokens.ts";

/**
 * What the simulation (bench/sim.ts) takes from this run: each object's
 * service time, measured on the one local runtime thread, and the escrow's
 * constants as the build has them. Three kinds alternate in rounds, like
 * phase 1:
 *
 *   shard_hold   the reserve RPC on the customer's shard of a sharded SKU
 *                (no HTTP layer), distinct customers, plenty of stock
 *   single_hold  the same RPC on an unsharded SKU
 *   transfer     one refill of a shard and its give-back through the
 *                escrow's RPCs: two two-phase transfers, six steps (grant or
 *                surrender, credit, post), one caller per shard
 *   noop         phase 1's ceiling: the same HTTP request and one RPC to an
 *                object method that does nothing
 *
 * Per request, the runtime's CPU time (Linux /proc; wall-clock 1 / rps
 * elsewhere) holds the object's work and what runs around it on this one
 * thread: the HTTP request, the Worker, the RPC, Miniflare's services (D1 for
 * the outbox the alarm ships). The object's own service time is taken as that
 * minus the no-op's (a hold: hold - noop; a transfer step: (transfer - noop)
 * / 6). The whole figure, unsubtracted, is kept as an upper bound, and the
 * simulation is run with it too.
 */

export const SIM_KINDS = ["shard_hold", "single_hold", "transfer", "noop"] as const;
export type SimKind = (typeof SIM_KINDS)[number];

/** Escrow steps one transfer probe makes: grant, credit, post; surrender, credit, post. */
const STEPS_PER_TRANSFER_PROBE = 6;

const SKUS = {
  sharded: "bench-sim-sharded",
  single: "bench-sim-single",
  transfer: "bench-sim-transfer",
} as const;

/** The least service time taken from a difference of two measurements. */
const MIN_SERVICE_MS = 0.01;

/** Stock of the hold probes' SKUs: more than any run takes, so a hold never waits on a refill (the simulation models those). */
const HOLD_STOCK = 1_000_000;

/** The transfer probe's SKU: enough for a batch per shard at full size; it never holds anything. */
const TRANSFER_STOCK = 200_000;

export interface SimMeasurement {
  kinds: Record<SimKind, KindResult>;
  /** The objects' own work: each kind's time per request less the no-op's. */
  service: ServiceTimes;
  /** Each kind's whole time per request, the no-op's share included: an upper bound. */
  serviceUpper: ServiceTimes;
  /** runtime_cpu: per-request runtime CPU; wall_clock: 1 / rps (no /proc). */
  source: "runtime_cpu" | "wall_clock";
  policy: EscrowPolicy;
  shards: number;
  seconds: number;
}

export async function measureServiceTimes(ctx: BenchContext): Promise<SimMeasurement> {
  const started = performance.now();
  const { shards } = ctx.cfg;
  const policy: EscrowPolicy = await escrowPolicy(ctx.baseUrl);
  await ctx.api.createSku(SKUS.sharded, shards);
  await ctx.api.restock(SKUS.sharded, HOLD_STOCK);
  await ctx.api.createSku(SKUS.single);
  await ctx.api.restock(SKUS.single, HOLD_STOCK);
  await ctx.api.createSku(SKUS.transfer, shards);
  await ctx.api.restock(SKUS.transfer, TRANSFER_STOCK);

  // The direct probes take the customer from a header: no tokens needed, and every hold is a new customer.
  const customers: Shopper[] = Array.from({ length: ctx.cfg.shardCustomers }, (_, i) => ({
    customerId: `bench-sim-${i}`,
    authorization: "",
  }));
  // One transfer caller per shard, so each give-back returns exactly its own grant.
  const callers = ctx.shoppers.slice(0, shards);
  const shardOfCaller = new Map(callers.map((s, i) => [s.customerId, i]));
  const targets: Record<SimKind, { target: Target; shoppers: readonly Shopper[] }> = {
    shard_hold: { target: asDistinctCustomers(shardReserveTarget(ctx.baseUrl, SKUS.sharded, shards), customers), shoppers: ctx.shoppers },
    single_hold: { target: asDistinctCustomers(directReserveTarget(ctx.baseUrl, SKUS.single), customers), shoppers: ctx.shoppers },
    transfer: { target: transferTarget(ctx.baseUrl, SKUS.transfer, (s) => shardOfCaller.get(s.customerId) ?? 0), shoppers: callers },
    noop: { target: noopTarget(ctx.baseUrl, "sim"), shoppers: ctx.shoppers },
  };

  for (const kind of SIM_KINDS) {
    if (ctx.cfg.warmupSeconds <= 0) break;
    const { load } = await measure(ctx, targets[kind].target, ctx.cfg.warmupSeconds, { shoppers: targets[kind].shoppers });
    ctx.progress(`  warm-up ${kind}: ${Math.round(rps(load))} rps`);
  }
  const slices: Record<SimKind, Slice[]> = { shard_hold: [], single_hold: [], transfer: [], noop: [] };
  for (let round = 0; round < ctx.cfg.simMeasureRounds && !ctx.signal.aborted; round++) {
    const order = SIM_KINDS.map((_, i) => SIM_KINDS[(i + round) % SIM_KINDS.length]!);
    const line: string[] = [];
    for (const kind of order) {
      const slice = await measure(ctx, targets[kind].target, ctx.cfg.simMeasureSeconds, { shoppers: targets[kind].shoppers });
      slices[kind].push(slice);
      line.push(`${kind} ${Math.round(rps(slice.load))} rps`);
    }
    ctx.progress(`  round ${round + 1}/${ctx.cfg.simMeasureRounds}: ${line.join(", ")}`);
  }
  const kinds = summarizeKinds(SIM_KINDS, slices);
  const cpu = SIM_KINDS.every((k) => kinds[k].cost.runtimeCpuUs !== null);
  const perRequestMs = (k: SimKind) => (cpu ? kinds[k].cost.runtimeCpuUs! / 1000 : 1000 / kinds[k].summary.rps);
  const noopMs = perRequestMs("noop");
  // Noise can put a kind below the no-op; an object never works for less than nothing.
  const own = (k: SimKind, steps = 1) => Math.max(MIN_SERVICE_MS, (perRequestMs(k) - noopMs) / steps);
  return {
    kinds,
    service: {
      shardHoldMs: own("shard_hold"),
      singleHoldMs: own("single_hold"),
      transferStepMs: own("transfer", STEPS_PER_TRANSFER_PROBE),
    },
    serviceUpper: {
      shardHoldMs: perRequestMs("shard_hold"),
      singleHoldMs: perRequestMs("single_hold"),
      transferStepMs: perRequestMs("transfer") / STEPS_PER_TRANSFER_PROBE,
    },
    source: cpu ? "runtime_cpu" : "wall_clock",
    policy,
    shards,
    seconds: (performance.now() - started) / 1000,
  };
}
