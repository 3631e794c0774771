import { sql, type SQL } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { GENESIS_HASH, linkEvents, type ChainedEvent } from "../audit/chain";
import { canonicalJson } from "../domain/canonical-json";
import type { LocationProfile } from "../domain/locations";
import type { MerchantActor } from "../domain/roles";
import { auditEvents, type LocationRow } from "../db/schema";

/**
 * The registry's changes in the audit log (spec §7, §11): one event per
 * real change of a location, in its stream `location:<id>`, written in the
 * D1 batch that changes the row (src/locations/registry.ts), so a location
 * never changes without its event nor gains an event for a change that did
 * not happen.
 */

export function locationStream(locationId: string): string {
  return `location:${locationId}`;
}

/** The fields a PUT sets, in the order the events list them. */
const FIELDS = ["name", "country", "latitude", "longitude", "fulfillsOnline", "pickup", "priority", "status"] as const;

type Fields = Partial<Pick<LocationProfile, (typeof FIELDS)[number]>>;

/** `before`/`after` of a change: every field on a creation (before null), else only those that changed. */
export function changeOf(current: LocationRow | null, input: Required<Fields>): { before: Fields | null; after: Fields } {
  if (!current) return { before: null, after: Object.fromEntries(FIELDS.map((f) => [f, input[f]])) };
  const changed = FIELDS.filter((f) => current[f] !== input[f]);
  return {
    before: Object.fromEntries(changed.map((f) => [f, current[f]])),
    after: Object.fromEntries(changed.map((f) => [f, input[f]])),
  };
}

/** The change's event, linked after the stream's head as read with the row (null head: the stream's first). */
export function locationEvent(
  head: { seq: number; hash: string } | null,
  change: { locationId: string; revision: number; before: Fields | null; after: Fields; actor: MerchantActor; now_ms: number },
): ChainedEvent {
  const { locationId, revision, before, after, actor, now_ms } = change;
  const [event] = linkEvents(head?.hash ?? GENESIS_HASH, [
    {
      stream: locationStream(locationId),
      seq: (head?.seq ?? 0) + 1,
      type: before === null ? "location.created" : "location.updated",
      atMs: now_ms,
      data: canonicalJson({ locationId, revision, before, after, actor }),
    },
  ]);
  return event!;
}

/**
 * Inserts the event only where `guard` (the revision compare-and-set the
 * row's write in the same batch runs) holds: D1 has no interactive
 * transactions, so the batch is the transaction and the guard decides for
 * both statements. A head that moved meanwhile makes the insert fail on the
 * stream's key, and with it the batch.
 */
export function insertGuarded(db: DrizzleD1Database, e: ChainedEvent, guard: SQL) {
  // The select's columns in the table's order (stream, seq, type, at_ms, data, prev_hash, hash), as drizzle lists them.
  return db
    .insert(auditEvents)
    .select(sql`SELECT ${e.stream}, ${e.seq}, ${e.type}, ${e.atMs}, ${e.data}, ${e.prevHash}, ${e.hash} WHERE ${guard}`);
}
