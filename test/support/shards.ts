import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { objectName, shardOf } from "../../src/stock/addressing";
import { Pace } from "../../src/stock/shards/pace";
import { ADMIN, call, expectConserved } from "./helpers";

/** Helpers of the stock-shard tests (spec §8). */

export type Stub = DurableObjectStub<SkuObject>;
/** The SKU's own object (null) or one of its shards. */
export const stubOf = (sku: string, shard: number | null): Stub => env.SKU.getByName(objectName(sku, shard));

/** Sets a shard's pace as if it had held `units` just now, counted over `window_ms`. */
export async function setPace(stub: Stub, units: number, window_ms: number): Promise<void> {
  await runInDurableObject(stub, (o: SkuObject) => {
    const escrow = o.escrow as unknown as { pace: Pace };
    // Escrow's private pace: if it is renamed, fail here rather than test nothing.
    if (!(escrow.pace instanceof Pace)) throw new Error("Escrow no longer has a pace: update setPace()");
    escrow.pace = new Pace(window_ms);
    escrow.pace.add(units, Date.now());
  });
}

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
