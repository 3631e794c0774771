import { eventHash, GENESIS_HASH } from "./chain";
import { decodeCursor, encodeCursor } from "../platform/cursor";

/** Bounds of one verification request (TIGER_STYLE: every loop has one). */
export const VERIFY = {
  /** Rows per D1 query. */
  page_rows: 500,
  /** Events one request checks; past it the answer says `complete: false` and gives a cursor to go on. */
  max_events: 200_000,
  /** Inventory rows per query of the tail check. */
  tail_page_rows: 500,
} as const;

export interface BadEvent {
  stream: string;
  seq: number;
  reason: string;
}

export interface VerifyResult {
  /** True only when every event was checked (`complete`) and none was bad. */
  ok: boolean;
  /** Streams and events checked by this request. */
  streams: number;
  events: number;
  complete: boolean;
  firstBadEvent?: BadEvent;
  /** When not complete: pass as `cursor` to verify the rest. */
  nextCursor?: string;
}

type Row = { stream: string; seq: number; type: string; at_ms: number; data: string; prev_hash: string; hash: string };

/** The last event checked: where the chain continues. */
type Tip = { stream: string; seq: number; hash: string };
export type VerifyPosition = Tip;

/**
 * Recomputes every hash chain from D1's rows (spec §7), in (stream,
 * seq) order, one bounded page at a time, and stops at the first bad event:
 * - a changed row (type, time or data edited): its hash no longer matches;
 * - a removed row: the next row's seq skips it (reported at the missing seq),
 *   or, for a stream's first row, the stream does not start at 1;
 * - reordered rows (contents swapped): the hash covers the seq and the
 *   previous hash, so the first moved row fails;
 * - a removed tail: fewer events than the order's version or the SKU's
 *   inventory row, each written in the same D1 batch as its events, says.
 */
export async function verifyChains(
  db: D1Database,
  opts: { stream?: string | undefined; after?: VerifyPosition | null; maxEvents?: number } = {},
): Promise<VerifyResult> {
  const maxEvents = opts.maxEvents ?? VERIFY.max_events;
  let tip: Tip | null = opts.after ?? null;
  let streams = 0;
  let events = 0;
  const maxPages = Math.ceil(maxEvents / VERIFY.page_rows);
  for (let page = 0; page < maxPages; page++) {
    const rows = await readPage(db, opts.stream, tip);
    for (const row of rows) {
      const continues = tip !== null && tip.stream === row.stream;
      if (!continues) streams += 1;
      const bad = await checkRow(row, continues ? tip : null);
      if (bad) return { ok: false, streams, events, complete: false, firstBadEvent: bad };
      events += 1;
      tip = { stream: row.stream, seq: row.seq, hash: row.hash };
    }
    if (rows.length < VERIFY.page_rows) {
      const truncated = await firstTruncatedStream(db, opts.stream);
      if (truncated) return { ok: false, streams, events, complete: true, firstBadEvent: truncated };
      return { ok: true, streams, events, complete: true };
    }
  }
  return { ok: false, streams, events, complete: false, ...(tip ? { nextCursor: encodeVerifyCursor(tip) } : {}) };
}

async function readPage(db: D1Database, stream: string | undefined, after: Tip | null): Promise<Row[]> {
  const cols = "stream, seq, type, at_ms, data, prev_hash, hash";
  const where = [stream !== undefined ? "stream = ?" : null, after ? "(stream, seq) > (?, ?)" : null].filter((w) => w !== null);
  const binds: unknown[] = [];
  if (stream !== undefined) binds.push(stream);
  if (after) binds.push(after.stream, after.seq);
  const query = `SELECT ${cols} FROM audit_events ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY stream, seq LIMIT ?`;
  const { results } = await db
    .prepare(query)
    .bind(...binds, VERIFY.page_rows)
    .all<Row>();
  return results;
}

/** Checks one row against the event before it in its stream (null: the stream's first). */
async function checkRow(row: Row, previous: Tip | null): Promise<BadEvent | null> {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  const at = (seq: number, reason: string): BadEvent => ({ stream: row.stream, seq, reason });
  if (row.seq > expectedSeq) {
    return at(expectedSeq, `event ${expectedSeq} is missing: the next stored event is ${row.seq}`);
  }
  if (row.seq !== expectedSeq) return at(row.seq, `unexpected seq ${row.seq}; expected ${expectedSeq}`);
  if (row.prev_hash !== expectedPrev) {
    return at(row.seq, "prev_hash does not match the previous event's hash: an event was removed or reordered");
  }
  let hash: string;
  try {
    hash = await eventHash(row.prev_hash, { stream: row.stream, seq: row.seq, type: row.type, atMs: row.at_ms, data: row.data });
  } catch {
    return at(row.seq, "data is not valid JSON: the event was changed");
  }
  if (hash !== row.hash) return at(row.seq, "hash does not match the event's contents: the event was changed or moved");
  return null;
}

/** Where each kind of stream records how long it should be, written in the same D1 batch as its events. */
const STREAM_LENGTHS = [
  { prefix: "order:", table: "orders", id: "order_id", length: "version" },
  { prefix: "sku:", table: "inventory", id: "sku", length: "last_seq" },
] as const;

/**
 * A removed tail leaves a valid but shorter chain. An order's version and a
 * SKU's inventory row record how many events their stream has, so a stream
 * that ends before that lost its tail. Paged by id; `stream` narrows the check
 * to that stream. Streams are checked in the order verify reads them.
 */
async function firstTruncatedStream(db: D1Database, stream: string | undefined): Promise<BadEvent | null> {
  for (const kind of STREAM_LENGTHS) {
    if (stream !== undefined && !stream.startsWith(kind.prefix)) continue;
    const only = stream?.slice(kind.prefix.length);
    let after = "";
    // At most 1e6 pages: one per VERIFY.tail_page_rows ids.
    for (let page = 0; page < 1_000_000; page++) {
      const { results } = await db
        .prepare(
          `SELECT t.${kind.id} AS id, t.${kind.length} AS length,
             (SELECT MAX(a.seq) FROM audit_events a WHERE a.stream = '${kind.prefix}' || t.${kind.id}) AS stored
           FROM ${kind.table} t WHERE t.${kind.id} > ? ${only !== undefined ? `AND t.${kind.id} = ?` : ""} ORDER BY t.${kind.id} LIMIT ?`,
        )
        .bind(after, ...(only !== undefined ? [only] : []), VERIFY.tail_page_rows)
        .all<{ id: string; length: number; stored: number | null }>();
      for (const r of results) {
        if ((r.stored ?? 0) < r.length) {
          const from = (r.stored ?? 0) + 1;
          return {
            stream: `${kind.prefix}${r.id}`,
            seq: from,
            reason: `events ${from}..${r.length} are missing from the end of the stream`,
          };
        }
      }
      const last = results.at(-1);
      if (!last || results.length < VERIFY.tail_page_rows) break;
      after = last.id;
    }
  }
  return null;
}

export function encodeVerifyCursor(tip: VerifyPosition): string {
  return encodeCursor(JSON.stringify([tip.stream, tip.seq, tip.hash]));
}

/** The position a verify cursor names, or null when it is not one. */
export function decodeVerifyCursor(cursor: string): VerifyPosition | null {
  const text = decodeCursor(cursor);
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v) || v.length !== 3) return null;
    const [stream, seq, hash] = v as unknown[];
    if (typeof stream !== "string" || !Number.isSafeInteger(seq) || typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) return null;
    return { stream, seq: seq as number, hash };
  } catch {
    return null;
  }
}
