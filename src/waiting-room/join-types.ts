import type { LineMark } from "./line";

/** What a join shard answers and is asked (./join-shard.ts): its RPC surface's types. */

/** One line's counts in a shard. */
export interface LineSurvey {
  joined: number;
  /** Admitted customers who held, admitted within the window. */
  usedRecent: number;
  usedTotal: number;
  /** Marks around and beyond the frontier: "this many places at or before here" in this shard (see ./line.ts). */
  line: LineMark[];
}

export interface ShardSurvey {
  /** Per SKU of the sale. */
  lines: Record<string, LineSurvey>;
  /** 1 while lottery entrants have no place yet (./lottery-shard.ts writes them) or the drawn lines' marks are not laid: the frontier must wait. */
  undrawn: number;
  /**
   * While `undrawn`: every drawn place at or before this one is written (the
   * draw writes places in order), so the frontier may move up to it; null
   * while none is.
   */
  through: string | null;
}

/** What the join shard needs of the queue's configuration: who decides draw membership is the shard, by its own clock. */
export interface JoinTerms {
  sku: string;
  /** The current draw's close (lottery only): a join before it, by this shard's clock, is an entrant. */
  closesAtMs: number | null;
  /** The sale (lottery only): the join stores its entrant id and leaf and adds it to the log's tree, so the close hashes no entrant (one without is hashed at the seal). */
  saleId?: string;
}

/** What the shard recorded: the ticket carries exactly this. */
export interface Joined {
  arrivalMs: number;
  inDraw: boolean;
  sku: string;
  /** The join's index in the shard's lottery log (./entrant-log.ts); null for a join to a fifo sale. */
  index: number | null;
  created: boolean;
}

/**
 * What the coordinator asks of a join shard: the object's RPC surface for that
 * role, stated here so the coordinator needs no import of the object class.
 */
export interface JoinShardCalls {
  survey(windowStartMs: number, frontiers: Record<string, string | null>): Promise<ShardSurvey>;
  nextPlaces(sku: string, after: string | null, limit: number): Promise<string[]>;
  purge(): Promise<void>;
}
