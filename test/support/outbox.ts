import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { SkuObject } from "../../src/objects/sku-object";
import { OutboxShipper } from "../../src/stock/outbox";
import { objectSql, skuStub } from "./inside-objects";

/** Helpers for tests of the outbox shipper, the audit log and the inventory view. */

export async function unshippedCount(sku: string): Promise<number> {
  const [row] = await objectSql<{ n: number }>(
    sku,
    "SELECT COUNT(*) AS n FROM outbox WHERE seq > (SELECT outbox_seq FROM audit_head WHERE id = 1)",
  );
  return row?.n ?? 0;
}

/**
 * Ships everything the SKU's outbox holds, deterministically: runs the alarm
 * (arming it first if a test took it away) until no row is left unshipped.
 * The real alarm may be running at the same time; the shipper is
 * single-flight, so both end up waiting for the same run.
 */
export async function flushOutbox(sku: string, maxRuns = 20): Promise<void> {
  for (let run = 0; run < maxRuns; run++) {
    if ((await unshippedCount(sku)) === 0) return;
    await runInDurableObject(skuStub(sku), async (_o: SkuObject, state) => {
      if ((await state.storage.getAlarm()) === null) await state.storage.setAlarm(Date.now());
    });
    await runDurableObjectAlarm(skuStub(sku));
  }
  throw new Error(`outbox of ${sku} still has unshipped rows after ${maxRuns} alarm runs`);
}

export interface AuditRow {
  stream: string;
  seq: number;
  type: string;
  at_ms: number;
  data: string;
  prev_hash: string;
  hash: string;
}

export async function streamRows(stream: string): Promise<AuditRow[]> {
  const { results } = await env.DB.prepare("SELECT * FROM audit_events WHERE stream = ? ORDER BY seq").bind(stream).all<AuditRow>();
  return results;
}

export async function inventoryRow(sku: string) {
  return env.DB.prepare("SELECT * FROM inventory WHERE sku = ?").bind(sku).first<{
    sku: string;
    name: string;
    on_hand: number;
    reserved: number;
    available: number;
    sold: number;
    received: number;
    last_seq: number;
    updated_at_ms: number;
  }>();
}

/** A Queue that records what it is sent, or fails every send. */
export function fakeQueue(opts: { fail?: boolean } = {}): { queue: Queue; sent: unknown[] } {
  const sent: unknown[] = [];
  const queue = {
    async send(body: unknown) {
      if (opts.fail) throw new Error("queue unavailable");
      sent.push(body);
    },
    async sendBatch(messages: Iterable<{ body: unknown }>) {
      if (opts.fail) throw new Error("queue unavailable");
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue;
  return { queue, sent };
}

/** A D1 whose batches always fail, as during an outage. */
export function failingD1(): D1Database {
  return {
    prepare: (query: string) => env.DB.prepare(query),
    batch: async () => {
      throw new Error("D1_ERROR: simulated outage");
    },
  } as unknown as D1Database;
}

/**
 * Runs a shipper over the SKU object's own outbox with the D1 and the queue a
 * test chooses (a failing D1, a failing or a recording queue): a failure
 * between the shipper's steps can only be staged inside the object.
 * `parkAlarm` first takes the object's alarm away, so its own shipper does not
 * ship the same rows meanwhile.
 */
export function shipThrough(sku: string, deps: { db?: D1Database; notifications?: Queue; parkAlarm?: boolean } = {}) {
  return runInDurableObject(skuStub(sku), async (o: SkuObject, state) => {
    if (deps.parkAlarm) await state.storage.deleteAlarm();
    const shipper = new OutboxShipper(state.storage, o.ledger.tables, {
      db: deps.db ?? env.DB,
      notifications: deps.notifications ?? fakeQueue().queue,
      lowStockThreshold: 10,
      log: o.log,
    });
    const report = await shipper.drain();
    return { report, retryInMs: shipper.retryNotBeforeMs - Date.now() };
  });
}
