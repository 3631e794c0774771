import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WaitingRoomObject } from "../../src/objects/waiting-room-object";
import { joinShardCount, joinShardName } from "../../src/waiting-room/config";
import { shardOf } from "../../src/stock/addressing";
import { ADMIN, call, createSku, type Reply, restock, type Schemas, shopperToken, sleep, unique } from "../support/helpers";
import { endQueuedSalesAfterAll, queuedItem as item } from "../support/queued-sales";

type QueueStatus = Schemas["QueueStatus"];

/**
 * Joins at the edges of a queue's life (spec §9, issue 17 findings 3 and 5):
 * a closed queue issues no place, a restock reopens it, and a join near
 * a lottery's close is a draw entrant exactly when the shard that records it says so.
 * Ticks are run by hand (runDurableObjectAlarm) rather than waited for.
 */

const made = endQueuedSalesAfterAll();
afterEach(() => {
  vi.restoreAllMocks();
});

async function queuedSale(skus: string[], queue: Record<string, unknown>, startsInMs = -60_000) {
  const saleId = unique("jsale");
  made.push({ saleId, skus });
  const now = Date.now();
  const res = await call(`/v1/sales/${saleId}`, {
    method: "PUT",
    auth: ADMIN,
    body: {
      name: `Queued ${saleId}`,
      startsAt: new Date(now + startsInMs).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      items: skus.map(item),
      queue,
    },
  });
  expect(res.status).toBe(201);
  return { saleId, startsAtMs: Date.parse(res.body.startsAt) };
}

const join = async (saleId: string, customer: string, body: object = {}): Promise<Reply<QueueStatus>> =>
  call(`/v1/sales/${saleId}/queue`, { auth: await shopperToken(customer), body });
const poll = async (saleId: string, customer: string, ticket: string): Promise<Reply<QueueStatus>> =>
  call(`/v1/sales/${saleId}/queue/${ticket}`, { auth: await shopperToken(customer) });

/** One tick of the sale's queue object, then past the edge's cached state (EDGE_CACHE_TTL_SECONDS = 1). */
async function tick(saleId: string) {
  await runDurableObjectAlarm(env.WAITING_ROOM.getByName(saleId));
  await sleep(1_100);
}

/** The row the customer's join shard holds, if any. */
function waiterRow(saleId: string, customer: string) {
  const shard = env.WAITING_ROOM.getByName(joinShardName(saleId, shardOf(customer, joinShardCount(env))));
  return runInDurableObject(
    shard,
    (_o, state) =>
      state.storage.sql
        .exec<{ arrival_ms: number; in_draw: number; place: string | null }>(
          "SELECT arrival_ms, in_draw, place FROM waiters WHERE customer_id = ?",
          customer,
        )
        .toArray()[0],
  );
}

