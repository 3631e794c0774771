import { markPlace, sampleStride, type LineMark } from "./line";
import { arrivalPlace } from "./place";

/**
 * One join shard of a sale's waiting room (spec §9): the customers whose id
 * hashes here, each with their first arrival. Joins are spread over the
 * shards, so no single object serializes them; a customer always lands in the
 * same shard, so one customer holds one place exactly.
 */
export const JOIN_SHARD_STEPS = [
  `CREATE TABLE waiters (
    customer_id TEXT PRIMARY KEY,
    arrival_ms INTEGER NOT NULL,
    in_draw INTEGER NOT NULL,
    -- null while a lottery joiner's draw is unrevealed
    place TEXT,
    admitted_at_ms INTEGER,
    used_at_ms INTEGER
  );
  CREATE INDEX waiters_by_place ON waiters (place) WHERE place IS NOT NULL;
  CREATE INDEX waiters_undrawn ON waiters (customer_id) WHERE place IS NULL;
  CREATE INDEX waiters_used ON waiters (admitted_at_ms) WHERE used_at_ms IS NOT NULL;`,
];

/** Places one call returns at most. */
export const PLACES_PER_CALL_MAX = 1_000;

export interface ShardSurvey {
  joined: number;
  /** Admitted customers who held, admitted within the window. */
  usedRecent: number;
  usedTotal: number;
  /** Lottery entrants whose place is not written yet (./lottery-shard.ts): the frontier must wait for them. */
  undrawn: number;
  /** A sample of this shard's places beyond the frontier, with their ranks (see ./line.ts). */
  line: LineMark[];
}

/**
 * What the coordinator asks of a join shard: the object's RPC surface for that
 * role, stated here so the coordinator needs no import of the object class.
 */
export interface JoinShardCalls {
  survey(windowStartMs: number, frontier: string | null): Promise<ShardSurvey>;
  nextPlaces(after: string | null, limit: number): Promise<string[]>;
}

export class JoinShard {
  constructor(private readonly sql: SqlStorage) {}

  /** The customer's first arrival; joining again changes nothing. */
  join(customerId: string, now_ms: number, joinsDraw: boolean): { arrivalMs: number; created: boolean } {
    const place = joinsDraw ? null : arrivalPlace(now_ms, customerId);
    const insert = this.sql.exec(
      "INSERT INTO waiters (customer_id, arrival_ms, in_draw, place) VALUES (?, ?, ?, ?) ON CONFLICT (customer_id) DO NOTHING",
      customerId,
      now_ms,
      joinsDraw ? 1 : 0,
      place,
    );
    const arrivalMs = this.sql
      .exec<{ arrival_ms: number }>("SELECT arrival_ms FROM waiters WHERE customer_id = ?", customerId)
      .one().arrival_ms;
    return { arrivalMs, created: insert.rowsWritten > 0 };
  }

  /** An admitted customer held: counted once, with the time of their admission. */
  markUsed(customerId: string, admittedAtMs: number, now_ms: number): void {
    this.sql.exec(
      "UPDATE waiters SET admitted_at_ms = ?, used_at_ms = ? WHERE customer_id = ? AND used_at_ms IS NULL",
      admittedAtMs,
      now_ms,
      customerId,
    );
  }

  /** Counts for the frontier. */
  survey(windowStartMs: number, frontier: string | null = null): ShardSurvey {
    const row = this.sql
      .exec<{ joined: number; used_total: number; used_recent: number; undrawn: number }>(
        `SELECT COUNT(*) AS joined,
                COUNT(used_at_ms) AS used_total,
                COALESCE(SUM(used_at_ms IS NOT NULL AND admitted_at_ms > ?), 0) AS used_recent,
                COALESCE(SUM(place IS NULL), 0) AS undrawn
         FROM waiters`,
        windowStartMs,
      )
      .one();
    return { joined: row.joined, usedRecent: row.used_recent, usedTotal: row.used_total, undrawn: row.undrawn, line: this.line(frontier) };
  }

  /** Every r-th of the places beyond the frontier and the last, with their ranks: at most LINE_SAMPLES_PER_SHARD + 1. */
  private line(frontier: string | null): LineMark[] {
    const after = frontier ?? "";
    const waiters = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM waiters WHERE place IS NOT NULL AND place > ?", after).one().n;
    if (waiters === 0) return [];
    return this.sql
      .exec<{ place: string; rank: number }>(
        `SELECT place, rank FROM (SELECT place, ROW_NUMBER() OVER (ORDER BY place) AS rank FROM waiters WHERE place IS NOT NULL AND place > ?)
         WHERE rank % ? = 0 OR rank = ?`,
        after,
        sampleStride(waiters),
        waiters,
      )
      .toArray()
      .map((r) => ({ place: markPlace(r.place), count: r.rank }));
  }

  /** The next places after `after` (exclusive), in order. */
  nextPlaces(after: string | null, limit: number): string[] {
    const n = Math.max(0, Math.min(limit, PLACES_PER_CALL_MAX));
    return this.sql
      .exec<{ place: string }>("SELECT place FROM waiters WHERE place IS NOT NULL AND place > ? ORDER BY place LIMIT ?", after ?? "", n)
      .toArray()
      .map((r) => r.place);
  }
}
