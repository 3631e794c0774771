import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { objectName, shardOf } from "../../src/stock/addressing";
import { ADMIN, call, expectConserved } from "./helpers";

/** Helpers of the stock-shard tests (spec §8). */

export async function setShards(sku: string, shards: number) {
  const res = await call(`/v1/skus/${sku}`, {
    method: "PUT",
    auth: ADMIN,
    body: { name: `Test ${sku}`, price: { amount: 1999, currency: "usd" }, alwaysOn: true, shards },
  });
  expect(res.status).toBe(200);
  expect(res.body.shards).toBe(shards);
  return res.body;
}

export async function escrowStats(sku: string) {
  const res = await call(`/v1/skus/${sku}/stats`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body as {
    levels: Record<string, number>;
    escrow: { shards: number; inFlight: number; poolCalls: number; audit: { ok: boolean; problems: string[] } };
  };
}

export async function expectWholeAudited(sku: string) {
  const stats = await escrowStats(sku);
  expect(stats.escrow.audit).toEqual({ ok: true, problems: [] });
  expectConserved(stats.levels as never);
  return stats;
}

/** Customer ids that all land on one shard of `shards`. */
export function customersOnShard(shard: number, shards: number, count: number, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count && i < 100_000; i++) if (shardOf(`${prefix}${i}`, shards) === shard) out.push(`${prefix}${i}`);
  return out;
}

/**
 * The cross-shard per-customer audit: units a customer holds or bought in the
 * SKU's sales, over the pool and every shard that ever existed (a limit is per
 * customer across the whole SKU, spec §8; each object alone cannot see it).
 */
export async function customerUsageAcross(sku: string, customerId: string): Promise<number> {
  const span = (await escrowStats(sku)).escrow.shards;
  const names = [sku, ...Array.from({ length: Math.max(span, MAX_SPAN) }, (_, i) => objectName(sku, i))];
  const used = await Promise.all(
    names.map(async (name) => {
      const prior = await env.SKU.getByName(name).priorHere(customerId, null);
      return Object.values(prior.usage).reduce((a, b) => a + b, 0);
    }),
  );
  return used.reduce((a, b) => a + b, 0);
}

/** Shards a test SKU may ever have had (the audit asks each; an object never created answers nothing). */
const MAX_SPAN = 8;
