/**
 * The standalone check of the write-once audit archive (issue 25), with
 * nothing but the public key: every archived checkpoint's signature, every
 * archived event's hash and link, and, replaying the segments in order, that
 * the heads they lead to are exactly what each checkpoint signed (its Merkle
 * root). An export (GET /v1/audit/export, i.e. D1 today) is then held
 * against the archive: D1 only ever grows, so an archived event the export
 * lacks or shows otherwise was removed or rewritten in D1.
 */
import { canonicalJson, sha256Hex } from "../../src/domain/canonical-json.ts";
import {
  ARCHIVE,
  CHECKPOINTS_PREFIX,
  partKey,
  seqOfCheckpointKey,
  type ArchivedCheckpoint,
  type ArchivedEvent,
  type ArchivedPart,
} from "../../src/audit/archive-format.ts";
import { headLeafText, leafHash, merkleRoot } from "../../src/audit/merkle.ts";
import { checkSignature, type Exported } from "./check.ts";

/** Where the archive is read from: a copy of the bucket on disk (./dir-reader.ts), or the bucket itself in tests. */
export interface ArchiveReader {
  /** Every key under the prefix. */
  list(prefix: string): Promise<string[]>;
  get(key: string): Promise<string | null>;
}

export type ArchiveChecked =
  | { ok: true; checkpoints: number; events: number; latest: { seq: number; atMs: number; root: string } | null }
  | { ok: false; reason: string };

const GENESIS = "0".repeat(64);

/** Checks the whole archive; `stream`: also collect that stream's archived events (for checkExportAgainst). */
export async function checkArchive(
  reader: ArchiveReader,
  publicKey: string,
  collect?: { stream: string; events: ArchivedEvent[] },
): Promise<ArchiveChecked> {
  const refuse = (reason: string): ArchiveChecked => ({ ok: false, reason });
  const keys = (await reader.list(CHECKPOINTS_PREFIX)).filter((k) => seqOfCheckpointKey(k) !== null).sort();
  const heads = new Map<string, { seq: number; hash: string }>();
  let previous: number | null = null;
  let events = 0;
  let latest: ArchivedCheckpoint["checkpoint"]["body"] | null = null;
  for (const key of keys) {
    const seq = seqOfCheckpointKey(key)!;
    const manifest = JSON.parse((await reader.get(key)) ?? "null") as ArchivedCheckpoint | null;
    if (!manifest || manifest.format !== ARCHIVE.format || manifest.checkpoint?.body?.seq !== seq)
      return refuse(`${key} is not a checkpoint of this archive`);
    const unsigned = await checkSignature(manifest.checkpoint, publicKey);
    if (unsigned) return refuse(`checkpoint ${seq}: ${unsigned}`);
    if (manifest.previous === null) heads.clear();
    else if (manifest.previous !== previous) {
      return refuse(
        `checkpoint ${seq} continues from checkpoint ${manifest.previous}, but the archive before it ends at ${previous ?? "nothing"}`,
      );
    }
    for (let part = 0; part < manifest.parts; part++) {
      const text = await reader.get(partKey(seq, part));
      if (text === null) return refuse(`${partKey(seq, part)} is missing from the archive`);
      const body = JSON.parse(text) as ArchivedPart;
      for (const e of body.events) {
        const head = heads.get(e.stream) ?? { seq: 0, hash: GENESIS };
        if (e.seq !== head.seq + 1)
          return refuse(`${e.stream} event ${e.seq} (checkpoint ${seq}): the archive holds its stream up to ${head.seq}`);
        if (e.prevHash !== head.hash)
          return refuse(`${e.stream} event ${e.seq} (checkpoint ${seq}): prevHash does not link to event ${head.seq}`);
        const event = { stream: e.stream, seq: e.seq, type: e.type, atMs: e.atMs, data: JSON.parse(e.data) as unknown };
        if ((await sha256Hex(e.prevHash + canonicalJson(event))) !== e.hash) {
          return refuse(`${e.stream} event ${e.seq} (checkpoint ${seq}): its hash does not match its contents`);
        }
        heads.set(e.stream, { seq: e.seq, hash: e.hash });
        if (collect?.stream === e.stream) collect.events.push(e);
        events += 1;
      }
    }
    const names = [...heads.keys()].sort();
    const root = await merkleRoot(await Promise.all(names.map((stream) => leafHash(headLeafText({ stream, ...heads.get(stream)! })))));
    if (root !== manifest.checkpoint.body.root || names.length !== manifest.checkpoint.body.streams) {
      return refuse(
        `checkpoint ${seq} signed other heads than the archived events lead to: between checkpoint ${previous ?? "(start)"} and ${seq} ` +
          "a stream was rewritten or lost events in D1",
      );
    }
    previous = seq;
    latest = manifest.checkpoint.body;
  }
  return { ok: true, checkpoints: keys.length, events, latest: latest && { seq: latest.seq, atMs: latest.atMs, root: latest.root } };
}

/** An export (D1 today) against the stream's archived events: each must be in it, unchanged. */
export function checkExportAgainst(exp: Exported, archived: readonly ArchivedEvent[]): string | null {
  for (const a of archived) {
    const e = exp.events[a.seq - 1];
    if (!e) return `${exp.stream} event ${a.seq} is archived but missing from the export: it was removed from D1`;
    const same =
      e.seq === a.seq && e.type === a.type && e.atMs === a.atMs && e.data === a.data && e.prevHash === a.prevHash && e.hash === a.hash;
    if (!same) return `${exp.stream} event ${a.seq} differs from the archived one: it was rewritten in D1`;
  }
  return null;
}
