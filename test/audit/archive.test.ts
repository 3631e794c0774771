import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { ARCHIVE, checkpointKey, partKey, type ArchivedCheckpoint, type ArchivedPart } from "../../src/audit/archive-format";
import { putOnce } from "../../src/audit/archive";
import { encodeArchiveCursor } from "../../src/audit/archive-verify";
import { checkArchive, checkExportAgainst, type ArchiveReader } from "../../scripts/audit-verify/archive.ts";
import { checkExport } from "../../scripts/audit-verify/check.ts";
import { eventHash } from "../../src/audit/chain";
import { checkpointsStub } from "../../src/audit/export";
import { appendEvent } from "../../src/audit/store";
import { canonicalJson } from "../../src/domain/canonical-json";
import worker from "../../src/worker";
import { asRogue } from "../support/audit-tamper";
import { ADMIN, call, createSku, restock } from "../support/helpers";
import { flushOutbox, streamRows } from "../support/outbox";

/** Issue 25, the write-once archive: what an operator who rewrites D1 cannot rewrite. */

/** The every-minute cron: sign a checkpoint, archive it. */
const everyMinute = (at_ms: number) => worker.scheduled(createScheduledController({ scheduledTime: at_ms, cron: "* * * * *" }), env);

const verify = async (query = "") => {
  const res = await call(`/v1/audit/verify${query}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body;
};

async function archiveKeys(): Promise<string[]> {
  const listed = await env.AUDIT_ARCHIVE.list({ prefix: "v1/", limit: 1000 });
  expect(listed.truncated).toBe(false);
  return listed.objects.map((o) => o.key).sort();
}

async function archived<T>(key: string): Promise<T> {
  const object = await env.AUDIT_ARCHIVE.get(key);
  expect(object, key).not.toBeNull();
  return (await object!.json()) as T;
}

/** The bucket as the standalone verifier reads a copy of it. */
const bucket: ArchiveReader = {
  async list(prefix) {
    const listed = await env.AUDIT_ARCHIVE.list({ prefix, limit: 1000 });
    return listed.objects.map((o) => o.key);
  },
  async get(key) {
    return (await env.AUDIT_ARCHIVE.get(key))?.text() ?? null;
  },
};

/** What `npm run audit:verify -- export.json --key <publicKey> --archive <copy of the bucket>` answers. */
async function standalone(stream: string) {
  const { body: key } = await call("/v1/audit/key", { auth: ADMIN });
  const exp = (await call(`/v1/audit/export?stream=${encodeURIComponent(stream)}`, { auth: ADMIN })).body;
  const collect = { stream, events: [] };
  return {
    export: await checkExport(exp, key.publicKey),
    archive: await checkArchive(bucket, key.publicKey, collect),
    againstArchive: checkExportAgainst(exp, collect.events),
  };
}

const latestCheckpoint = async () => (await call("/v1/audit/checkpoints?limit=1", { auth: ADMIN })).body.data[0];

// The tests of this file share its D1 and bucket and run in order: each continues the archive the one before left.
describe("the every-minute cron", () => {
  it("signs a checkpoint and archives it with its events; a run with nothing new adds nothing; a run after new events extends it", async () => {
    const sku = await createSku({ stock: 3 });
    await flushOutbox(sku);
    const t0 = Date.now();
    await everyMinute(t0);
    const first = await latestCheckpoint();
    const manifest = await archived<ArchivedCheckpoint>(checkpointKey(first.body.seq));
    expect(manifest).toMatchObject({ format: ARCHIVE.format, checkpoint: first, previous: null, parts: 1 });
    const part = await archived<ArchivedPart>(partKey(first.body.seq, 0));
    const rows = await streamRows(`sku:${sku}`);
    expect(part.events.filter((e) => e.stream === `sku:${sku}`)).toEqual(
      rows.map((r) => ({ stream: r.stream, seq: r.seq, type: r.type, atMs: r.at_ms, data: r.data, prevHash: r.prev_hash, hash: r.hash })),
    );
    expect(manifest.events).toBe(part.events.length);
    const keys = await archiveKeys();

    // Nothing moved: no new checkpoint, nothing written.
    await everyMinute(t0 + 60_000);
    expect((await latestCheckpoint()).body.seq).toBe(first.body.seq);
    expect(await archiveKeys()).toEqual(keys);

    // One more event: the next checkpoint's segment holds it alone, continuing from the first.
    await restock(sku, 2);
    await flushOutbox(sku);
    await everyMinute(t0 + 120_000);
    const second = await latestCheckpoint();
    expect(second.body.seq).toBe(first.body.seq + 1);
    expect(await archived<ArchivedCheckpoint>(checkpointKey(second.body.seq))).toMatchObject({
      checkpoint: second,
      previous: first.body.seq,
      parts: 1,
      events: 1,
    });
    const next = await archived<ArchivedPart>(partKey(second.body.seq, 0));
    expect(next.events.map((e) => [e.stream, e.seq, e.type])).toEqual([[`sku:${sku}`, 3, "stock.adjusted"]]);
    expect(await archiveKeys()).toEqual([...keys, checkpointKey(second.body.seq), partKey(second.body.seq, 0)].sort());
    expect(await verify()).toMatchObject({ ok: true, complete: true, archive: { checkpoints: 2, events: manifest.events + 1 } });
  });
});

describe("D1 compared with the archive", () => {
  it("catches a stream nothing else anchors, rewritten consistently in D1, and passes it untouched", async () => {
    // The reconciliation's stream: neither a SKU object nor an order anchor holds its hashes.
    const stream = "payments:reconciliation";
    const db = drizzle(env.DB);
    for (const drift of [0, 0]) {
      await appendEvent(db, { stream, type: "payments.reconciled", atMs: Date.now(), data: canonicalJson({ drift, trigger: "test" }) });
    }
    const t0 = Date.now();
    await everyMinute(t0);
    expect(await verify()).toMatchObject({ ok: true, complete: true });
    const untouched = await standalone(stream);
    expect(untouched.export).toMatchObject({ ok: true, events: 2 });
    expect(untouched.archive).toMatchObject({ ok: true, latest: { seq: (await latestCheckpoint()).body.seq } });
    expect(untouched.againstArchive).toBeNull();

    // The rogue: triggers dropped, event 1 edited, event 2 re-hashed onto it.
    const rows = await streamRows(stream);
    const edited = rows[0]!.data.replace('"drift":0', '"drift":7');
    const h1 = eventHash(rows[0]!.prev_hash, { stream, seq: 1, type: rows[0]!.type, atMs: rows[0]!.at_ms, data: edited });
    const h2 = eventHash(h1, { stream, seq: 2, type: rows[1]!.type, atMs: rows[1]!.at_ms, data: rows[1]!.data });
    await asRogue(
      env.DB.prepare("UPDATE audit_events SET data = ?, hash = ? WHERE stream = ? AND seq = 1").bind(edited, h1, stream),
      env.DB.prepare("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE stream = ? AND seq = 2").bind(h1, h2, stream),
    );
    // D1's chain alone holds: every hash matches its contents.
    expect(await verify(`?stream=${stream}`)).toMatchObject({ ok: true, events: 2 });
    const caught = await verify();
    expect(caught).toMatchObject({ ok: false, firstBadEvent: { stream, seq: 1 } });
    expect(caught.firstBadEvent.reason).toMatch(/archived with checkpoint \d+.*rewritten in D1/);

    // The next checkpoint signs D1 as it now is, so the export checks against its signature alone;
    // the archive, written before the rewrite, does not agree.
    await everyMinute(t0 + 60_000);
    const forged = await standalone(stream);
    expect(forged.export).toMatchObject({ ok: true, events: 2 });
    expect(forged.againstArchive).toMatch(/event 1 differs from the archived one: it was rewritten in D1/);
    expect(forged.archive).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/signed other heads than the archived events lead to/),
    });
  });
});

describe("the archive's writes", () => {
  it("never overwrite: a key that holds other bytes keeps them, and the run reports it", async () => {
    const key = "v1/test/once.json";
    expect(await putOnce(env.AUDIT_ARCHIVE, key, "first")).toBe("written");
    expect(await putOnce(env.AUDIT_ARCHIVE, key, "first")).toBe("present");
    expect(await putOnce(env.AUDIT_ARCHIVE, key, "second")).toBe("conflict");
    expect(await (await env.AUDIT_ARCHIVE.get(key))!.text()).toBe("first");

    // Someone with the bucket's keys wrote the next checkpoint's object first: the last one, with more events than it signed.
    const sku = await createSku({ stock: 1 });
    await flushOutbox(sku);
    const last = await latestCheckpoint();
    const next = last.body.seq + 1;
    const planted = JSON.stringify({
      ...(await archived<ArchivedCheckpoint>(checkpointKey(last.body.seq))),
      checkpoint: { body: { ...last.body, seq: next, events: last.body.events + 1 }, signature: last.signature },
    });
    await env.AUDIT_ARCHIVE.put(checkpointKey(next), planted);
    const stub = checkpointsStub(env);
    expect((await stub.makeCheckpoint(Date.now()))!.body.seq).toBe(next);
    const run = await stub.archiveCheckpoints(Date.now());
    expect(run.conflicts).toEqual([checkpointKey(next)]);
    expect(await (await env.AUDIT_ARCHIVE.get(checkpointKey(next)))!.text()).toBe(planted);
    // verify names it: its signature is not holdfast's.
    const res = await verify("?cursor=" + encodeArchiveCursor({ seq: next, part: 0 }));
    expect(res).toMatchObject({ ok: false, firstBadEvent: { stream: `archive:${checkpointKey(next)}`, seq: next } });
    expect(res.firstBadEvent.reason).toMatch(/not signed by holdfast's key/);
  });
});
