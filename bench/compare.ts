import { changeTarget, directReserveTarget, noopTarget, oneWriteTarget, reserveTarget, type Target } from "./client.ts";
import { measure, rps, type BenchContext, type Slice } from "./context.ts";
import { addUsage, perRequest, ZERO_USAGE, type PerRequest } from "./resources.ts";
import { summarize, type Summary } from "./stats.ts";

/**
 * Reserve on one hot SKU against the ceiling (a no-op Durable Object call),
 * plus two probes that split the gap: a call that commits one SQLite row (what
 * durability alone costs) and the SKU object's reserve RPC called without the
 * HTTP layer (what the object costs, without Hono, JWT and zod), and a change
 * of a hold's quantity on the same SKU (spec §3: its cost beside a new hold's). Kinds
 * alternate in short slices, in a rotating order, so the machine's noise
 * (other processes, CPU frequency, GC) lands on all of them alike.
 */

export const KINDS = ["reserve", "noop", "write", "direct", "change"] as const;
export type Kind = (typeof KINDS)[number];

export interface KindResult {
  summary: Summary;
  cost: PerRequest;
}

export interface CompareResult {
  kinds: Record<Kind, KindResult>;
  /** reserve rps / noop rps within each round: adjacent slices, so least disturbed by drift. */
  roundRatios: number[];
  seconds: number;
}

/** Each probe uses one object instance, like the hot SKU, so all serialize on one object. */
const PROBE_KEY = "hot";

export async function compareWithCeiling(ctx: BenchContext, hotSku: string): Promise<CompareResult> {
  const started = performance.now();
  const targets: Record<Kind, Target> = {
    reserve: reserveTarget(ctx.baseUrl, hotSku),
    noop: noopTarget(ctx.baseUrl, PROBE_KEY),
    write: oneWriteTarget(ctx.baseUrl, PROBE_KEY),
    direct: directReserveTarget(ctx.baseUrl, hotSku),
    change: changeTarget(ctx.baseUrl, hotSku),
  };

  // Warm-up: starts every object, fills the connection pool and lets V8 optimise.
  for (const kind of KINDS) {
    if (ctx.cfg.warmupSeconds <= 0) break;
    const { load } = await measure(ctx, targets[kind], ctx.cfg.warmupSeconds);
    ctx.progress(`  warm-up ${kind}: ${Math.round(rps(load))} rps`);
  }

  const slices: Record<Kind, Slice[]> = { reserve: [], noop: [], write: [], direct: [], change: [] };
  const roundRatios: number[] = [];
  for (let round = 0; round < ctx.cfg.rounds && !ctx.signal.aborted; round++) {
    const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]!);
    const line: string[] = [];
    for (const kind of order) {
      const slice = await measure(ctx, targets[kind], ctx.cfg.seconds);
      slices[kind].push(slice);
      line.push(`${kind} ${Math.round(rps(slice.load))} rps`);
    }
    const ratio = rps(slices.reserve[round]!.load) / rps(slices.noop[round]!.load);
    roundRatios.push(ratio);
    ctx.progress(`  round ${round + 1}/${ctx.cfg.rounds}: ${line.join(", ")} (reserve/noop ${ratio.toFixed(2)})`);
  }

  const kinds = summarizeKinds(KINDS, slices);
  return { kinds, roundRatios, seconds: (performance.now() - started) / 1000 };
}

/** Each kind's latency summary and runtime cost per request, over all its rounds' slices. */
export function summarizeKinds<K extends string>(kinds: readonly K[], slices: Record<K, Slice[]>): Record<K, KindResult> {
  return Object.fromEntries(
    kinds.map((kind) => {
      const summary = summarize(slices[kind].map((s) => s.load));
      const usage = slices[kind].reduce((u, s) => addUsage(u, s.usage), ZERO_USAGE);
      return [kind, { summary, cost: perRequest(usage, summary.requests) }];
    }),
  ) as Record<K, KindResult>;
}
