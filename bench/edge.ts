import { cacheMatchTarget, echoTarget, holdAttemptTarget, publicReadTarget, type Target } from "./client.ts";
import { summarizeKinds, type KindResult } from "./compare.ts";
import { measure, rps, type BenchContext, type Slice } from "./context.ts";

/**
 * What the edge answers without a SKU object, against an echo route measured
 * in the same runtime and run:
 *
 *   read     anonymous GET /v1/skus/{sku} of a live SKU. After the first miss
 *            per cache TTL these are Cache API hits (`holdfast-cache: hit`).
 *   soldout  shoppers' POST /v1/skus/{sku}/holds on a sold-out SKU: JWT, zod,
 *            both rate-limiter calls, then the cached sold-out verdict answers
 *            409 without the object (`holdfast-cache: hit`) until the verdict's
 *            TTL runs out and the next attempt asks the object again.
 *   echo     GET /__bench/echo: a small JSON reply from the bench Worker, no
 *            object, no cache, no middleware. The ceiling.
 *   cache    GET /__bench/cache-match/{key}: the echo plus one Cache API lookup
 *            that hits. Miniflare serves the Cache API from a separate local
 *            service (a Durable Object with SQLite and blob files), so this is
 *            what one lookup costs here, apart from the product's code.
 *
 * Kinds alternate in slices in a rotating order, as in compare.ts.
 */

export const EDGE_KINDS = ["read", "echo", "cache", "soldout"] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export interface EdgeResult {
  kinds: Record<EdgeKind, KindResult>;
  /** read rps / echo rps and soldout rps / echo rps within each round. */
  roundRatios: { read: number[]; soldout: number[] };
  liveSku: string;
  soldOutSku: string;
  seconds: number;
}

/** Stock of the live SKU; reads never change it. */
const LIVE_STOCK = 1_000;

/** Units of the sold-out SKU, all held with keys before the phase starts. */
const SOLD_OUT_STOCK = 200;

export async function compareEdge(ctx: BenchContext, skus: { live: string; soldOut: string }): Promise<EdgeResult> {
  const started = performance.now();
  await ctx.api.createSku(skus.live);
  await ctx.api.restock(skus.live, LIVE_STOCK);
  // Sold out the ordinary way: every unit held under an Idempotency-Key, so the
  // edge's verdict carries a filter of accepted keys that every attempt is tested against.
  await ctx.api.createSku(skus.soldOut);
  await ctx.api.restock(skus.soldOut, SOLD_OUT_STOCK);
  const keyedHold = holdAttemptTarget(ctx.baseUrl, skus.soldOut);
  for (let i = 0; i < SOLD_OUT_STOCK; i++) {
    const held = await keyedHold(ctx.shoppers[i % ctx.shoppers.length]!);
    if (held.status !== 201) throw new Error(`could not hold unit ${i} of ${skus.soldOut}: ${held.status}`);
  }
  const levels = await ctx.api.levels(skus.soldOut);
  if (levels.available !== 0) throw new Error(`${skus.soldOut} is not sold out: ${JSON.stringify(levels)}`);

  const targets: Record<EdgeKind, Target> = {
    read: publicReadTarget(ctx.baseUrl, skus.live),
    echo: echoTarget(ctx.baseUrl),
    cache: cacheMatchTarget(ctx.baseUrl, "edge-probe"),
    soldout: holdAttemptTarget(ctx.baseUrl, skus.soldOut),
  };

  for (const kind of EDGE_KINDS) {
    if (ctx.cfg.edgeWarmupSeconds <= 0) break;
    const { load } = await measure(ctx, targets[kind], ctx.cfg.edgeWarmupSeconds);
    ctx.progress(`  warm-up ${kind}: ${Math.round(rps(load))} rps`);
  }

  const slices: Record<EdgeKind, Slice[]> = { read: [], echo: [], cache: [], soldout: [] };
  const roundRatios: EdgeResult["roundRatios"] = { read: [], soldout: [] };
  for (let round = 0; round < ctx.cfg.edgeRounds && !ctx.signal.aborted; round++) {
    const order = EDGE_KINDS.map((_, i) => EDGE_KINDS[(i + round) % EDGE_KINDS.length]!);
    const line: string[] = [];
    for (const kind of order) {
      const slice = await measure(ctx, targets[kind], ctx.cfg.edgeSeconds);
      slices[kind].push(slice);
      const hits = slice.load.cache.hit ?? 0;
      line.push(`${kind} ${Math.round(rps(slice.load))} rps${kind === "echo" ? "" : ` (${pct(hits, slice.load.requests)} hit)`}`);
    }
    const echo = rps(slices.echo[round]!.load);
    roundRatios.read.push(rps(slices.read[round]!.load) / echo);
    roundRatios.soldout.push(rps(slices.soldout[round]!.load) / echo);
    ctx.progress(`  round ${round + 1}/${ctx.cfg.edgeRounds}: ${line.join(", ")}`);
  }

  const kinds = summarizeKinds(EDGE_KINDS, slices);
  return { kinds, roundRatios, liveSku: skus.live, soldOutSku: skus.soldOut, seconds: (performance.now() - started) / 1000 };
}

/** Share of replies that carried `holdfast-cache: hit`. */
export function hitRatio(k: KindResult): number {
  return k.summary.requests > 0 ? (k.summary.cache.hit ?? 0) / k.summary.requests : Number.NaN;
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "-";
}
