import { logger, type LogEnv } from "../platform/log";
import {
  ARCHIVE,
  checkpointKey,
  partKey,
  planParts,
  type ArchivedCheckpoint,
  type ArchivedEvent,
  type ArchivedPart,
  type Range,
} from "./archive-format";
import { eventHash, GENESIS_HASH } from "./chain";
import type { SignedCheckpoint, StreamHead } from "./checkpoint";

/**
 * The writer of the write-once archive (./archive-format.ts): run by the
 * every-minute cron after the checkpoint is signed, inside the object that
 * keeps the checkpoints. Each checkpoint not yet archived gets its segment
 * (the events since the previous archived checkpoint's heads, read from D1)
 * and then its own object, in seq order, resuming part by part across runs.
 * Every put is conditional (`etagDoesNotMatch: "*"`), so nothing in the
 * bucket is ever overwritten; a key already holding other bytes is logged
 * critical and left as it is.
 */

export const ARCHIVE_STEPS = [
  `CREATE TABLE archive_progress (
     seq INTEGER PRIMARY KEY,
     previous INTEGER,
     parts INTEGER NOT NULL,
     parts_done INTEGER NOT NULL,
     events INTEGER NOT NULL,
     done_at_ms INTEGER
   );`,
];

type ArchiveEnv = Pick<Env, "DB" | "AUDIT_ARCHIVE"> & LogEnv;

/** What the checkpoint log lends the archive: a checkpoint and its heads (null once pruned). */
export interface CheckpointSource {
  checkpoint(seq: number): SignedCheckpoint | null;
  heads(seq: number): StreamHead[] | null;
}

export interface ArchiveRun {
  /** Checkpoints whose archive was completed by this run. */
  archived: number[];
  parts: number;
  /** Keys that already held other bytes: left untouched, logged critical. */
  conflicts: string[];
}

type Job = { seq: number; previous: number | null; parts: number; parts_done: number; events: number };

/** The highest checkpoint seq whose archive is complete; 0 for none. Heads from it on are kept (./checkpoint-log.ts). */
export function archivedThrough(storage: DurableObjectStorage): number {
  const [row] = storage.sql
    .exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM archive_progress WHERE done_at_ms IS NOT NULL")
    .toArray();
  return row?.seq ?? 0;
}

/** Writes `text` at `key` unless the key exists: "present" when it already holds these very bytes. */
export async function putOnce(bucket: R2Bucket, key: string, text: string): Promise<"written" | "present" | "conflict"> {
  const put = await bucket.put(key, text, { onlyIf: { etagDoesNotMatch: "*" }, httpMetadata: { contentType: "application/json" } });
  if (put) return "written";
  const existing = await bucket.get(key);
  return existing !== null && (await existing.text()) === text ? "present" : "conflict";
}

