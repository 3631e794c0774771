/**
 * `npm run audit:verify -- [export] --key=<publicKey> --archive <dir>` on a copy of the
 * write-once archive on disk, end to end through the command line; and how a
 * segment is cut into parts. The archive here is built with holdfast's own
 * chain, checkpoint and layout code, as the cron would write it.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ARCHIVE, checkpointKey, partKey, planParts, type ArchivedEvent } from "../../src/audit/archive-format.ts";
import type { CheckpointBody, SignedCheckpoint, StreamHead } from "../../src/audit/checkpoint-types.ts";
import { headLeafText, inclusionPath, leafHash, merkleRoot } from "../../src/audit/merkle.ts";
import { canonicalJson, sha256Hex } from "../../src/domain/canonical-json.ts";

// The chain and the signature by the documented formulas (spec §7), as a third party would build them.
type ChainedEvent = ArchivedEvent;
const GENESIS_HASH = "0".repeat(64);
function linkEvents(prev: string, events: Array<Omit<ChainedEvent, "prevHash" | "hash">>): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  for (const e of events) {
    const hash = sha256Hex(prev + canonicalJson({ stream: e.stream, seq: e.seq, type: e.type, atMs: e.atMs, data: JSON.parse(e.data) }));
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}
type Key = { privateKey: CryptoKey; publicKey: string };
async function newKey(): Promise<Key> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return { privateKey: pair.privateKey, publicKey: jwk.x! };
}
async function signCheckpoint(key: Key, heads: StreamHead[], seq: number, atMs: number): Promise<SignedCheckpoint> {
  const root = await merkleRoot(await Promise.all(heads.map((h) => leafHash(headLeafText(h)))));
  const body: CheckpointBody = {
    log: "holdfast-audit/v1",
    seq,
    atMs,
    streams: heads.length,
    events: heads.reduce((n, h) => n + h.seq, 0),
    root,
    keyId: "test",
  };
  const sig = await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, new TextEncoder().encode(canonicalJson(body)));
  return { body, signature: Buffer.from(sig).toString("base64url") };
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const verifyCli = (...args: string[]) =>
  promisify(execFile)(process.execPath, [path.join(ROOT, "scripts", "audit-verify.ts"), ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, out: JSON.parse(r.stdout) }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout ? JSON.parse(e.stdout) : null, err: e.stderr }),
  );

const head = (events: readonly ChainedEvent[]): StreamHead => ({
  stream: events.at(-1)!.stream,
  seq: events.at(-1)!.seq,
  hash: events.at(-1)!.hash,
});
const event = (stream: string, seq: number, data: object) => ({
  stream,
  seq,
  type: "test.event",
  atMs: 1_700_000_000_000 + seq,
  data: JSON.stringify(data),
});

function write(dir: string, key: string, value: unknown) {
  const file = path.join(dir, ...key.split("/"));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
}

/** Two checkpoints over streams a and b, archived as the cron would: a snapshot, then a delta. */
async function buildArchive() {
  const key = await newKey();
  const a = linkEvents(GENESIS_HASH, [event("a", 1, { n: 1 }), event("a", 2, { n: 2 })]);
  const b = linkEvents(GENESIS_HASH, [event("b", 1, { n: 1 })]);
  const dir = mkdtempSync(path.join(tmpdir(), "holdfast-archive-"));
  const archive = async (seq: number, previous: StreamHead[] | null, heads: StreamHead[], all: ChainedEvent[]) => {
    const checkpoint = await signCheckpoint(key, heads, seq, 1_700_000_000_000 + seq * 60_000);
    const plan = planParts(previous, heads);
    plan.parts.forEach((ranges, part) => {
      const events: ArchivedEvent[] = all.filter((e) => ranges.some((r) => r.stream === e.stream && e.seq > r.from && e.seq <= r.to));
      write(dir, partKey(seq, part), { checkpoint: seq, part, events });
    });
    write(dir, checkpointKey(seq), {
      format: ARCHIVE.format,
      checkpoint,
      previous: previous ? seq - 1 : null,
      parts: plan.parts.length,
      events: plan.events,
    });
    return checkpoint;
  };
  const heads1 = [head(a), head(b)];
  await archive(1, null, heads1, [...a, ...b]);
  const a2 = [...a, ...linkEvents(a.at(-1)!.hash, [event("a", 3, { n: 3 })])];
  const heads2 = [head(a2), head(b)];
  const checkpoint = await archive(2, heads1, heads2, [...a2, ...b]);
  /** GET /v1/audit/export of a stream, as D1 gives it: `events` may be rewritten, with a checkpoint signed over them. */
  const exportOf = async (events: ChainedEvent[], signed = checkpoint) => {
    const heads = [head(events), head(b)];
    const file = path.join(dir, `export-${Math.random()}.json`);
    const path_ = await inclusionPath(0, await Promise.all(heads.map((h) => leafHash(headLeafText(h)))));
    writeFileSync(file, JSON.stringify({ stream: "a", checkpoint: signed, proof: { index: 0, size: 2, path: path_ }, events }));
    return file;
  };
  return { dir, key, a2, exportOf, resign: (heads: StreamHead[]) => signCheckpoint(key, heads, 3, 1_700_000_300_000) };
}

