import type { Escrow, Role } from "./shards/escrow";
import { wholeOf, type ShardPart } from "./shards/parts";
import { sumCounters, type EscrowStats } from "./stats";

/** Reads of every object a stats call makes before it believes a failed cross-shard audit. */
const AUDIT_READS_MAX = 3;

/** What one object of the SKU reports to the stats. */
export interface ObjectRead {
  counters: Record<string, number>;
  part: ShardPart | null;
}

/**
 * The counters of every object of the SKU added up, and the audit of the
 * invariants across them (spec §2 and 8). The objects are read one after
 * another, so a transfer landing between two reads looks like units out of
 * nowhere: a failed audit is read again (bounded) before it is believed.
 */
export async function auditAcrossObjects(
  role: Role,
  escrow: Escrow,
  readOwn: () => ObjectRead,
): Promise<{ counters: Record<string, number>; escrow: EscrowStats }> {
  let all: ObjectRead[] = [];
  let whole = wholeOf([]);
  for (let read = 1; read <= AUDIT_READS_MAX && (read === 1 || !whole.audit.ok); read++) {
    all = [readOwn(), ...(await escrow.onShards(role, async (s) => ({ counters: await s.counters(), part: await s.part(true) })))];
    whole = wholeOf(all.map((a) => a.part));
  }
  const parts = all.map((a) => a.part);
  return {
    counters: sumCounters(all.map((a) => a.counters)),
    escrow: {
      shards: role.shards,
      inFlight: whole.inFlight,
      poolCalls: parts.reduce((n, p) => n + (p?.poolCalls ?? 0), 0),
      audit: whole.audit,
    },
  };
}