export class CheckpointArchive {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: ArchiveEnv,
    private readonly source: CheckpointSource,
  ) {}

  /** Archives pending checkpoints in seq order, at most ARCHIVE.parts_per_run parts. */
  async run(now_ms: number): Promise<ArchiveRun> {
    const out: ArchiveRun = { archived: [], parts: 0, conflicts: [] };
    // Bounded: each pass completes a checkpoint or spends the rest of the part budget.
    for (let pass = 0; pass <= ARCHIVE.parts_per_run; pass++) {
      const job = this.current() ?? this.start();
      if (!job) break;
      if (!(await this.advance(job, ARCHIVE.parts_per_run - out.parts, out))) break;
      // Done before the next job starts: it continues from this checkpoint's heads.
      this.storage.sql.exec("UPDATE archive_progress SET done_at_ms = ? WHERE seq = ?", now_ms, job.seq);
      out.archived.push(job.seq);
    }
    return out;
  }

  private current(): Job | null {
    return (
      this.storage.sql
        .exec<Job>("SELECT seq, previous, parts, parts_done, events FROM archive_progress WHERE done_at_ms IS NULL ORDER BY seq LIMIT 1")
        .toArray()[0] ?? null
    );
  }

  /** The next checkpoint to archive: after the last archived, among those whose heads are still kept. */
  private start(): Job | null {
    const last = archivedThrough(this.storage);
    const [next] = this.storage.sql
      .exec<{ seq: number }>(
        `SELECT c.seq FROM checkpoints c WHERE c.seq > ?
           AND (json_extract(c.body, '$.streams') = 0 OR EXISTS (SELECT 1 FROM checkpoint_heads h WHERE h.checkpoint = c.seq))
         ORDER BY c.seq LIMIT 1`,
        last,
      )
      .toArray();
    if (!next) return null;
    const heads = this.source.heads(next.seq);
    if (!heads) return null;
    // The previous segment's heads are kept until this one is archived; a gap past the limit starts again from a full snapshot.
    const before = last > 0 ? this.source.heads(last) : null;
    if (last > 0 && !before) logger(this.env).critical("audit_archive_gap", { from: last, to: next.seq });
    const plan = planParts(before, heads);
    if (plan.rewritten.length > 0) {
      const first = plan.rewritten[0]!;
      logger(this.env).critical("audit_archive_rewritten", {
        checkpoint: next.seq,
        streams: plan.rewritten.length,
        stream: first.stream,
        seq: first.seq,
      });
    }
    const job: Job = { seq: next.seq, previous: before ? last : null, parts: plan.parts.length, parts_done: 0, events: plan.events };
    this.storage.sql.exec(
      "INSERT INTO archive_progress (seq, previous, parts, parts_done, events) VALUES (?, ?, ?, 0, ?)",
      job.seq,
      job.previous,
      job.parts,
      job.events,
    );
    return job;
  }

  /** Writes the job's next parts, then its checkpoint object; true when the checkpoint is archived whole. */
  private async advance(job: Job, budget: number, out: ArchiveRun): Promise<boolean> {
    const heads = this.source.heads(job.seq);
    const before = job.previous === null ? null : this.source.heads(job.previous);
    const checkpoint = this.source.checkpoint(job.seq);
    if (!heads || !checkpoint || (job.previous !== null && !before)) {
      // Pruned past the limit while it waited: the next job starts from a snapshot.
      logger(this.env).critical("audit_archive_abandoned", { checkpoint: job.seq });
      this.storage.sql.exec("DELETE FROM archive_progress WHERE seq = ?", job.seq);
      return false;
    }
    const plan = planParts(before, heads);
    const prevHeads = new Map((before ?? []).map((h) => [h.stream, h]));
    const newHeads = new Map(heads.map((h) => [h.stream, h]));
    let part = job.parts_done;
    for (; part < plan.parts.length && budget > 0; part++, budget--) {
      const ranges = plan.parts[part]!;
      const events = await readRanges(this.env.DB, ranges);
      const mismatch = await checkRanges(ranges, events, prevHeads, newHeads);
      // What D1 holds is archived even so: the break it shows is the evidence. Logged for the operator now.
      if (mismatch) logger(this.env).critical("audit_archive_mismatch", { checkpoint: job.seq, part, ...mismatch });
      const body: ArchivedPart = { checkpoint: job.seq, part, events };
      await this.put(partKey(job.seq, part), JSON.stringify(body), out);
      this.storage.sql.exec("UPDATE archive_progress SET parts_done = ? WHERE seq = ?", part + 1, job.seq);
      out.parts += 1;
    }
    if (part < plan.parts.length) return false;
    const manifest: ArchivedCheckpoint = {
      format: ARCHIVE.format,
      checkpoint,
      previous: job.previous,
      parts: job.parts,
      events: job.events,
    };
    await this.put(checkpointKey(job.seq), JSON.stringify(manifest), out);
    return true;
  }

  private async put(key: string, text: string, out: ArchiveRun): Promise<void> {
    if ((await putOnce(this.env.AUDIT_ARCHIVE, key, text)) !== "conflict") return;
    out.conflicts.push(key);
    logger(this.env).critical("audit_archive_conflict", { key });
  }
}

type Row = { stream: string; seq: number; type: string; at_ms: number; data: string; prev_hash: string; hash: string };

/** One part's events from D1, in (stream, seq) order: one query, the ranges passed as one JSON parameter. */
async function readRanges(db: D1Database, ranges: readonly Range[]): Promise<ArchivedEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT a.stream, a.seq, a.type, a.at_ms, a.data, a.prev_hash, a.hash
       FROM json_each(?) r JOIN audit_events a
         ON a.stream = json_extract(r.value, '$[0]') AND a.seq > json_extract(r.value, '$[1]') AND a.seq <= json_extract(r.value, '$[2]')
       ORDER BY a.stream, a.seq LIMIT ?`,
    )
    .bind(JSON.stringify(ranges.map((r) => [r.stream, r.from, r.to])), ARCHIVE.part_events + 1)
    .all<Row>();
  return results.map((r) => ({
    stream: r.stream,
    seq: r.seq,
    type: r.type,
    atMs: r.at_ms,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

/** Whether D1's events for the ranges are whole and chain from the previous heads to the signed ones. */
async function checkRanges(
  ranges: readonly Range[],
  events: readonly ArchivedEvent[],
  before: ReadonlyMap<string, StreamHead>,
  after: ReadonlyMap<string, StreamHead>,
): Promise<{ stream: string; seq: number; reason: string } | null> {
  let i = 0;
  for (const r of ranges) {
    const prev = before.get(r.stream);
    let link: string | null = r.from === 0 ? GENESIS_HASH : r.from === prev?.seq ? prev.hash : null;
    for (let seq = r.from + 1; seq <= r.to; seq++, i++) {
      const e = events[i];
      if (!e || e.stream !== r.stream || e.seq !== seq) return { stream: r.stream, seq, reason: "missing from D1" };
      if (link !== null && e.prevHash !== link) return { stream: r.stream, seq, reason: "does not link to the previous head" };
      let hash: string;
      try {
        hash = eventHash(e.prevHash, e);
      } catch {
        return { stream: r.stream, seq, reason: "data is not JSON" };
      }
      if (hash !== e.hash) return { stream: r.stream, seq, reason: "hash does not match the contents" };
      link = e.hash;
    }
    const head = after.get(r.stream);
    if (head && r.to === head.seq && link !== head.hash) return { stream: r.stream, seq: r.to, reason: "differs from the signed head" };
  }
  return null;
}
