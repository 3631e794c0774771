import { and, desc, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { auditEvents } from "../db/schema";
import { GENESIS_HASH, type ChainedEvent } from "./chain";

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

/** The stream's last event, for the next append. */
export async function streamHead(db: DrizzleD1Database, stream: string): Promise<{ seq: number; hash: string }> {
  const [last] = await db
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(and(eq(auditEvents.stream, stream)))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return last ?? { seq: 0, hash: GENESIS_HASH };
}
