/**
 * A waiter's position in line (spec §9), estimated from a sample of places so
 * the edge can answer it from the published state alone. Each join shard
 * samples its places beyond the frontier (every r-th, and its last) with
 * their ranks; the queue object merges the samples into one line of marks,
 * "this many waiters at or before this place"; the edge reads a waiter's
 * position between the two marks around their place. The error is at most
 * half a gap between marks per shard, a few percent of the line.
 */

/** Places one join shard samples from its waiters beyond the frontier, at most. */
export const LINE_SAMPLES_PER_SHARD = 64;
/** Marks the published line keeps at most (it travels in the cached queue state). */
export const LINE_MARKS_MAX = 128;

/** Waiters beyond the frontier at or before `place` (in one shard, or in the whole line). */
export type LineMark = { place: string; count: number };

/** The schema step that gives the queue object somewhere to keep its line (appended to the queue's steps). */
export const LINE_STEPS = [`ALTER TABLE queue_config ADD COLUMN line TEXT NOT NULL DEFAULT '[]';`];

/**
 * A mark's place: the ordering prefix of a waiter's place (./place.ts: the
 * place in the draw, or the arrival ms), never the customer id,
 * since marks travel in the published state.
 */
export function markPlace(place: string): string {
  return place.slice(0, MARK_PLACE_CHARS);
}

/** "0:" + the 16 digits of a place in the draw, or "1:" + 15 digits of arrival ms + ":". */
const MARK_PLACE_CHARS = 18;

/** The rank stride that keeps a shard's sample within LINE_SAMPLES_PER_SHARD for `waiters` places. */
export function sampleStride(waiters: number): number {
  return Math.max(1, Math.ceil(waiters / LINE_SAMPLES_PER_SHARD));
}

/**
 * The whole line from every shard's marks: at each sampled place, the sum of
 * every shard's estimate there (waitersThrough, so no shard's sample biases
 * the sum low between its marks); thinned to `max` marks, always keeping the
 * last (the line's length).
 */
export function mergeLines(shards: readonly LineMark[][], max = LINE_MARKS_MAX): LineMark[] {
  const places = [...new Set(shards.flatMap((marks) => marks.map((m) => m.place)))].sort();
  const merged = places.map((place) => ({ place, count: Math.round(shards.reduce((n, marks) => n + waitersThrough(marks, place), 0)) }));
  if (merged.length <= max) return merged;
  const step = (merged.length - 1) / (Math.max(2, max) - 1);
  return Array.from({ length: Math.max(2, max) }, (_, i) => merged[Math.round(i * step)]!);
}

/**
 * Waiters at or before `place`, estimated from the marks around it: exact at
 * a mark of its own ordering key (and past the last mark), else the mark below
 * plus half the waiters the sample skipped before the next one.
 */
export function waitersThrough(line: readonly LineMark[], place: string | null): number {
  if (place === null || line.length === 0) return 0;
  let lo = 0;
  let hi = line.length;
  // The first mark after `place`.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (line[mid]!.place <= place) lo = mid + 1;
    else hi = mid;
  }
  if (lo === line.length) return line[line.length - 1]!.count;
  const below = lo > 0 ? line[lo - 1]! : null;
  if (below && place.startsWith(below.place)) return below.count;
  const through = below?.count ?? 0;
  return through + Math.max(0, line[lo]!.count - through - 1) / 2;
}

/**
 * A waiter's position (1: next to be admitted) between the frontier and
 * their place, at least 1 and at most `waiting`; a waiter who joined after
 * the last sample (past its last mark) counts everyone sampled and then
 * themselves, which may be one more than the tick's `waiting`. Null when the
 * line says nothing yet.
 */
export function positionIn(line: readonly LineMark[], frontier: string | null, place: string, waiting: number): number | null {
  const last = line[line.length - 1];
  if (!last || waiting <= 0) return null;
  const joinedSince = place > last.place && !place.startsWith(last.place);
  const through = joinedSince ? last.count + 1 : waitersThrough(line, place);
  const position = Math.max(1, Math.round(through - waitersThrough(line, frontier)));
  return joinedSince ? position : Math.min(waiting, position);
}
