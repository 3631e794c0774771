import { sha256Hex } from "../domain/canonical-json";
import { drawShuffle } from "./shuffle";

/**
 * A waiter's place in line (spec §9) as one string that sorts in admission
 * order: `0:<place in the draw, 16 digits>` for a lottery's pre-queue, drawn
 * from the beacon's randomness (./shuffle.ts), then `1:<arrival ms, 15 digits>:<customer id>` for everyone
 * else, in arrival order (the customer id breaks ties). The frontier is such
 * a string: every place at or before it is admitted.
 */
export type QueueMode = "fifo" | "lottery";

const ARRIVAL_DIGITS = 15;

/** The algorithm `GET /v1/sales/{saleId}/queue/draw` names, so anyone can recompute the order (docs/waiting-room.md has the steps). */
export const DRAW_ALGORITHM =
  "entrantId = sha256_hex('holdfast-entrant:' + saleId + ':' + customerId). The entrants (pre-queue joiners before closesAt) are committed per join shard as an RFC 6962 Merkle tree over their entries in join order (the entrant list's order), each with the item whose line they entered (leaf = sha256(0x00 || id || utf8(sku)), node = sha256(0x01 || left || right), left subtree = the largest power of two below the count, empty = sha256('')); root = the same tree over the shard roots in shard order. randomness = the beacon round's (drand, verified by its BLS signature; randomness = sha256(signature)). An entrant's global index j = the entrants of the shards before theirs + their index in their shard's list; n = all entrants. Their place = E(j), then E again while >= n, where w = bit length of n-1, h = max(1, ceil(w/2)), F(r, x) = int(sha256_hex(randomness + ':' + r + ':' + x)[0:8], 16) mod 2^h, and E(x): L = x >> h, R = x mod 2^h; for r = 0..9: (L, R) = (R, L xor F(r, R)); E(x) = L * 2^h + R. Places ascending; later arrivals follow in arrival order.";
export const FIFO_ALGORITHM = "Arrival order: the time of the customer's first join, ties broken by customer id.";

/** What decides whether a join takes part in the draw and where a drawn entrant stands: the published state's terms. */
export interface DrawTerms {
  mode: QueueMode;
  saleId: string;
  /** The current draw (lottery only): joins before `closesAtMs` are entrants; each shard's count from the close; `randomness` once the beacon round is in. */
  lottery: { closesAtMs: number; randomness: string | null; shards?: ReadonlyArray<{ entrants: number }> | null } | null;
}

export function arrivalPlace(arrival_ms: number, customerId: string): string {
  return `1:${String(arrival_ms).padStart(ARRIVAL_DIGITS, "0")}:${customerId}`;
}

/** The customer's public name in the draw: the entrant list shows this, never the customer id. */
export function entrantId(saleId: string, customerId: string): string {
  return sha256Hex(`holdfast-entrant:${saleId}:${customerId}`);
}

const DRAW_PLACE_DIGITS = 16;

/** The place of the entrant the draw puts at `rank` (0: first). */
export function drawPlace(rank: number): string {
  return `0:${String(rank).padStart(DRAW_PLACE_DIGITS, "0")}`;
}

/** Whether a join at `arrival_ms` takes part in the draw rather than queueing by arrival. */
export function inDraw(q: DrawTerms, arrival_ms: number): boolean {
  return q.mode === "lottery" && q.lottery !== null && arrival_ms < q.lottery.closesAtMs;
}

/** What a ticket says of its holder's join: who, when, and (a lottery join) their join shard and index in its log. */
export interface JoinRecord {
  customerId: string;
  arrivalMs: number;
  /** The join shard and the index it logged the join at; absent on a ticket issued before the log (docs/waiting-room.md). */
  shard?: number;
  index?: number;
}

/**
 * The customer's place, or null while their draw is not yet revealed (or
 * their ticket does not say where they are in it). A drawn place follows from
 * the published commitment and randomness alone, so the edge computes it.
 */
export function placeOf(q: DrawTerms, join: JoinRecord): string | null {
  if (!inDraw(q, join.arrivalMs)) return arrivalPlace(join.arrivalMs, join.customerId);
  const l = q.lottery;
  if (!l || l.randomness === null || !l.shards || join.shard === undefined || join.index === undefined) return null;
  const counts = l.shards.map((s) => s.entrants);
  if (join.shard >= counts.length || join.index >= counts[join.shard]!) return null;
  const before = counts.slice(0, join.shard).reduce((a, b) => a + b, 0);
  const n = counts.reduce((a, b) => a + b, 0);
  return drawPlace(drawShuffle(l.randomness, n).placeOf(before + join.index));
}
