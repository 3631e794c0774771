import type { LineMark } from "./line";
import type { LotteryView } from "./lottery";
import type { QueueMode } from "./place";

/**
 * What the sale's queue object publishes (spec §9) and the edge caches for about
 * a second: enough to answer any waiter from their ticket alone.
 */
export interface QueueState {
  saleId: string;
  mode: QueueMode;
  startsAtMs: number;
  endsAtMs: number;
  prequeueSeconds: number;
  admitSeconds: number;
  /** The lottery's current draw (./lottery.ts); null for fifo. */
  lottery: LotteryView | null;
  /**
   * The sale's join shards, fixed when its queue was first configured: a
   * deploy with another QUEUE_JOIN_SHARDS moves nobody (absent from a state
   * cached by an older build).
   */
  joinShards?: number;
  /** The sale's SKUs: a shopper queues for one of them. */
  skus: string[];
  /** Each SKU's own line: admitted within what that SKU's stock allows. */
  lines: Record<string, QueueLine>;
  /** Null while shoppers may still get a unit of some SKU; else why the queue is closed. */
  closed: "sold_out" | "ended" | null;
  /** Nothing of any SKU is available now but held units may still come back. */
  allHeld: boolean;
  admitted: number;
  waiting: number;
  /** When the queue object last moved (or checked) the frontiers. */
  atMs: number;
}

/** One SKU's line of a sale's waiting room. */
export interface QueueLine {
  /** Every place at or before it has been admitted; null: nobody yet. */
  frontier: string | null;
  /** Places at or before it were admitted longer than `admitSeconds` ago: their admission ran out. */
  expiredFrontier: string | null;
  /** The frontier's moves within the admission window, oldest first: when each place was admitted. */
  batches: Array<{ frontier: string; atMs: number }>;
  /** No unit of this SKU can come back (the rest of the sale may still sell). */
  soldOut: boolean;
  /** Nothing of this SKU is available now but held units may still come back. */
  allHeld: boolean;
  admitted: number;
  waiting: number;
  /** Sampled places of the line as of the last tick, for waiters' positions (./line.ts). */
  line: LineMark[];
}

/** A line nobody has joined yet (or a state cached by a build before lines). */
export const EMPTY_LINE: QueueLine = {
  frontier: null,
  expiredFrontier: null,
  batches: [],
  soldOut: false,
  allHeld: false,
  admitted: 0,
  waiting: 0,
  line: [],
};

export type WaiterStatus = "waiting" | "admitted" | "sold_out" | "closed";

export interface WaiterView {
  status: WaiterStatus;
  allHeld: boolean;
  /** Admitted: when the frontier reached the waiter (the admission counts from then). */
  admittedAtMs: number | null;
  /** Closed for this waiter alone: their admission ran out unused. */
  reason: "admission_expired" | "sale_ended" | null;
  retryAfterSeconds: number;
}

/** Whether a join may record a place in the SKU's line: not while the queue is closed or the item sold out (a restock reopens it). */
export function issuesPlace(state: QueueState, sku: string): boolean {
  return state.closed === null && !state.lines?.[sku]?.soldOut;
}

/** Waiters poll every this many seconds; the frontier moves about once a second. */
export const POLL_SECONDS = 2;
/** A closed queue does not change: come back much later, if at all. */
const CLOSED_RETRY_SECONDS = 60;
/** Before the sale starts, waiters poll at most this rarely. */
const PREQUEUE_RETRY_MAX_SECONDS = 10;

/**
 * A waiter's status from the published state, the line of the SKU they queue
 * for, and their place (null while their lottery draw is unrevealed), as of `now_ms`.
 */
export function waiterView(state: QueueState, line: QueueLine, place: string | null, now_ms: number): WaiterView {
  const view = (status: WaiterStatus, retryAfterSeconds: number, extra: Partial<WaiterView> = {}): WaiterView => ({
    status,
    allHeld: line.allHeld,
    admittedAtMs: null,
    reason: null,
    retryAfterSeconds,
    ...extra,
  });
  if (now_ms >= state.endsAtMs || state.closed === "ended") return view("closed", CLOSED_RETRY_SECONDS, { reason: "sale_ended" });
  if (state.closed === "sold_out" || line.soldOut) return view("sold_out", CLOSED_RETRY_SECONDS);
  if (now_ms < state.startsAtMs) {
    const until = Math.ceil((state.startsAtMs - now_ms) / 1000);
    return view("waiting", Math.max(1, Math.min(PREQUEUE_RETRY_MAX_SECONDS, until)));
  }
  if (place === null || line.frontier === null || place > line.frontier) return view("waiting", POLL_SECONDS);
  if (line.expiredFrontier !== null && place <= line.expiredFrontier) {
    return view("closed", CLOSED_RETRY_SECONDS, { reason: "admission_expired" });
  }
  const batch = line.batches.find((b) => place <= b.frontier);
  // The batches always reach the frontier; a gap would be a bug, and then the admission counts from now.
  const admittedAtMs = batch?.atMs ?? state.atMs;
  if (admittedAtMs + state.admitSeconds * 1000 <= now_ms) return view("closed", CLOSED_RETRY_SECONDS, { reason: "admission_expired" });
  return view("admitted", Math.max(1, Math.ceil((admittedAtMs + state.admitSeconds * 1000 - now_ms) / 1000)), { admittedAtMs });
}
