import { sha256Hex } from "../domain/canonical-json";

/**
 * A waiter's place in line (spec §9) as one string that sorts in admission
 * order: `0:<draw key>` for a lottery's pre-queue, drawn from the revealed
 * seed, then `1:<arrival ms, 15 digits>:<customer id>` for everyone else, in
 * arrival order (the customer id breaks ties). The frontier is such a string:
 * every place at or before it is admitted.
 */
export type QueueMode = "fifo" | "lottery";

const ARRIVAL_DIGITS = 15;

/** The algorithm `GET /v1/sales/{saleId}/queue/draw` names, so anyone can recompute the order. */
export const DRAW_ALGORITHM =
  "Pre-queue joiners are ordered by sha256_hex(seed + ':' + saleId + ':' + customerId) ascending; later arrivals follow in arrival order. commitment = sha256_hex(seed).";
export const FIFO_ALGORITHM = "Arrival order: the time of the customer's first join, ties broken by customer id.";

export function arrivalPlace(arrival_ms: number, customerId: string): string {
  return `1:${String(arrival_ms).padStart(ARRIVAL_DIGITS, "0")}:${customerId}`;
}

export function drawKey(seed: string, saleId: string, customerId: string): Promise<string> {
  return sha256Hex(`${seed}:${saleId}:${customerId}`);
}

export function drawPlace(key: string): string {
  return `0:${key}`;
}

/** Whether a join at `arrival_ms` takes part in the draw rather than queueing by arrival. */
export function inDraw(mode: QueueMode, arrival_ms: number, startsAtMs: number): boolean {
  return mode === "lottery" && arrival_ms < startsAtMs;
}

/**
 * The customer's place, or null while their draw is not yet revealed.
 * `drawn`: whether their join shard recorded them in the draw (the ticket
 * says so); the edge's own view of the clock never decides it.
 */
export async function placeOf(
  q: { saleId: string; seed: string | null },
  customerId: string,
  arrival_ms: number,
  drawn: boolean,
): Promise<string | null> {
  if (!drawn) return arrivalPlace(arrival_ms, customerId);
  return q.seed === null ? null : drawPlace(await drawKey(q.seed, q.saleId, customerId));
}

export function newSeed(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
}
