import { sha256Hex } from "../domain/canonical-json";
import type { ChainedEvent } from "./chain";

/**
 * Heads of the audit streams kept outside D1 (issue 25). A SKU stream's head
 * lives in its own SKU object (advanced by the outbox shipper after each D1
 * write); an order stream's hashes live in an AuditAnchorObject shard. Both
 * trail D1 by at most one write in flight, so D1 may run ahead of an anchor,
 * never behind it, and never disagree with it.
 */

/** Anchor shards for order streams: enough that one hot shard never limits order moves. */
export const ANCHOR_SHARDS = 32;

type AnchorEnv = Pick<Env, "SKU" | "AUDIT_ANCHOR">;

/** What the anchors hold for one stream: hashes by seq, and the highest anchored seq (0: none). */
export interface Anchored {
  hashes: Map<number, string>;
  headSeq: number;
}

function shardOf(stream: string): number {
  const hex = sha256Hex(stream);
  return Number.parseInt(hex.slice(0, 8), 16) % ANCHOR_SHARDS;
}

function orderAnchor(env: Pick<Env, "AUDIT_ANCHOR">, stream: string) {
  return env.AUDIT_ANCHOR.getByName(`audit-anchor-${shardOf(stream)}`);
}

/** Anchors an order stream's new events, after D1 stored them. False when an anchor holds another hash at one of their seqs. */
export async function anchorEvents(env: Pick<Env, "AUDIT_ANCHOR">, events: readonly ChainedEvent[]): Promise<boolean> {
  let agreed = true;
  for (const e of events) {
    const stub = orderAnchor(env, e.stream);
    if (!(await stub.anchor(e.stream, e.seq, e.hash, e.atMs))) agreed = false;
  }
  return agreed;
}

/** The anchored hashes of a stream; null for a kind of stream nothing anchors. */
export async function anchoredOf(env: AnchorEnv, stream: string): Promise<Anchored | null> {
  if (stream.startsWith("sku:")) {
    const head = await env.SKU.getByName(stream.slice("sku:".length)).auditHead();
    return { hashes: head.seq > 0 ? new Map([[head.seq, head.hash]]) : new Map(), headSeq: head.seq };
  }
  if (stream.startsWith("order:")) {
    const rows = await orderAnchor(env, stream).hashes(stream);
    return { hashes: new Map(rows.map((r) => [r.seq, r.hash])), headSeq: rows.at(-1)?.seq ?? 0 };
  }
  return null;
}
