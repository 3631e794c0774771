import { expect } from "vitest";
import { shardOf } from "../../src/stock/addressing";
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
