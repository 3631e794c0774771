import type { MerchantApi, Target } from "./client.ts";
import type { BenchConfig } from "./config.ts";
import { runLoad, type LoadOptions, type LoadResult } from "./load.ts";
import { sampleUsage, usageBetween, type Usage } from "./resources.ts";
import type { Shopper } from "./tokens.ts";

/** What every phase needs: the running app, its shoppers and the settings. */
export interface BenchContext {
  cfg: BenchConfig;
  baseUrl: string;
  api: MerchantApi;
  shoppers: readonly Shopper[];
  /** Signs shopper tokens, for phases that need customers beyond the shoppers (distinct customers per hold). */
  shopperSecret: string;
  runtimePids: readonly number[];
  signal: AbortSignal;
  progress: (message: string) => void;
}

/** One measured run of load, with what it cost the client and the runtime. */
export interface Slice {
  load: LoadResult;
  usage: Usage;
}

export async function measure(ctx: BenchContext, target: Target, seconds: number, extra: Partial<LoadOptions> = {}): Promise<Slice> {
  const before = sampleUsage(ctx.runtimePids);
  const load = await runLoad({
    shoppers: ctx.shoppers,
    target,
    seconds,
    maxRequests: ctx.cfg.maxRequestsPerPhase,
    signal: ctx.signal,
    ...extra,
  });
  return { load, usage: usageBetween(before, sampleUsage(ctx.runtimePids)) };
}

export function rps(load: LoadResult): number {
  return load.elapsedMs > 0 ? (load.requests * 1000) / load.elapsedMs : 0;
}

/** Replies other than the expected status, e.g. `{"409": 3}`; empty when all were as expected. */
export function unexpected(statuses: Record<number, number>, expected: number): Record<number, number> {
  return Object.fromEntries(Object.entries(statuses).filter(([status]) => Number(status) !== expected)) as Record<number, number>;
}

/** A pre-fill slower than this means the app is broken or the machine hopeless. */
const PREFILL_TIMEOUT_SECONDS = 300;

/** Holds per pre-fill chunk: a progress line per chunk, since a big pre-fill takes a while. */
const PREFILL_CHUNK = 10_000;

/** Takes `count` more holds through the API; bounded by count and by time. */
export async function prefillHolds(ctx: BenchContext, target: Target, count: number): Promise<void> {
  if (count <= 0) return;
  const started = performance.now();
  const secondsLeft = () => PREFILL_TIMEOUT_SECONDS - (performance.now() - started) / 1000;
  let made = 0;
  while (made < count && secondsLeft() > 0 && !ctx.signal.aborted) {
    const chunk = Math.min(PREFILL_CHUNK, count - made);
    const { load } = await measure(ctx, target, secondsLeft(), {
      stopAfterCreated: chunk,
      // Room for a few refusals, never an unbounded retry.
      maxRequests: Math.ceil(chunk * 1.05) + ctx.shoppers.length,
    });
    made += load.created;
    if (load.created < chunk) {
      throw new Error(`pre-fill made ${made} of ${count} holds; last replies ${JSON.stringify(load.statuses)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    ctx.progress(`  pre-filled ${made}/${count} holds in ${seconds.toFixed(1)} s (${Math.round(made / seconds)} holds/s)`);
  }
  if (made < count) throw new Error(`pre-fill stopped at ${made} of ${count} holds`);
}
