import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { ARCHIVE, checkpointKey, partKey } from "../../src/audit/archive-format";
import { GENESIS_HASH, linkEvents } from "../../src/audit/chain";
import worker from "../../src/worker";
import { ADMIN, call } from "../support/helpers";

/**
 * A segment larger than one run's budget (ARCHIVE.parts_per_run parts) spreads
 * over runs and resumes where it stopped; its checkpoint's object comes last.
 * TEST_VERBOSE=1 prints what each run wrote and how long it took.
 */

const everyMinute = (at_ms: number) => worker.scheduled(createScheduledController({ scheduledTime: at_ms, cron: "* * * * *" }), env);

const STREAM = "bench:archive";
/** One part more than a run writes. */
const EVENTS = ARCHIVE.part_events * ARCHIVE.parts_per_run + 500;
const INSERT_BATCH = 500;

async function seedStream(): Promise<void> {
  const events = linkEvents(
    GENESIS_HASH,
    Array.from({ length: EVENTS }, (_, i) => ({
      stream: STREAM,
      seq: i + 1,
      type: "bench.event",
      atMs: 1_700_000_000_000 + i,
      data: `{"i":${i}}`,
    })),
  );
  const insert = env.DB.prepare("INSERT INTO audit_events (stream, seq, type, at_ms, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (let at = 0; at < events.length; at += INSERT_BATCH) {
    await env.DB.batch(
      events.slice(at, at + INSERT_BATCH).map((e) => insert.bind(e.stream, e.seq, e.type, e.atMs, e.data, e.prevHash, e.hash)),
    );
  }
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await env.AUDIT_ARCHIVE.list({ prefix, limit: 1000 });
  return listed.objects.map((o) => o.key);
}

describe("a segment larger than one run", () => {
  it("is written part by part over runs, and its checkpoint's object only once it is whole", async () => {
    await seedStream();
    const t0 = Date.now();
    const started = performance.now();
    await everyMinute(t0);
    const firstRunMs = performance.now() - started;
    const [checkpoint] = (await call("/v1/audit/checkpoints?limit=1", { auth: ADMIN })).body.data;
    const seq = checkpoint.body.seq;
    expect(await keysUnder(`v1/segments/`)).toHaveLength(ARCHIVE.parts_per_run);
    expect(await env.AUDIT_ARCHIVE.head(checkpointKey(seq))).toBeNull();

    const resumed = performance.now();
    await everyMinute(t0 + 60_000);
    const secondRunMs = performance.now() - resumed;
    const parts = Math.ceil(EVENTS / ARCHIVE.part_events);
    expect(await keysUnder(`v1/segments/`)).toHaveLength(parts);
    const manifest = await (await env.AUDIT_ARCHIVE.get(checkpointKey(seq)))!.json<{
      parts: number;
      events: number;
      previous: number | null;
    }>();
    expect(manifest).toEqual(expect.objectContaining({ parts, events: EVENTS, previous: null }));
    const last = await (await env.AUDIT_ARCHIVE.get(partKey(seq, parts - 1)))!.json<{ events: Array<{ seq: number }> }>();
    expect(last.events.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => EVENTS - 499 + i));

    const verifyStarted = performance.now();
    const verified = (await call("/v1/audit/verify", { auth: ADMIN })).body;
    const verifyMs = performance.now() - verifyStarted;
    expect(verified).toMatchObject({ ok: true, complete: true, events: EVENTS, archive: { checkpoints: 1, events: EVENTS } });
    if (inject("testVerbose")) {
      console.log(
        `archive: ${EVENTS} events in ${parts} parts; run 1 wrote ${ARCHIVE.parts_per_run} parts in ${firstRunMs.toFixed(0)} ms, ` +
          `run 2 the rest and the checkpoint in ${secondRunMs.toFixed(0)} ms; verify (chains + archive) ${verifyMs.toFixed(0)} ms`,
      );
    }
  });
});
