import { anchoredOf, type Anchored } from "./anchor";
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
  /** Streams one request checks against their anchors (one object call each). */
  max_streams: 500,
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
  /** The whole log only: what was compared with the write-once archive (./archive-verify.ts). */
  archive?: { checkpoints: number; events: number };
  /** When not complete: pass as `cursor` to verify the rest. */
  nextCursor?: string;
}

type Row = { stream: string; seq: number; type: string; at_ms: number; data: string; prev_hash: string; hash: string };

/** The last event checked: where the chain continues. */
type Tip = { stream: string; seq: number; hash: string };
export type VerifyPosition = Tip;

/** What verify reads: D1's rows, and the heads kept outside it (./anchor.ts). */
export type VerifyEnv = Pick<Env, "DB" | "SKU" | "AUDIT_ANCHOR">;

/** The stream being walked and what its anchor holds. */
type Walk = { stream: string; anchored: Anchored | null };

/**
 * Recomputes every hash chain from D1's rows (spec §7), in (stream,
 * seq) order, one bounded page at a time, and stops at the first bad event:
 * - a changed row (type, time or data edited): its hash no longer matches;
 * - a removed row: the next row's seq skips it (reported at the missing seq),
 *   or, for a stream's first row, the stream does not start at 1;
 * - reordered rows (contents swapped): the hash covers the seq and the
 *   previous hash, so the first moved row fails;
 * - a removed tail: fewer events than the order's version or the SKU's
 *   inventory row, each written in the same D1 batch as its events, says;
 * - a stream rewritten consistently (every later hash recomputed) or cut
 *   short together with its counters: D1 disagrees with, or ends before, the
 *   hashes anchored outside D1 (issue 25, ./anchor.ts).
 */
export async function verifyChains(
  env: VerifyEnv,
  opts: { stream?: string | undefined; after?: VerifyPosition | null; maxEvents?: number } = {},
): Promise<VerifyResult> {
  const maxEvents = opts.maxEvents ?? VERIFY.max_events;
  let tip: Tip | null = opts.after ?? null;
  let walk: Walk | null = null;
  let streams = 0;
  let events = 0;
  const maxPages = Math.ceil(maxEvents / VERIFY.page_rows);
  for (let page = 0; page < maxPages; page++) {
    const rows = await readPage(env.DB, opts.stream, tip);
    for (const row of rows) {
      const continues = tip !== null && tip.stream === row.stream;
      if (walk === null || walk.stream !== row.stream) {
        if (walk !== null && tip !== null) {
          const cut = endOfStream(walk, tip);
          if (cut) return { ok: false, streams, events, complete: false, firstBadEvent: cut };
        }
        if (streams >= VERIFY.max_streams && tip !== null) {
          return { ok: false, streams, events, complete: false, nextCursor: encodeVerifyCursor(tip) };
        }
        walk = { stream: row.stream, anchored: await anchoredOf(env, row.stream) };
      }
      if (!continues) streams += 1;
      const bad = (await checkRow(row, continues ? tip : null)) ?? checkAnchor(row, walk.anchored);
      if (bad) return { ok: false, streams, events, complete: false, firstBadEvent: bad };
      events += 1;
      tip = { stream: row.stream, seq: row.seq, hash: row.hash };
    }
    if (rows.length < VERIFY.page_rows) {
      // A stream asked for by name that D1 lost entirely still has its anchor.
      if (walk === null && tip === null && opts.stream !== undefined) {
        walk = { stream: opts.stream, anchored: await anchoredOf(env, opts.stream) };
        tip = { stream: opts.stream, seq: 0, hash: GENESIS_HASH };
      }
      const cut = walk !== null && tip !== null ? endOfStream(walk, tip) : null;
      if (cut) return { ok: false, streams, events, complete: true, firstBadEvent: cut };
      const truncated = await firstTruncatedStream(env.DB, opts.stream);
      if (truncated) return { ok: false, streams, events, complete: true, firstBadEvent: truncated };
      return { ok: true, streams, events, complete: true };
    }
  }
  return { ok: false, streams, events, complete: false, ...(tip ? { nextCursor: encodeVerifyCursor(tip) } : {}) };
}

/** A row whose hash is not the one anchored for its seq: this event, or for a SKU's head an earlier one, was rewritten. */
function checkAnchor(row: Row, anchored: Anchored | null): BadEvent | null {
  const expected = anchored?.hashes.get(row.seq);
  if (expected === undefined || expected === row.hash) return null;
  const which = row.seq === anchored?.headSeq && anchored.hashes.size === 1 ? "this event or an earlier one" : "this event";
  return {
    stream: row.stream,
    seq: row.seq,
    reason: `hash differs from the one anchored outside D1 for seq ${row.seq}: ${which} was rewritten in D1`,
  };
}

/** D1 may run ahead of an anchor by a write in flight, never end before it. */
function endOfStream(walk: Walk, tip: Tip): BadEvent | null {
  const head = walk.anchored?.headSeq ?? 0;
  if (tip.stream !== walk.stream || head <= tip.seq) return null;
  return {
    stream: walk.stream,
    seq: tip.seq + 1,
    reason: `events ${tip.seq + 1}..${head} are anchored outside D1 but missing from D1: the stream's tail was removed`,
  };
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
    hash = eventHash(row.prev_hash, { stream: row.stream, seq: row.seq, type: row.type, atMs: row.at_ms, data: row.data });
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
