import { decodeCursor, encodeCursor } from "../platform/cursor";
import {
  CHECKPOINTS_PREFIX,
  checkpointKey,
  partKey,
  seqOfCheckpointKey,
  type ArchivedCheckpoint,
  type ArchivedEvent,
  type ArchivedPart,
} from "./archive-format";
import { signedBy, signingKey } from "./checkpoint";
import { verifyChains, type BadEvent, type VerifyEnv, type VerifyPosition, type VerifyResult } from "./verify";

/** Bounds of one request's walk of the archive (every loop has one). */
export const ARCHIVE_VERIFY = {
  /** Objects (checkpoints and parts) read per request; past it `complete: false` and a cursor. */
  objects_per_request: 200,
  list_page: 100,
} as const;

/** Where the archive walk goes on: the checkpoint seq and the part within it. */
export type ArchivePosition = { seq: number; part: number };

export interface ArchiveCheck {
  ok: boolean;
  checkpoints: number;
  events: number;
  complete: boolean;
  firstBadEvent?: BadEvent;
  next?: ArchivePosition;
}

type Row = { stream: string; seq: number; type: string; at_ms: number; data: string; prev_hash: string; hash: string };

/**
 * Compares D1 with the write-once archive: every event archived with a
 * checkpoint must still be in D1, byte for byte. D1 only ever grows, so an
 * archived event D1 lost, or holds otherwise, was removed or rewritten by
 * someone who could write D1, however consistently the hashes were redone.
 * Walks the archived checkpoints in seq order, one bounded page at a time.
 */
export async function verifyArchive(
  env: Pick<Env, "DB" | "AUDIT_ARCHIVE"> & { AUDIT_SIGNING_KEY?: string | undefined },
  from: ArchivePosition | null,
): Promise<ArchiveCheck> {
  // Checkpoints signed by an earlier key (before a rotation) are left to the standalone verifier, which is given every key.
  const key = await signingKey(env);
  const start = from ?? { seq: 1, part: 0 };
  let budget: number = ARCHIVE_VERIFY.objects_per_request;
  let checkpoints = 0;
  let events = 0;
  let startAfter: string | undefined = start.seq > 1 ? checkpointKey(start.seq - 1) : undefined;
  const maxPages = ARCHIVE_VERIFY.objects_per_request + 1;
  for (let page = 0; page < maxPages; page++) {
    const listed = await env.AUDIT_ARCHIVE.list({
      prefix: CHECKPOINTS_PREFIX,
      limit: ARCHIVE_VERIFY.list_page,
      ...(startAfter && { startAfter }),
    });
    for (const object of listed.objects) {
      const seq = seqOfCheckpointKey(object.key);
      if (seq === null) continue;
      let part = seq === start.seq ? start.part : 0;
      if (budget <= 0) return { ok: false, checkpoints, events, complete: false, next: { seq, part } };
      const manifest = await readJson<ArchivedCheckpoint>(env.AUDIT_ARCHIVE, object.key);
      budget -= 1;
      if (!manifest || manifest.checkpoint?.body?.seq !== seq)
        return archiveBroken(checkpoints, events, object.key, seq, "is not a checkpoint of this archive");
      if (key && manifest.checkpoint.body.keyId === key.keyId && !(await signedBy(key.publicKey, manifest.checkpoint))) {
        return archiveBroken(checkpoints, events, object.key, seq, "is not signed by holdfast's key: it was forged or altered");
      }
      checkpoints += 1;
      for (; part < manifest.parts; part++) {
        if (budget <= 0) return { ok: false, checkpoints, events, complete: false, next: { seq, part } };
        budget -= 1;
        const body = await readJson<ArchivedPart>(env.AUDIT_ARCHIVE, partKey(seq, part));
        if (!body) return archiveBroken(checkpoints, events, partKey(seq, part), seq, "is missing from the archive");
        const bad = await compareWithD1(env.DB, seq, body.events);
        if (bad) return { ok: false, checkpoints, events, complete: false, firstBadEvent: bad };
        events += body.events.length;
      }
    }
    if (!listed.truncated) return { ok: true, checkpoints, events, complete: true };
    startAfter = listed.objects.at(-1)?.key ?? startAfter;
  }
  const last = seqOfCheckpointKey(startAfter ?? "");
  return { ok: false, checkpoints, events, complete: false, next: { seq: last === null ? start.seq : last + 1, part: 0 } };
}

