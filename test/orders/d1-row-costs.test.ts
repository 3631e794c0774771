import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import type { ShipperDeps } from "../../src/stock/outbox";
import worker from "../../src/worker";
import { ADMIN, createSku, shopperToken, unique } from "../support/helpers";
import { skuStub } from "../support/inside-objects";
import { meteredD1 } from "../support/d1-meter";
import { flushOutbox } from "../support/outbox";

/**
 * What D1 bills an order and a shipped hold event: the rows each statement
 * reports written in its result's `meta.rows_written` (D1 counts every index
 * entry as a row), summed per statement kind. The Worker (requests, both
 * queue consumers, driven here with the messages the Worker queued) and the
 * SKU object's outbox shipper run on a D1 that counts; the simulated
 * provider charges, as in the bench's cost phase (bench/costs.ts). Issue
 * 18's cut, docs/bench-and-chaos.md#cost-per-operation.
 */

type Tally = Map<string, { statements: number; rows_written: number }>;

/** "insert audit_events", "update orders"...: the statement's verb and table. */
function kindOf(query: string): string {
  const q = query.replace(/\s+/g, " ").trim();
  const m = /^(insert into|update|delete from) "?(\w+)"?/i.exec(q);
  if (m) return `${m[1]!.split(" ")[0]!.toLowerCase()} ${m[2]}`;
  const from = /\bfrom "?(\w+)"?/i.exec(q);
  return `select ${from?.[1] ?? "?"}`;
}

/** The shared D1 meter (test/support/d1-meter.ts), tallying rows written by statement kind; a write through first() would escape it. */
function tallyingD1(db: D1Database, tally: Tally): D1Database {
  return meteredD1(db, {
    metered(query, meta) {
      const k = kindOf(query);
      const t = tally.get(k) ?? { statements: 0, rows_written: 0 };
      t.statements += 1;
      t.rows_written += meta?.rows_written ?? 0;
      tally.set(k, t);
    },
    unmetered(query, method) {
      if (method === "first" && !/^\s*select/i.test(query)) throw new Error(`unmetered write: ${query}`);
    },
  });
}

type Sent = { queue: string; body: unknown };

function capturingQueue(queue: string, sent: Sent[]): Queue {
  return {
    async send(body: unknown) {
      sent.push({ queue, body });
    },
    async sendBatch(messages: Iterable<{ body: unknown }>) {
      for (const m of messages) sent.push({ queue, body: m.body });
    },
  } as unknown as Queue;
}

/** A Worker env whose D1 counts and whose queues keep what they are sent; the simulated provider charges. */
function meteredWorld() {
  const tally: Tally = new Map();
  const sent: Sent[] = [];
  const db = tallyingD1(env.DB, tally);
  const world: Env = {
    ...env,
    DB: db,
    STRIPE_SECRET_KEY: "",
    PAYMENTS: capturingQueue("holdfast-payments", sent),
    NOTIFICATIONS: capturingQueue("holdfast-notifications", sent),
  };
  return { tally, sent, world };
}

/** Points the SKU object's outbox shipper at the counting D1, then ships what it already holds (not counted). */
async function meterShipping(sku: string, tally: Tally): Promise<void> {
  await flushOutbox(sku);
  await runInDurableObject(skuStub(sku), (o: SkuObject) => {
    const shipper = o.shipper as unknown as { deps: ShipperDeps };
    shipper.deps = { ...shipper.deps, db: tallyingD1(shipper.deps.db, tally) };
  });
}

async function request(world: Env, path: string, init: RequestInit & { auth: string; body?: string }) {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  headers.set("authorization", init.auth);
  if (init.body) headers.set("content-type", "application/json");
  const res = await worker.fetch(new Request(`https://holdfast.test${path}`, { ...init, headers }), world, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Delivers every message queued so far (and those they queue) to the real consumers; bounded. */
async function deliverAll(world: Env, sent: Sent[]): Promise<number> {
  let delivered = 0;
  for (let round = 0; round < 10 && sent.length > 0; round++) {
    const now = sent.splice(0, sent.length);
    for (const queue of new Set(now.map((m) => m.queue))) {
      const messages = now
        .filter((m) => m.queue === queue)
        .map((m) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: m.body }));
      const batch = createMessageBatch(queue, messages);
      const ctx = createExecutionContext();
      await worker.queue(batch as MessageBatch<unknown>, world);
      const result = await getQueueResult(batch, ctx);
      expect(result.retryMessages).toEqual([]);
      delivered += messages.length;
    }
  }
  expect(sent).toEqual([]);
  return delivered;
}