describe("npm run audit:verify --archive", () => {
  it("holds for an untouched archive and export, and catches a rewrite the next checkpoint signed", async () => {
    const { dir, key, a2, exportOf, resign } = await buildArchive();
    const alone = await verifyCli("--archive", dir, `--key=${key.publicKey}`);
    expect(alone).toEqual({
      code: 0,
      out: { ok: true, archive: { ok: true, checkpoints: 2, events: 4, latest: expect.objectContaining({ seq: 2 }) } },
    });
    expect(await verifyCli(await exportOf(a2), `--key=${key.publicKey}`, "--archive", dir)).toMatchObject({
      code: 0,
      out: { ok: true, export: { ok: true, events: 3 } },
    });

    // The rogue rewrites event 2 of `a` in D1, redoes every later hash, and the next checkpoint signs D1 as it is.
    const forged = linkEvents(
      GENESIS_HASH,
      a2.map((e) => (e.seq === 2 ? { ...e, data: JSON.stringify({ n: 200 }) } : e)),
    );
    const signed = await resign([
      head(forged),
      { stream: "b", seq: 1, hash: linkEvents(GENESIS_HASH, [event("b", 1, { n: 1 })])[0]!.hash },
    ]);
    const caught = await verifyCli(await exportOf(forged, signed), `--key=${key.publicKey}`, "--archive", dir);
    expect(caught).toMatchObject({
      code: 1,
      out: {
        ok: false,
        export: { ok: true },
        archive: { ok: true },
        reason: "a event 2 differs from the archived one: it was rewritten in D1",
      },
    });
  });

  it("says how to write a key that starts with '-' (base64url keys do, one in 64) instead of failing without a verdict", async () => {
    const { dir } = await buildArchive();
    const answer = await verifyCli("--archive", dir, "--key", "-AbCdEf");
    expect(answer.code).toBe(2);
    expect(answer).toMatchObject({ err: expect.stringContaining("--key=<key>") });
  });

  it("refuses an archive whose part was edited, or signed by another key", async () => {
    const { dir, key, a2 } = await buildArchive();
    const other = await buildArchive();
    expect(await verifyCli("--archive", dir, `--key=${other.key.publicKey}`)).toMatchObject({
      code: 1,
      out: { archive: { ok: false, reason: expect.stringMatching(/checkpoint 1: .*forged or altered/) } },
    });
    write(dir, partKey(2, 0), { checkpoint: 2, part: 0, events: [{ ...a2[2]!, data: JSON.stringify({ n: 30 }) }] });
    expect(await verifyCli("--archive", dir, `--key=${key.publicKey}`)).toMatchObject({
      code: 1,
      out: { archive: { ok: false, reason: "a event 3 (checkpoint 2): its hash does not match its contents" } },
    });
  });
});

describe("a segment's parts", () => {
  const h = (stream: string, seq: number, hash = `h${seq}`): StreamHead => ({ stream, seq, hash });

  it("hold at most ARCHIVE.part_events events each, in stream order, and only what moved since the previous heads", () => {
    const n = ARCHIVE.part_events;
    const snapshot = planParts(null, [h("a", n + 10), h("b", n)]);
    expect(snapshot.events).toBe(2 * n + 10);
    expect(snapshot.parts).toEqual([
      [{ stream: "a", from: 0, to: n }],
      [
        { stream: "a", from: n, to: n + 10 },
        { stream: "b", from: 0, to: n - 10 },
      ],
      [{ stream: "b", from: n - 10, to: n }],
    ]);
    const delta = planParts([h("a", n + 10), h("b", n)], [h("a", n + 12), h("b", n), h("c", 1)]);
    expect(delta).toEqual({
      parts: [
        [
          { stream: "a", from: n + 10, to: n + 12 },
          { stream: "c", from: 0, to: 1 },
        ],
      ],
      events: 3,
      rewritten: [],
    });
  });

  it("name the streams whose head went back or changed at the same seq", () => {
    expect(planParts([h("a", 5), h("b", 3)], [h("a", 4), h("b", 3, "other")]).rewritten).toEqual([h("a", 4), h("b", 3, "other")]);
  });
});
