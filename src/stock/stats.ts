import type { Levels } from "../domain/types";

/** What a merchant watches during a sale (GET /v1/skus/{sku}/stats). */
export interface SkuStats {
  sku: string;
  levels: Levels;
  holds: { created: number; released: number; expired: number; committed: number; live: number };
  /** Refusals the object gave, by problem code (edge refusals never reach it). */
  refusals: Record<string, number>;
  invariantViolations: number;
  ratios: {
    /** Share of on-hand stock locked by live holds. */
    reservedOfOnHand: number | null;
    /** Share of holds that lapsed without checkout or release: abandonment. */
    expiredOfCreated: number | null;
  };
  /** Calls this instance has served since it started (resets on eviction). */
  instance: { startedAt: string; calls: number };
  escrow: EscrowStats;
}

/** Stock shards (spec §8): how the SKU is split, and the audit of its invariants across every object. */
export interface EscrowStats {
  shards: number;
  /** Units between two objects of the SKU in a transfer not yet credited. */
  inFlight: number;
  /** Refills the shards asked of the pool since their instances started. */
  poolCalls: number;
  audit: { ok: boolean; problems: string[] };
}

/** Counters of several objects of one SKU, added up. */
export function sumCounters(all: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counters of all) for (const [name, value] of Object.entries(counters)) out[name] = (out[name] ?? 0) + value;
  return out;
}

export const REFUSAL_COUNTER_PREFIX = "refused_";

export function skuStats(
  sku: string,
  levels: Levels,
  liveHolds: number,
  counters: Readonly<Record<string, number>>,
  instance: SkuStats["instance"],
  escrow: EscrowStats,
): SkuStats {
  const count = (name: string) => counters[name] ?? 0;
  const refusals: Record<string, number> = {};
  for (const [name, value] of Object.entries(counters)) {
    if (name.startsWith(REFUSAL_COUNTER_PREFIX)) refusals[name.slice(REFUSAL_COUNTER_PREFIX.length)] = value;
  }
  const created = count("holds_created");
  return {
    sku,
    levels,
    holds: {
      created,
      released: count("holds_released"),
      expired: count("holds_expired"),
      committed: count("holds_committed"),
      live: liveHolds,
    },
    refusals,
    invariantViolations: count("invariant_violations"),
    ratios: {
      reservedOfOnHand: ratio(levels.reserved, levels.onHand),
      expiredOfCreated: ratio(count("holds_expired"), created),
    },
    instance,
    escrow,
  };
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