const total = (tally: Tally) => [...tally.values()].reduce((n, t) => n + t.rows_written, 0);

/**
 * The rows a flow may write, given how many alarm runs shipped its events: the
 * outbox ships what is due every `delay_ms` (500), so on a slow run a hold's
 * event ships before its checkout's, and each further batch writes the levels'
 * upsert (1) and the customer's hold again (2).
 */
const BATCH_ROWS = 3;
const boundFor = (rows: number, tally: Tally) => rows + BATCH_ROWS * Math.max(0, (tally.get("insert inventory")?.statements ?? 1) - 1);

function print(title: string, tally: Tally, per: number): void {
  if (!inject("testVerbose")) return;
  const lines = [...tally.entries()]
    .filter(([, t]) => t.rows_written > 0)
    .sort((a, b) => b[1].rows_written - a[1].rows_written)
    .map(
      ([k, t]) => `  ${k.padEnd(28)} ${String(t.statements).padStart(4)} statements ${(t.rows_written / per).toFixed(2).padStart(7)} rows`,
    );
  console.log(`${title}: ${(total(tally) / per).toFixed(2)} D1 rows written\n${lines.join("\n")}`);
}

const HOLDS = 8;

describe("D1 rows written", () => {
  it("shipping a hold's event writes at most 4.125 D1 rows in a batch of 8 (its audit event and time index entry, the customer's hold and its customer index entry, the levels per batch), its events in one statement", async () => {
    const sku = await createSku({ stock: 100 });
    const { tally, world } = meteredWorld();
    await meterShipping(sku, tally);
    const auth = await shopperToken(unique("ship"));
    for (let i = 0; i < HOLDS; i++) {
      const held = await request(world, `/v1/skus/${sku}/holds`, {
        method: "POST",
        auth,
        headers: { "idempotency-key": unique("k") },
        body: JSON.stringify({ quantity: 1 }),
      });
      expect(held.status).toBe(201);
    }
    await flushOutbox(sku);
    print(`per shipped hold event (${HOLDS} holds)`, tally, HOLDS);
    // 33 rows in one batch (4.125 a hold); a slow run that ships them in more writes the levels once per batch.
    const batches = tally.get("insert inventory")?.statements ?? 1;
    expect(total(tally) / HOLDS).toBeLessThanOrEqual((33 + Math.max(0, batches - 1)) / HOLDS);
    // The events of a batch go in one statement (D1 binds 100 parameters: 14 events of 7), not one statement each.
    expect(tally.get("insert audit_events")?.statements).toBe(batches);
  });

  it("a paid order, from its hold to the commit, writes at most 31 D1 rows (its order row once: the table is its key's own b-tree), and its refund with restock 23", async () => {
    const sku = await createSku({ stock: 10 });
    const { tally, sent, world } = meteredWorld();
    await meterShipping(sku, tally);
    const auth = await shopperToken(unique("buyer"));
    const held = await request(world, `/v1/skus/${sku}/holds`, { method: "POST", auth, body: JSON.stringify({ quantity: 1 }) });
    expect(held.status).toBe(201);
    const placed = await request(world, "/v1/checkout", {
      method: "POST",
      auth,
      headers: { "idempotency-key": unique("checkout") },
      body: JSON.stringify({ holdIds: [held.body.holdId], paymentMethod: "pm_card_visa" }),
    });
    expect(placed.status).toBe(202);
    expect(await deliverAll(world, sent)).toBeGreaterThanOrEqual(2);
    await flushOutbox(sku);
    const order = await request(world, `/v1/orders/${placed.body.orderId}`, { auth: ADMIN });
    expect(order.body.status).toBe("paid");
    print("per paid order", tally, 1);
    expect(total(tally)).toBeLessThanOrEqual(boundFor(31, tally));

    // The bench's whole order goes on: the merchant refunds it with a restock.
    tally.clear();
    const refunded = await request(world, `/v1/orders/${placed.body.orderId}/refund`, {
      method: "POST",
      auth: ADMIN,
      headers: { "idempotency-key": unique("refund") },
      body: JSON.stringify({ restock: true }),
    });
    expect(refunded.status).toBe(200);
    await deliverAll(world, sent);
    await flushOutbox(sku);
    expect((await request(world, `/v1/orders/${placed.body.orderId}`, { auth: ADMIN })).body.status).toBe("refunded");
    print("per refund with restock", tally, 1);
    expect(total(tally)).toBeLessThanOrEqual(boundFor(23, tally));
  });
});
