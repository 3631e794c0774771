import { reserveTarget, type MerchantLevels } from "./client.ts";
import { measure, type BenchContext } from "./context.ts";

/**
 * Many shoppers race for a small stock with more attempts than units. Each
 * 201 is one unit held (quantity 1), so any 201 beyond the stock is oversell.
 * The merchant view must also balance: nothing reserved beyond what is on
 * hand, and every unit received still on hand or sold.
 */

export interface OversellResult {
  stock: number;
  attempts: number;
  successes: number;
  oversell: number;
  statuses: Record<number, number>;
  levels: MerchantLevels;
  /** reserved <= onHand, received == onHand + sold, and reserved == successes. */
  accountingOk: boolean;
  seconds: number;
}

/** Attempts are bounded by count; this bounds them by time too. */
const OVERSELL_TIMEOUT_SECONDS = 120;

export async function checkOversell(ctx: BenchContext, sku: string): Promise<OversellResult> {
  const started = performance.now();
  const { oversellStock: stock, oversellAttempts: attempts } = ctx.cfg;
  await ctx.api.createSku(sku);
  await ctx.api.restock(sku, stock);

  const { load } = await measure(ctx, reserveTarget(ctx.baseUrl, sku), OVERSELL_TIMEOUT_SECONDS, { maxRequests: attempts });
  if (load.requests < attempts) throw new Error(`oversell run made ${load.requests} of ${attempts} attempts in time`);

  const levels = await ctx.api.levels(sku);
  const successes = load.created;
  const accountingOk =
    levels.reserved <= levels.onHand &&
    levels.received === levels.onHand + levels.sold &&
    levels.reserved === successes &&
    levels.available === levels.onHand - levels.reserved;
  return {
    stock,
    attempts,
    successes,
    oversell: Math.max(0, successes - stock),
    statuses: load.statuses,
    levels,
    accountingOk,
    seconds: (performance.now() - started) / 1000,
  };
}
