/**
 * The write-once audit archive's layout (issue 25, docs/operations.md "Audit
 * log"), shared by its writer (./archive.ts), the Worker's comparison with D1
 * (./archive-verify.ts) and the standalone verifier (scripts/audit-verify/),
 * which runs this file under Node: type imports only.
 *
 *   v1/checkpoints/<seq>.json           ArchivedCheckpoint: the signed checkpoint and how its segment is cut
 *   v1/segments/<seq>/<part>.json       ArchivedPart: events after the previous archived checkpoint's heads
 *
 * Numbers are zero-padded so keys sort in numeric order. A checkpoint's
 * object is written after all its parts, so its presence says the segment is
 * whole. Replaying the segments in order rebuilds every stream's head, and so
 * every checkpoint's Merkle root, from the archive alone.
 */
import type { SignedCheckpoint, StreamHead } from "./checkpoint-types.ts";

export const ARCHIVE = {
  format: "holdfast-audit-archive/v1",
  /** Events one part object holds at most (about half a megabyte). */
  part_events: 1_000,
  /** Parts one cron run writes at most; a large segment (the first, a full snapshot) spreads over runs. */
  parts_per_run: 20,
  /** Checkpoints whose heads wait for the archive at most; past it the oldest are given up and the next segment is a full snapshot. */
  max_pending_checkpoints: 1_440,
} as const;

export interface ArchivedEvent {
  stream: string;
  seq: number;
  type: string;
  atMs: number;
  data: string;
  prevHash: string;
  hash: string;
}

export interface ArchivedCheckpoint {
  format: string;
  checkpoint: SignedCheckpoint;
  /** The archived checkpoint this segment continues from; null: a full snapshot from every stream's first event. */
  previous: number | null;
  parts: number;
  events: number;
}

export interface ArchivedPart {
  checkpoint: number;
  part: number;
  events: ArchivedEvent[];
}

/** Events `from < seq <= to` of one stream. */
export interface Range {
  stream: string;
  from: number;
  to: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

export const CHECKPOINTS_PREFIX = "v1/checkpoints/";

export function checkpointKey(seq: number): string {
  return `${CHECKPOINTS_PREFIX}${pad(seq, 12)}.json`;
}

export function partKey(seq: number, part: number): string {
  return `v1/segments/${pad(seq, 12)}/${pad(part, 6)}.json`;
}

/** The checkpoint seq a key of CHECKPOINTS_PREFIX names, or null. */
export function seqOfCheckpointKey(key: string): number | null {
  const m = /^v1\/checkpoints\/(\d{12})\.json$/.exec(key);
  return m ? Number(m[1]) : null;
}

/**
 * How a checkpoint's segment is cut into parts: every stream that moved since
 * `previous` (null: all of it), in name order, split so no part holds more
 * than ARCHIVE.part_events events. Deterministic, so a run that resumes a
 * segment cuts it the same way. `rewritten`: streams whose head went back or
 * changed at the same seq, which no segment can carry (the log was rewritten).
 */
export function planParts(
  previous: readonly StreamHead[] | null,
  heads: readonly StreamHead[],
): { parts: Range[][]; events: number; rewritten: StreamHead[] } {
  const before = new Map((previous ?? []).map((h) => [h.stream, h]));
  const parts: Range[][] = [];
  const rewritten: StreamHead[] = [];
  let current: Range[] = [];
  let room: number = ARCHIVE.part_events;
  let events = 0;
  for (const head of heads) {
    const prev = before.get(head.stream);
    const from = prev?.seq ?? 0;
    if (prev && (head.seq < prev.seq || (head.seq === prev.seq && head.hash !== prev.hash))) rewritten.push(head);
    // Bounded: each pass takes at least one event of the range or closes a full part.
    for (let at = from; at < head.seq; ) {
      if (room === 0) {
        parts.push(current);
        current = [];
        room = ARCHIVE.part_events;
      }
      const to = Math.min(head.seq, at + room);
      current.push({ stream: head.stream, from: at, to });
      room -= to - at;
      events += to - at;
      at = to;
    }
  }
  if (current.length > 0) parts.push(current);
  return { parts, events, rewritten };
}