function archiveBroken(checkpoints: number, events: number, key: string, seq: number, what: string): ArchiveCheck {
  return { ok: false, checkpoints, events, complete: false, firstBadEvent: { stream: `archive:${key}`, seq, reason: `${key} ${what}` } };
}

async function readJson<T>(bucket: R2Bucket, key: string): Promise<T | null> {
  const object = await bucket.get(key);
  if (!object) return null;
  try {
    return (await object.json()) as T;
  } catch {
    return null;
  }
}

/** The first archived event D1 does not hold exactly: one query per part, the (stream, seq) pairs as one JSON parameter. */
async function compareWithD1(db: D1Database, checkpoint: number, archived: readonly ArchivedEvent[]): Promise<BadEvent | null> {
  const { results } = await db
    .prepare(
      `SELECT a.stream, a.seq, a.type, a.at_ms, a.data, a.prev_hash, a.hash
       FROM json_each(?) k JOIN audit_events a ON a.stream = json_extract(k.value, '$[0]') AND a.seq = json_extract(k.value, '$[1]')`,
    )
    .bind(JSON.stringify(archived.map((e) => [e.stream, e.seq])))
    .all<Row>();
  const inD1 = new Map(results.map((r) => [`${r.seq}\n${r.stream}`, r]));
  for (const e of archived) {
    const r = inD1.get(`${e.seq}\n${e.stream}`);
    const at = (reason: string): BadEvent => ({ stream: e.stream, seq: e.seq, reason });
    if (!r) return at(`the event archived with checkpoint ${checkpoint} is missing from D1: it was removed`);
    const same = r.type === e.type && r.at_ms === e.atMs && r.data === e.data && r.prev_hash === e.prevHash && r.hash === e.hash;
    if (!same) return at(`D1 holds another event than the one archived with checkpoint ${checkpoint}: it was rewritten in D1`);
  }
  return null;
}

/** Where a verify request goes on: D1's chains, or (after them) the archive. */
export type VerifyCursor = { kind: "chains"; tip: VerifyPosition } | { kind: "archive"; at: ArchivePosition };

export function encodeArchiveCursor(at: ArchivePosition): string {
  return encodeCursor(JSON.stringify(["archive", at.seq, at.part]));
}

export function decodeArchiveCursor(cursor: string): ArchivePosition | null {
  try {
    const v: unknown = JSON.parse(decodeCursor(cursor) ?? "null");
    if (!Array.isArray(v) || v.length !== 3 || v[0] !== "archive") return null;
    const [, seq, part] = v as unknown[];
    const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
    return count(seq) && count(part) && seq >= 1 ? { seq, part } : null;
  } catch {
    return null;
  }
}

/**
 * GET /v1/audit/verify: D1's chains against themselves and the anchors
 * (./verify.ts), then, for the whole log, D1 against the archive. One stream
 * (`stream`) is checked against its chain and anchor only: the archive is cut
 * by checkpoint, not by stream.
 */
export async function verifyLog(
  env: VerifyEnv & Pick<Env, "AUDIT_ARCHIVE" | "AUDIT_SIGNING_KEY">,
  opts: { stream?: string | undefined; cursor: VerifyCursor | null },
): Promise<VerifyResult> {
  const { stream, cursor } = opts;
  let chains: VerifyResult = { ok: true, streams: 0, events: 0, complete: true };
  if (cursor?.kind !== "archive") {
    chains = await verifyChains(env, { stream, after: cursor?.tip ?? null });
    if (stream !== undefined || !chains.ok) return chains;
  }
  const a = await verifyArchive(env, cursor?.kind === "archive" ? cursor.at : null);
  return {
    ok: a.ok,
    streams: chains.streams,
    events: chains.events,
    complete: a.complete,
    archive: { checkpoints: a.checkpoints, events: a.events },
    ...(a.firstBadEvent && { firstBadEvent: a.firstBadEvent }),
    ...(a.next && { nextCursor: encodeArchiveCursor(a.next) }),
  };
}
