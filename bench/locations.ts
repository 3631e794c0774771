import { holdsUrl, type Target } from "./client.ts";
import { summarizeKinds, type KindResult } from "./compare.ts";
import { measure, rps, type BenchContext, type Slice } from "./context.ts";
import type { Shopper } from "./tokens.ts";

/**
 * Locations (spec §11), what allocation costs: holds on a SKU stocked at five
 * locations against the same holds on a SKU stocked at one, and on an
 * unlocated SKU, over HTTP in alternating slices like phase 1. Every hold
 * names a destination (`shipTo`, one of five cities in turn), so the five-
 * location SKU routes each hold to its nearest warehouse (haversine over the
 * candidates, inside the hold's transaction) while the one-location SKU has a
 * single candidate. Each slice's holds are restocked afterwards, untimed, at
 * the location that lost them, so every slice starts with the same stock.
 */

export const LOCATION_KINDS = ["five", "one", "unlocated"] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/** Five warehouses, each beside one destination city: nearest routing has one right answer per hold. */
const SITES = [
  { id: "bench-ams", name: "Amsterdam", country: "NL", latitude: 52.37, longitude: 4.9 },
  { id: "bench-nyc", name: "New York", country: "US", latitude: 40.71, longitude: -74.0 },
  { id: "bench-sin", name: "Singapore", country: "SG", latitude: 1.35, longitude: 103.82 },
  { id: "bench-syd", name: "Sydney", country: "AU", latitude: -33.87, longitude: 151.21 },
  { id: "bench-sao", name: "São Paulo", country: "BR", latitude: -23.55, longitude: -46.63 },
] as const;

/** Destinations a few km from each site, serialized once: the load loop spends no client CPU on JSON. */
const BODIES = SITES.map((s) =>
  JSON.stringify({ quantity: 1, shipTo: { country: s.country, latitude: s.latitude + 0.05, longitude: s.longitude - 0.05 } }),
);

export interface LocationsCompareResult {
  kinds: Record<LocationKind, KindResult>;
  /** five rps / one rps within each round, from adjacent slices. */
  roundRatios: number[];
  /** Reserved units per location of the five-location SKU at the end: how the holds were spread. */
  spread: Record<string, number>;
  /** Holds that did not go to the site nearest their destination (all holds of the five-location SKU, by their reply). */
  misrouted: number;
  routedHolds: number;
  /** The same five sites on a SKU split across SHARDED_SHARDS stock shards (spec §8, §11): misrouting by the shards' allotments. */
  sharded: { shards: number; routedHolds: number; misrouted: number; rps: number; auditOk: boolean; auditProblems: string[] };
  seconds: number;
}

/** issue 19 item 8: misrouted_holds_ratio on an 8-shard, 5-location SKU. */
const SHARDED_SHARDS = 8;

/** POST a hold with the next city's shipTo, round robin; checks where a 201 was allocated when `expect` is given. */
function shipToTarget(baseUrl: string, sku: string, tally?: { routed: number; misrouted: number }): Target {
  const url = holdsUrl(baseUrl, sku);
  let next = 0;
  return async (shopper: Shopper) => {
    const i = next++ % BODIES.length;
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: shopper.authorization, "content-type": "application/json" },
      body: BODIES[i],
    });
    if (tally && res.status === 201) {
      const hold = (await res.json()) as { allocations?: { location: string }[] };
      tally.routed++;
      if (hold.allocations?.[0]?.location !== SITES[i]!.id) tally.misrouted++;
    } else {
      await res.arrayBuffer();
    }
    return { status: res.status };
  };
}

