import type { Levels, SkuSnapshot } from "../../domain/types";
import { levelsOf } from "../rows";
import type { SkuLedger } from "../ledger";
import type { LocationLevels } from "../../domain/locations";
import { locationParts, wholeByLocation, type LocationPart } from "./located-parts";

/**
 * A sharded SKU is the sum of its objects (spec §8): the SKU's own
 * object (the pool) and every shard. Each reports its part; the SKU's own
 * object adds them up for views and stats, and audits the whole.
 */
export interface ShardPart {
  /** Null: the SKU's own object. */
  shard: number | null;
  levels: Levels;
  movedIn: number;
  movedOut: number;
  /** Units this object sent that are not yet posted. */
  pendingOut: number;
  liveHolds: number;
  audit: { ok: boolean; problems: string[] };
  poolCalls: number;
  /** Units between this object's locations (spec §11; the SKU's own object only). */
  inTransit?: number;
  /** A located object's locations (see ./located-parts.ts); absent when unlocated. */
  locations?: LocationPart[];
}

/** `audited`: recompute this object's invariants from its rows (O(holds): for stats and tests, not views). */
export function partOf(ledger: SkuLedger, poolCalls: number, audited: boolean): ShardPart | null {
  const sku = ledger.tables.sku();
  if (!sku) return null;
  const located = locationParts(ledger.tables);
  const pendingOut =
    ledger.tables.sql
      .exec<{ units: number | null }>("SELECT SUM(units) AS units FROM transfers WHERE direction = 'out' AND status = 'pending'")
      .one().units ?? 0;
  return {
    shard: sku.shard_index,
    levels: levelsOf(sku),
    movedIn: sku.moved_in,
    movedOut: sku.moved_out,
    pendingOut,
    liveHolds: sku.live_holds,
    audit: audited ? ledger.audit() : { ok: true, problems: [] },
    poolCalls,
    ...(sku.in_transit !== 0 && { inTransit: sku.in_transit }),
    ...(located && { locations: located }),
  };
}

export interface Whole {
  levels: Levels;
  liveHolds: number;
  /** Units debited by one object and not yet credited by another: still on hand, not yet holdable. */
  inFlight: number;
  audit: { ok: boolean; problems: string[] };
  /** On a located SKU: each location over every object (units in flight as on hand there). */
  locations?: LocationLevels[];
}

/** Adds up the parts and checks the invariants across them. */
export function wholeOf(parts: ReadonlyArray<ShardPart | null>): Whole {
  const present = parts.filter((p): p is ShardPart => p !== null);
  const sum = (f: (p: ShardPart) => number) => present.reduce((n, p) => n + f(p), 0);
  const inFlight = sum((p) => p.movedOut) - sum((p) => p.movedIn);
  const onHand = sum((p) => p.levels.onHand) + inFlight;
  const reserved = sum((p) => p.levels.reserved);
  const levels: Levels = {
    onHand,
    reserved,
    available: onHand - reserved,
    sold: sum((p) => p.levels.sold),
    received: sum((p) => p.levels.received),
    returned: sum((p) => p.levels.returned),
  };
  const problems = present.flatMap((p) => p.audit.problems.map((x) => `${p.shard === null ? "pool" : `shard ${p.shard}`}: ${x}`));
  // Every unit in flight belongs to a transfer its sender still has pending.
  if (inFlight < 0 || inFlight > sum((p) => p.pendingOut))
    problems.push(`in flight ${inFlight} not covered by pending transfers ${sum((p) => p.pendingOut)}`);
  const inTransit = sum((p) => p.inTransit ?? 0);
  if (levels.received !== levels.onHand + levels.sold + inTransit)
    problems.push(`conservation: received ${levels.received} != onHand ${levels.onHand} + sold ${levels.sold} + inTransit ${inTransit}`);
  if (reserved > onHand) problems.push(`reserved ${reserved} > onHand ${onHand}`);
  const byLocation = wholeByLocation(present, inFlight, levels);
  if (byLocation) {
    problems.push(...byLocation.problems);
    // A located SKU's available is its locations' (safety stock is never offered).
    levels.available = byLocation.locations.reduce((n, l) => n + l.available, 0);
  }
  return {
    levels,
    liveHolds: sum((p) => p.liveHolds),
    inFlight,
    audit: { ok: problems.length === 0, problems },
    ...(byLocation && { locations: byLocation.locations }),
  };
}

/** The SKU's own snapshot with the levels and status of the whole SKU. */
export function wholeSnapshot(own: SkuSnapshot, pool: ShardPart | null, shards: ReadonlyArray<ShardPart | null>): SkuSnapshot {
  const whole = wholeOf([pool, ...shards]);
  const status = own.status === "live" || own.status === "sold_out" ? (whole.levels.available > 0 ? "live" : "sold_out") : own.status;
  return { ...own, status, levels: whole.levels, liveHolds: whole.liveHolds, ...(whole.locations && { locations: whole.locations }) };
}
