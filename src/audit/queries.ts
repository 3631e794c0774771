import { and, asc, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditEvents, type AuditEventRow } from "../db/schema";
import { decodeCursor, encodeCursor } from "../platform/cursor";

/** Reads of the audit log for the merchant API (src/routes/audit.ts). */

export interface AuditEventView {
  stream: string;
  seq: number;
  type: string;
  at: string;
  /** The event's facts; the stored text itself if a row was edited into something that is not a JSON object. */
  data: Record<string, unknown> | string;
  prevHash: string;
  hash: string;
}

/**
 * Where a page ended. With a stream the log is read by seq within it;
 * without, by time across streams, (stream, seq) breaking ties so the order
 * is total and a cursor never skips or repeats an event. `newest` reads the
 * same order backwards (the console shows the latest first).
 */
export type AuditPosition = (
  | { kind: "stream"; stream: string; seq: number }
  | { kind: "time"; atMs: number; stream: string; seq: number }
) & {
  newest: boolean;
};

export async function listEvents(
  d1: D1Database,
  opts: { stream?: string | undefined; after: AuditPosition | null; limit: number; newest?: boolean },
): Promise<{ events: AuditEventView[]; next: AuditPosition | null }> {
  const db = drizzle(d1);
  const { stream, after, limit } = opts;
  const newest = opts.newest ?? false;
  const dir = newest ? desc : asc;
  const past = newest ? sql.raw("<") : sql.raw(">");
  // One extra row tells whether another page exists without a COUNT.
  const rows =
    stream !== undefined
      ? await db
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.stream, stream), after ? sql`${auditEvents.seq} ${past} ${after.seq}` : undefined))
          .orderBy(dir(auditEvents.seq))
          .limit(limit + 1)
      : await db
          .select()
          .from(auditEvents)
          .where(
            after?.kind === "time"
              ? sql`(${auditEvents.atMs}, ${auditEvents.stream}, ${auditEvents.seq}) ${past} (${after.atMs}, ${after.stream}, ${after.seq})`
              : undefined,
          )
          .orderBy(dir(auditEvents.atMs), dir(auditEvents.stream), dir(auditEvents.seq))
          .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next: AuditPosition | null =
    rows.length > limit && last
      ? stream !== undefined
        ? { kind: "stream", stream, seq: last.seq, newest }
        : { kind: "time", atMs: last.atMs, stream: last.stream, seq: last.seq, newest }
      : null;
  return { events: page.map(viewOf), next };
}

export function viewOf(row: AuditEventRow): AuditEventView {
  let data: Record<string, unknown> | string = row.data;
  try {
    const parsed: unknown = JSON.parse(row.data);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch {
    // A row edited into invalid JSON is shown as stored; verify reports it.
  }
  return {
    stream: row.stream,
    seq: row.seq,
    type: row.type,
    at: new Date(row.atMs).toISOString(),
    data,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export function encodePosition(p: AuditPosition): string {
  // Upper-case tags continue a newest-first listing; the lower-case ones stay as cursors already handed out.
  const tag = (t: string) => (p.newest ? t.toUpperCase() : t);
  return encodeCursor(
    p.kind === "stream" ? JSON.stringify([tag("s"), p.stream, p.seq]) : JSON.stringify([tag("t"), p.atMs, p.stream, p.seq]),
  );
}

/** The position a cursor names, or null when it was not made by encodePosition. */
export function decodePosition(cursor: string): AuditPosition | null {
  const text = decodeCursor(cursor);
  if (text === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(v)) return null;
  const isSeq = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  const newest = v[0] === "S" || v[0] === "T";
  const tag = typeof v[0] === "string" ? v[0].toLowerCase() : null;
  if (v.length === 3 && tag === "s" && typeof v[1] === "string" && isSeq(v[2])) return { kind: "stream", stream: v[1], seq: v[2], newest };
  if (v.length === 4 && tag === "t" && isSeq(v[1]) && typeof v[2] === "string" && isSeq(v[3])) {
    return { kind: "time", atMs: v[1], stream: v[2], seq: v[3], newest };
  }
  return null;
}