const claimsOf = (ticket: string) => JSON.parse(atob(ticket.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")));

describe("a closed queue", () => {
  it("issues no place, and a restock reopens it: the next shopper to join is admitted", async () => {
    const sku = await createSku({ stock: 0, alwaysOn: false });
    const { saleId } = await queuedSale([sku], { mode: "fifo", admitSeconds: 60 });
    const first = unique("c");
    const firstJoin = await join(saleId, first);
    expect(firstJoin.body.status).toBe("waiting");
    await tick(saleId);
    expect((await poll(saleId, first, firstJoin.body.ticket!)).body.status).toBe("sold_out");

    // Joining the closed queue: the answer says so, and no place is recorded or signed.
    const late = unique("c");
    const closed = await join(saleId, late);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("sold_out");
    expect(closed.body.ticket).toBeUndefined();
    expect(await waiterRow(saleId, late)).toBeUndefined();

    // A restock reopens the queue; the first in line and then the next joiner are admitted as stock allows.
    await restock(sku, 2);
    await tick(saleId);
    const next = unique("c");
    const joined = await join(saleId, next);
    expect(joined.body.status).toBe("waiting");
    await tick(saleId);
    await tick(saleId);
    expect((await poll(saleId, next, joined.body.ticket!)).body.status).toBe("admitted");
  });

  it("never admits a ticket signed for a place nobody recorded", async () => {
    const sku = await createSku({ stock: 0, alwaysOn: false });
    const { saleId } = await queuedSale([sku], { mode: "fifo", admitSeconds: 60 });
    await join(saleId, unique("c"));
    await tick(saleId);
    const ghost = unique("c");
    const ghostJoin = await join(saleId, ghost);
    await restock(sku, 3);
    await tick(saleId);
    const real = unique("c");
    const realJoin = await join(saleId, real);
    await tick(saleId);
    await tick(saleId);
    expect((await poll(saleId, real, realJoin.body.ticket!)).body.status).toBe("admitted");
    // Whatever the closed queue answered the ghost, it holds no admission now.
    const ticket = ghostJoin.body.ticket;
    if (ticket) expect((await poll(saleId, ghost, ticket)).body.status).not.toBe("admitted");
    const state = await env.WAITING_ROOM.getByName(saleId).state();
    // Two real joiners, both admitted: nobody else was counted or let through.
    expect(state?.waiting).toBe(0);
  });
});

describe("a join near startsAt", () => {
  it("is a draw entrant exactly when the shard recorded it before the draw's close, and its ticket carries that record", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const { saleId, startsAtMs } = await queuedSale([sku], { mode: "lottery", prequeueSeconds: 600 }, 60_000);
    const closesAtMs = (await env.WAITING_ROOM.getByName(saleId).state())!.lottery!.closesAtMs;
    const customer = unique("c");
    // The edge reads its clock before the close; the state read and Turnstile take long enough that the shard records the join after it.
    const realNow = Date.now.bind(Date);
    let skew = closesAtMs - 100 - realNow();
    vi.spyOn(Date, "now").mockImplementation(() => realNow() + skew);
    const original = WaitingRoomObject.prototype.join;
    vi.spyOn(WaitingRoomObject.prototype, "join").mockImplementation(function (this: WaitingRoomObject, ...args) {
      skew = closesAtMs + 100 - realNow();
      return original.apply(this, args);
    });
    const joined = await join(saleId, customer);
    expect(joined.status).toBe(200);
    const row = await waiterRow(saleId, customer);
    expect(row).toBeDefined();
    expect(row!.arrival_ms).toBeGreaterThanOrEqual(closesAtMs);
    expect(row!.in_draw).toBe(0);
    expect(claimsOf(joined.body.ticket!).a).toBe(row!.arrival_ms);
    // After the start the draw is revealed; the late joiner is admitted by arrival, and nobody is left waiting.
    skew = startsAtMs + 2_000 - realNow();
    await runDurableObjectAlarm(env.WAITING_ROOM.getByName(saleId));
    await runDurableObjectAlarm(env.WAITING_ROOM.getByName(saleId));
    expect((await env.WAITING_ROOM.getByName(saleId).state())?.waiting).toBe(0);
  });
});

describe("a sale with several items", () => {
  it("admits each item's line within that item's own stock, and an admission holds only its item", async () => {
    const hot = await createSku({ stock: 1, alwaysOn: false });
    const cold = await createSku({ stock: 50, alwaysOn: false });
    const { saleId } = await queuedSale([hot, cold], { mode: "fifo", admitSeconds: 60 });
    const hotters = [unique("h"), unique("h"), unique("h"), unique("h")];
    const tickets: string[] = [];
    for (const c of hotters) {
      const res = await join(saleId, c, { sku: hot });
      expect(res.status).toBe(200);
      tickets.push(res.body.ticket!);
      await sleep(3);
    }
    const coldie = unique("c");
    const coldJoin = await join(saleId, coldie, { sku: cold });
    await tick(saleId);
    await tick(saleId);
    const hotStatuses = await Promise.all(hotters.map(async (c, i) => (await poll(saleId, c, tickets[i]!)).body));
    // The cold item's 50 units admit nobody who queued for the hot one: one unit, one admission, in line order.
    expect(hotStatuses.map((s) => s.status)).toEqual(["admitted", "waiting", "waiting", "waiting"]);
    expect(hotStatuses[1]!.position).toBe(1);
    const coldStatus = (await poll(saleId, coldie, coldJoin.body.ticket!)).body;
    expect(coldStatus.status).toBe("admitted");
    // The cold line's admission does not hold the hot item: its units go to the hot line, in order.
    const wrong = await call(`/v1/skus/${hot}/holds`, {
      auth: await shopperToken(coldie),
      body: { quantity: 1 },
      headers: { "Holdfast-Admission": coldStatus.admission!.token },
    });
    expect(wrong.status).toBe(403);
    const right = await call(`/v1/skus/${hot}/holds`, {
      auth: await shopperToken(hotters[0]!),
      body: { quantity: 1 },
      headers: { "Holdfast-Admission": hotStatuses[0]!.admission!.token },
    });
    expect(right.status).toBe(201);
    // A join that names no item of a sale with several is refused, as is an item the sale does not sell.
    expect((await join(saleId, unique("c"))).status).toBe(400);
    expect((await join(saleId, unique("c"), { sku: "not-in-sale" })).status).toBe(400);
  });
});
