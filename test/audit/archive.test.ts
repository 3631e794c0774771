import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { eventHash } from "../../src/audit/chain";
import { appendEvent } from "../../src/audit/store";
import { canonicalJson } from "../../src/domain/canonical-json";
import worker from "../../src/worker";
import { asRogue } from "../support/audit-tamper";
import { ADMIN, call } from "../support/helpers";
import { streamRows } from "../support/outbox";

/** Issue 25, the write-once archive: what an operator who rewrites D1 cannot rewrite. */

/** The every-minute cron: sign a checkpoint, archive it. */
const everyMinute = (at_ms: number) => worker.scheduled(createScheduledController({ scheduledTime: at_ms, cron: "* * * * *" }), env);

const verify = async (query = "") => {
  const res = await call(`/v1/audit/verify${query}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body;
};

describe("D1 compared with the archive", () => {
  it("catches a stream nothing else anchors, rewritten consistently in D1, and passes it untouched", async () => {
    // The reconciliation's stream: neither a SKU object nor an order anchor holds its hashes.
    const stream = "payments:reconciliation";
    const db = drizzle(env.DB);
    for (const drift of [0, 0]) {
      await appendEvent(db, { stream, type: "payments.reconciled", atMs: Date.now(), data: canonicalJson({ drift, trigger: "test" }) });
    }
    await everyMinute(Date.now());
    expect(await verify()).toMatchObject({ ok: true, complete: true });

    // The rogue: triggers dropped, event 1 edited, event 2 re-hashed onto it.
    const rows = await streamRows(stream);
    const edited = rows[0]!.data.replace('"drift":0', '"drift":7');
    const h1 = await eventHash(rows[0]!.prev_hash, { stream, seq: 1, type: rows[0]!.type, atMs: rows[0]!.at_ms, data: edited });
    const h2 = await eventHash(h1, { stream, seq: 2, type: rows[1]!.type, atMs: rows[1]!.at_ms, data: rows[1]!.data });
    await asRogue(
      env.DB.prepare("UPDATE audit_events SET data = ?, hash = ? WHERE stream = ? AND seq = 1").bind(edited, h1, stream),
      env.DB.prepare("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE stream = ? AND seq = 2").bind(h1, h2, stream),
    );
    // D1's chain alone holds: every hash matches its contents.
    expect(await verify(`?stream=${stream}`)).toMatchObject({ ok: true, events: 2 });
    const caught = await verify();
    expect(caught).toMatchObject({ ok: false, firstBadEvent: { stream, seq: 1 } });
    expect(caught.firstBadEvent.reason).toMatch(/archived with checkpoint \d+/);
  });
});
