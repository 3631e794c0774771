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

/** spec §7: hash = sha256(prevHash + canonical JSON of the event). */
export function eventHash(prevHash: string, e: ChainEvent): Promise<string> {
  const event = { stream: e.stream, seq: e.seq, type: e.type, atMs: e.atMs, data: JSON.parse(e.data) as unknown };
  return sha256Hex(prevHash + canonicalJson(event));
}

/** Links consecutive events of one stream onto the chain that ends at `prevHash`. */
export async function linkEvents(prevHash: string, events: readonly ChainEvent[]): Promise<ChainedEvent[]> {
  const out: ChainedEvent[] = [];
  let prev = prevHash;
  for (const e of events) {
    const hash = await eventHash(prev, e);
    out.push({ ...e, prevHash: prev, hash });
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
