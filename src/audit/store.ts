import { and, desc, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { auditEvents } from "../db/schema";
import { statementChunks } from "../db/chunks";
import { columnsOf, Shaped, type PlaceholderRow } from "../db/shaped";
import { GENESIS_HASH, linkEvents, type ChainedEvent } from "./chain";

type EventRow = typeof auditEvents.$inferInsert;

/** An event as its D1 row. */
const eventRow = (e: ChainedEvent): EventRow => ({
  stream: e.stream,
  seq: e.seq,
  type: e.type,
  atMs: e.atMs,
  data: e.data,
  prevHash: e.prevHash,
  hash: e.hash,
});

/**
 * Insert statements for chained events, for a caller's `db.batch`. Plain
 * inserts: appending a seq that exists fails the whole batch, which is how a
 * second writer of a stream (or a stale one) is refused.
 */
export function insertEvents(db: DrizzleD1Database, events: readonly ChainedEvent[]) {
  return events.map((e) => db.insert(auditEvents).values(eventRow(e)));
}

/**
 * Idempotent variant for writers that may resend what they already stored
 * (`appendEvent`; the SKU objects' shipper sends the same statement through
 * `shippedEventStatements`): the same (stream, seq) is stored once. Many
 * events go in one statement (as many as D1 binds), since a shipped batch of
 * a hundred events is otherwise a hundred statements to build and run.
 */
export function insertEventsOnce(db: DrizzleD1Database, events: readonly ChainedEvent[]) {
  return statementChunks(events.map(eventRow), columnsOf(auditEvents).length).map((chunk) => insertOnce(db, chunk));
}

function insertOnce(db: DrizzleD1Database, rows: Array<EventRow | PlaceholderRow<EventRow>>) {
  return db.insert(auditEvents).values(rows).onConflictDoNothing();
}

const eventsOnce = new Shaped<EventRow>(columnsOf(auditEvents), insertOnce);

/** `insertEventsOnce` as D1 statements whose SQL is built once per size (src/db/shaped.ts), for a writer that ships often. */
export function shippedEventStatements(d1: D1Database, events: readonly ChainedEvent[]): D1PreparedStatement[] {
  return eventsOnce.statements(d1, events.map(eventRow));
}

type EventAt = { stream: string; seq: number };

const hashAt = new Shaped<EventAt>(["stream", "seq"], (db, [at]) =>
  db
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .where(and(eq(auditEvents.stream, at!.stream), eq(auditEvents.seq, at!.seq))),
);

/** Reads the hash stored at (stream, seq): its row, `{ hash }`, is the statement's first result, or none. */
export function storedHashStatement(d1: D1Database, at: EventAt): D1PreparedStatement {
  return hashAt.statement(d1, [at]);
}

/** Writers racing to append one event to the same stream; past this many lost races the append gives up. */
const APPEND_ATTEMPTS_MAX = 4;

/**
 * Appends one event to a stream that no row's version orders (e.g. a
 * reconciliation's runs): reads the head, links onto it, and inserts unless
 * another writer took that seq first, in which case it reads the new head.
 * The stored event, or null when it kept losing the race.
 */
export async function appendEvent(
  db: DrizzleD1Database,
  event: { stream: string; type: string; atMs: number; data: string },
): Promise<ChainedEvent | null> {
  for (let attempt = 1; attempt <= APPEND_ATTEMPTS_MAX; attempt++) {
    const [head] = await db
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(eq(auditEvents.stream, event.stream))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const [chained] = linkEvents(head?.hash ?? GENESIS_HASH, [{ ...event, seq: (head?.seq ?? 0) + 1 }]);
    const inserted = await insertEventsOnce(db, [chained!])[0]!;
    if (inserted.meta.changes > 0) return chained!;
  }
  return null;
}
