import type { DrizzleD1Database } from "drizzle-orm/d1";
import { auditEvents } from "../db/schema";
import type { ChainedEvent } from "./chain";

/**
 * Insert statements for chained events, for a caller's `db.batch`. Plain
 * inserts: appending a seq that exists fails the whole batch, which is how a
 * second writer of a stream (or a stale one) is refused.
 */
export function insertEvents(db: DrizzleD1Database, events: readonly ChainedEvent[]) {
  return events.map((e) =>
    db.insert(auditEvents).values({
      stream: e.stream,
      seq: e.seq,
      type: e.type,
      atMs: e.atMs,
      data: e.data,
      prevHash: e.prevHash,
      hash: e.hash,
    }),
  );
}

/**
 * Idempotent variant for writers that may resend what they already stored
 * (the SKU objects' outbox shipper): the same (stream, seq) is stored once.
 */
export function insertEventsOnce(db: DrizzleD1Database, events: readonly ChainedEvent[]) {
  return events.map((e) =>
    db
      .insert(auditEvents)
      .values({ stream: e.stream, seq: e.seq, type: e.type, atMs: e.atMs, data: e.data, prevHash: e.prevHash, hash: e.hash })
      .onConflictDoNothing(),
  );
}