export async function compareLocations(ctx: BenchContext, skus: Record<LocationKind, string>): Promise<LocationsCompareResult> {
  const started = performance.now();
  const stock = ctx.cfg.shardStock;
  for (const site of SITES) {
    const { id, ...profile } = site;
    await ctx.api.putLocation(id, profile);
  }
  for (const kind of LOCATION_KINDS) await ctx.api.createSku(skus[kind]);
  for (const site of SITES) await ctx.api.stockAt(skus.five, site.id, stock);
  await ctx.api.stockAt(skus.one, SITES[0].id, stock * SITES.length);
  await ctx.api.restock(skus.unlocated, stock * SITES.length);

  const tally = { routed: 0, misrouted: 0 };
  const targets: Record<LocationKind, Target> = {
    five: shipToTarget(ctx.baseUrl, skus.five, tally),
    one: shipToTarget(ctx.baseUrl, skus.one),
    unlocated: shipToTarget(ctx.baseUrl, skus.unlocated),
  };
  // What a slice held goes back where it came from, untimed, so each slice starts level.
  const refillAt = async (sku: string, before: Record<string, number>) => {
    const after = await ctx.api.reservedByLocation(sku);
    for (const [location, reserved] of Object.entries(after)) {
      const taken = reserved - (before[location] ?? 0);
      if (taken > 0) await ctx.api.stockAt(sku, location, taken);
    }
  };
  const refill = async (kind: LocationKind, created: number, before: Record<string, number>) =>
    kind === "unlocated" ? ctx.api.restock(skus.unlocated, created) : refillAt(skus[kind], before);

  for (const kind of LOCATION_KINDS) {
    if (ctx.cfg.warmupSeconds <= 0) break;
    const before = kind === "unlocated" ? {} : await ctx.api.reservedByLocation(skus[kind]);
    const { load } = await measure(ctx, targets[kind], ctx.cfg.warmupSeconds);
    await refill(kind, load.created, before);
  }
  tally.routed = 0;
  tally.misrouted = 0;

  const slices: Record<LocationKind, Slice[]> = { five: [], one: [], unlocated: [] };
  const roundRatios: number[] = [];
  for (let round = 0; round < ctx.cfg.shardRounds && !ctx.signal.aborted; round++) {
    const order = round % 2 === 0 ? LOCATION_KINDS : ([...LOCATION_KINDS].reverse() as LocationKind[]);
    const line: string[] = [];
    for (const kind of order) {
      const before = kind === "unlocated" ? {} : await ctx.api.reservedByLocation(skus[kind]);
      const slice = await measure(ctx, targets[kind], ctx.cfg.shardSeconds);
      slices[kind].push(slice);
      await refill(kind, slice.load.created, before);
      line.push(`${kind} ${Math.round(rps(slice.load))} rps`);
    }
    const ratio = rps(slices.five[round]!.load) / rps(slices.one[round]!.load);
    roundRatios.push(ratio);
    ctx.progress(`  round ${round + 1}/${ctx.cfg.shardRounds}: ${line.join(", ")} (five/one ${ratio.toFixed(2)})`);
  }

  const sharded = await shardedMisrouting(ctx, `${skus.five}-x${SHARDED_SHARDS}`, refillAt);
  return {
    kinds: summarizeKinds(LOCATION_KINDS, slices),
    roundRatios,
    spread: await ctx.api.reservedByLocation(skus.five),
    misrouted: tally.misrouted,
    routedHolds: tally.routed,
    sharded,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The five sites' holds on a SKU split across shards: each shard allocates
 * among its own per-location allotments and asks the pool once per hold for
 * the site its policy prefers; a hold that lands elsewhere while the SKU still
 * has units at its nearest site is misrouted. Each slice is restocked where
 * it took units, so stock lasts throughout.
 */
async function shardedMisrouting(
  ctx: BenchContext,
  sku: string,
  refillAt: (sku: string, before: Record<string, number>) => Promise<void>,
): Promise<LocationsCompareResult["sharded"]> {
  await ctx.api.createSku(sku, SHARDED_SHARDS);
  for (const site of SITES) await ctx.api.stockAt(sku, site.id, ctx.cfg.shardStock);
  const tally = { routed: 0, misrouted: 0 };
  const target = shipToTarget(ctx.baseUrl, sku, tally);
  let created = 0;
  let seconds = 0;
  for (let round = 0; round < ctx.cfg.shardRounds && !ctx.signal.aborted; round++) {
    const before = await ctx.api.reservedByLocation(sku);
    const slice = await measure(ctx, target, ctx.cfg.shardSeconds);
    created += slice.load.created;
    seconds += ctx.cfg.shardSeconds;
    await refillAt(sku, before);
  }
  const escrow = await ctx.api.escrow(sku);
  ctx.progress(`  ${SHARDED_SHARDS} shards at five sites: misrouted ${tally.misrouted} of ${tally.routed} holds`);
  return {
    shards: SHARDED_SHARDS,
    routedHolds: tally.routed,
    misrouted: tally.misrouted,
    rps: seconds > 0 ? created / seconds : 0,
    auditOk: escrow.audit.ok,
    auditProblems: escrow.audit.problems.slice(0, 5),
  };
}
