import { canonicalJson, sha256Hex } from "../domain/canonical-json";

/** The `prevHash` of a stream's first event. */
export const GENESIS_HASH = "0".repeat(64);

/** One audit event as stored: `data` is canonical JSON text. */
export interface ChainEvent {
  stream: string;
  seq: number;
  type: string;
  atMs: number;
  data: string;
}

export interface ChainedEvent extends ChainEvent {
  prevHash: string;
  hash: string;
}

/**
 * An event on its way onto a chain. `body`, when given, is `JSON.parse(data)`
 * that the caller made anyway (the shipper reads every event's data for its
 * views); a body that disagrees with `data` gives a hash that verification
 * of the stored text refuses, never a silently different chain.
 */
export type LinkableEvent = ChainEvent & { body?: unknown };

/** spec §7: hash = sha256(prevHash + canonical JSON of the event). */
export function eventHash(prevHash: string, e: LinkableEvent): string {
  const data: unknown = "body" in e ? e.body : JSON.parse(e.data);
  const event = { stream: e.stream, seq: e.seq, type: e.type, atMs: e.atMs, data };
  return sha256Hex(prevHash + canonicalJson(event));
}

/** Links consecutive events of one stream onto the chain that ends at `prevHash`. */
export function linkEvents(prevHash: string, events: readonly LinkableEvent[]): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = prevHash;
  for (const e of events) {
    const hash = eventHash(prev, e);
    out.push({ stream: e.stream, seq: e.seq, type: e.type, atMs: e.atMs, data: e.data, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

export function skuStream(sku: string): string {
  return `sku:${sku}`;
}

export function orderStream(orderId: string): string {
  return `order:${orderId}`;
}
