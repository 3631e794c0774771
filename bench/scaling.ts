import { reserveTarget } from "./client.ts";
import { measure, prefillHolds, rps, type BenchContext, type Slice } from "./context.ts";
import { addUsage, perRequest, ZERO_USAGE } from "./resources.ts";
import { summarize } from "./stats.ts";
import type { KindResult } from "./compare.ts";

/**
 * Does reserve slow down as live holds pile up? Two SKUs, one holding many
 * live holds and one holding few, take reserves in alternating slices. After
 * each slice the holds it created are released (untimed), so every slice
 * starts at its nominal number of live holds instead of drifting upwards.
 */

export interface ScaleResult {
  small: KindResult & { liveHolds: number };
  big: KindResult & { liveHolds: number };
  seconds: number;
}

export async function compareHoldCounts(ctx: BenchContext, bigSku: string, smallSku: string): Promise<ScaleResult> {
  const started = performance.now();
  const { holdsBig, holdsSmall } = ctx.cfg;

  // The big SKU is the hot SKU of the previous phase: it already holds that
  // phase's holds, which saves re-creating them one request at a time.
  const already = (await ctx.api.levels(bigSku)).liveHolds;
  ctx.progress(`  ${bigSku} has ${already} live holds; topping up to ${holdsBig}`);
  await prefillHolds(ctx, reserveTarget(ctx.baseUrl, bigSku), holdsBig - already);

  await ctx.api.createSku(smallSku);
  await ctx.api.restock(smallSku, holdsSmall + 1_000_000);
  await prefillHolds(ctx, reserveTarget(ctx.baseUrl, smallSku), holdsSmall);

  const skus = { small: smallSku, big: bigSku };
  const startHolds = {
    small: (await ctx.api.levels(smallSku)).liveHolds,
    big: (await ctx.api.levels(bigSku)).liveHolds,
  };
  const slices: { small: Slice[]; big: Slice[] } = { small: [], big: [] };
  for (let round = 0; round < ctx.cfg.scaleRounds && !ctx.signal.aborted; round++) {
    const order: Array<"small" | "big"> = round % 2 === 0 ? ["small", "big"] : ["big", "small"];
    const line: string[] = [];
    for (const which of order) {
      const sku = skus[which];
      const slice = await measure(ctx, reserveTarget(ctx.baseUrl, sku, true), ctx.cfg.scaleSeconds, { collectHoldIds: true });
      slices[which].push(slice);
      line.push(`${which === "small" ? holdsSmall : holdsBig} holds ${Math.round(rps(slice.load))} rps`);
      await ctx.api.releaseAll(sku, slice.load.holdIds, ctx.shoppers.length);
      const live = (await ctx.api.levels(sku)).liveHolds;
      if (live !== startHolds[which]) throw new Error(`${sku} has ${live} live holds after cleanup, expected ${startHolds[which]}`);
    }
    ctx.progress(`  round ${round + 1}/${ctx.cfg.scaleRounds}: ${line.join(", ")}`);
  }

  const result = (which: "small" | "big") => {
    const summary = summarize(slices[which].map((s) => s.load));
    const usage = slices[which].reduce((u, s) => addUsage(u, s.usage), ZERO_USAGE);
    return { summary, cost: perRequest(usage, summary.requests), liveHolds: startHolds[which] };
  };
  return { small: result("small"), big: result("big"), seconds: (performance.now() - started) / 1000 };
}
