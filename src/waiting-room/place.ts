import { sha256Hex } from "./merkle";

/**
 * A waiter's place in line (spec §9) as one string that sorts in admission
 * order: `0:<draw key>` for a lottery's pre-queue, drawn from the beacon's
 * randomness, then `1:<arrival ms, 15 digits>:<customer id>` for everyone
 * else, in arrival order (the customer id breaks ties). The frontier is such
 * a string: every place at or before it is admitted.
 */
export type QueueMode = "fifo" | "lottery";

const ARRIVAL_DIGITS = 15;

/** The algorithm `GET /v1/sales/{saleId}/queue/draw` names, so anyone can recompute the order (docs/waiting-room.md has the steps). */
export const DRAW_ALGORITHM =
  "entrantId = sha256_hex('holdfast-entrant:' + saleId + ':' + customerId). The entrants (pre-queue joiners before closesAt) are committed per join shard as a Merkle tree over their sorted entrant ids, each with the item whose line they entered (leaf = sha256(0x00 || id || utf8(sku)), node = sha256(0x01 || left || right), an unpaired node moves up, empty = sha256('')); root = the same tree over the shard roots in shard order. randomness = the beacon round's (drand, verified by its BLS signature; randomness = sha256(signature)). Entrants are ordered by sha256_hex(randomness + ':' + entrantId) ascending; later arrivals follow in arrival order.";
export const FIFO_ALGORITHM = "Arrival order: the time of the customer's first join, ties broken by customer id.";

/** What decides whether a join takes part in the draw and where a drawn entrant stands: the published state's terms. */
export interface DrawTerms {
  mode: QueueMode;
  saleId: string;
  /** The current draw (lottery only): joins before `closesAtMs` are entrants; `randomness` once the beacon round is in. */
  lottery: { closesAtMs: number; randomness: string | null } | null;
}

export function arrivalPlace(arrival_ms: number, customerId: string): string {
  return `1:${String(arrival_ms).padStart(ARRIVAL_DIGITS, "0")}:${customerId}`;
}

/** The customer's public name in the draw: the entrant list shows this, never the customer id. */
export function entrantId(saleId: string, customerId: string): string {
  return sha256Hex(`holdfast-entrant:${saleId}:${customerId}`);
}

export function drawKey(randomness: string, entrant: string): string {
  return sha256Hex(`${randomness}:${entrant}`);
}

export function drawPlace(key: string): string {
  return `0:${key}`;
}

/** Whether a join at `arrival_ms` takes part in the draw rather than queueing by arrival. */
export function inDraw(q: DrawTerms, arrival_ms: number): boolean {
  return q.mode === "lottery" && q.lottery !== null && arrival_ms < q.lottery.closesAtMs;
}

/** The customer's place, or null while their draw is not yet revealed. */
export function placeOf(q: DrawTerms, customerId: string, arrival_ms: number): string | null {
  if (!inDraw(q, arrival_ms)) return arrivalPlace(arrival_ms, customerId);
  const randomness = q.lottery?.randomness ?? null;
  return randomness === null ? null : drawPlace(drawKey(randomness, entrantId(q.saleId, customerId)));
}
