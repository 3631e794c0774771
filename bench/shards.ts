import { asDistinctCustomers, reserveTarget, type Target } from "./client.ts";
import { summarizeKinds, type KindResult } from "./compare.ts";
import { measure, rps, type BenchContext, type Slice } from "./context.ts";
import { makeCustomers } from "./tokens.ts";

/**
 * Stock shards (spec §8), what one hold costs: holds on a SKU split into
 * `BENCH_SHARDS` shards against holds on an unsharded SKU, both over HTTP as
 * shoppers send them, each hold from a distinct customer, in alternating
 * slices like phase 1. Both SKUs start every slice with `shardStock`
 * available (what a slice holds is restocked after it, untimed), so the pool
 * always has units and the figure is the middle of a sale, not its tail. The
 * pool calls the shards made during the sharded slices (stats.escrow.poolCalls)
 * give the refill traffic per 1,000 holds. The pool sends batches of
 * ceil(pool / 2K), and a shard refills when a quarter of its last batch is
 * left, so expect about 1000 * 2K / (0.75 * pool) per 1,000 holds once the
 * shards have sold through their first batches: about 2 for 8 shards and
 * 10,000 units. Fewer holds than that show 0.
 */

export const SHARD_KINDS = ["sharded", "single"] as const;

/** How long the warm-up may go on until every shard has had its first fill from the pool. */
const PRIME_TIMEOUT_MS = 30_000;
export type ShardKind = (typeof SHARD_KINDS)[number];

export interface ShardCompareResult {
  kinds: Record<ShardKind, KindResult>;
  /** sharded rps / single rps within each round, from adjacent slices. */
  roundRatios: number[];
  shards: number;
  /** Refills the shards asked of the pool during the measured sharded slices, and the holds those slices made. */
  poolCalls: number;
  shardedHolds: number;
  /** poolCalls per 1,000 holds; null if a shard restarted mid-phase (its counter starts again from 0). */
  poolCallsPer1kHolds: number | null;
  auditOk: boolean;
  auditProblems: string[];
  seconds: number;
}

export async function compareShards(ctx: BenchContext, skus: { sharded: string; single: string }): Promise<ShardCompareResult> {
  const started = performance.now();
  const { shards, shardStock, shardCustomers } = ctx.cfg;
  await ctx.api.createSku(skus.sharded, shards);
  await ctx.api.restock(skus.sharded, shardStock);
  await ctx.api.createSku(skus.single);
  await ctx.api.restock(skus.single, shardStock);

  // Signed once up front: the load loops spend no client CPU on tokens. Both SKUs cycle through the same customers.
  const customers = makeCustomers(shardCustomers, ctx.shopperSecret, "bench-buyer-");
  const targets: Record<ShardKind, Target> = {
    sharded: asDistinctCustomers(reserveTarget(ctx.baseUrl, skus.sharded), customers),
    single: asDistinctCustomers(reserveTarget(ctx.baseUrl, skus.single), customers),
  };

  for (const kind of SHARD_KINDS) {
    if (ctx.cfg.warmupSeconds <= 0) break;
    const { load } = await measure(ctx, targets[kind], ctx.cfg.warmupSeconds);
    await ctx.api.restock(kind === "sharded" ? skus.sharded : skus.single, load.created);
    ctx.progress(`  warm-up ${kind}: ${Math.round(rps(load))} rps`);
  }

  // Every shard's first fill is start-up, not refill traffic: warm up until each shard has asked once (bounded).
  const primeStarted = performance.now();
  while (
    (await ctx.api.escrow(skus.sharded)).poolCalls < shards &&
    performance.now() - primeStarted < PRIME_TIMEOUT_MS &&
    !ctx.signal.aborted
  ) {
    const { load } = await measure(ctx, targets.sharded, 1);
    await ctx.api.restock(skus.sharded, load.created);
  }

  const slices: Record<ShardKind, Slice[]> = { sharded: [], single: [] };
  const roundRatios: number[] = [];
  let poolCalls = 0;
  let restarted = false;
  for (let round = 0; round < ctx.cfg.shardRounds && !ctx.signal.aborted; round++) {
    const order: ShardKind[] = round % 2 === 0 ? ["sharded", "single"] : ["single", "sharded"];
    const line: string[] = [];
    for (const kind of order) {
      // Read around the sharded slice only, untimed; the single SKU's slices make no pool calls.
      const before = kind === "sharded" ? (await ctx.api.escrow(skus.sharded)).poolCalls : 0;
      const slice = await measure(ctx, targets[kind], ctx.cfg.shardSeconds);
      slices[kind].push(slice);
      // Untimed: what the slice held comes back into stock (a restock goes to the pool), so every slice starts
      // with `shardStock` available and the batches the pool sends keep their mid-sale size.
      await ctx.api.restock(kind === "sharded" ? skus.sharded : skus.single, slice.load.created);
      if (kind === "sharded") {
        const delta = (await ctx.api.escrow(skus.sharded)).poolCalls - before;
        if (delta < 0) restarted = true;
        else poolCalls += delta;
      }
      line.push(`${kind} ${Math.round(rps(slice.load))} rps`);
    }
    const ratio = rps(slices.sharded[round]!.load) / rps(slices.single[round]!.load);
    roundRatios.push(ratio);
    ctx.progress(`  round ${round + 1}/${ctx.cfg.shardRounds}: ${line.join(", ")} (sharded/single ${ratio.toFixed(2)})`);
  }

  const kinds = summarizeKinds(SHARD_KINDS, slices);
  const shardedHolds = slices.sharded.reduce((n, s) => n + s.load.created, 0);
  const escrow = await ctx.api.escrow(skus.sharded);
  return {
    kinds,
    roundRatios,
    shards,
    poolCalls,
    shardedHolds,
    poolCallsPer1kHolds: restarted || shardedHolds === 0 ? null : (poolCalls * 1000) / shardedHolds,
    auditOk: escrow.audit.ok,
    auditProblems: escrow.audit.problems,
    seconds: (performance.now() - started) / 1000,
  };
}
