import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, restock, unique } from "../support/helpers";
import type { WaitingRoomObject } from "../../src/objects/waiting-room-object";
import type { Coordinator } from "../../src/waiting-room/coordinator";
import { QUEUE_RETENTION_MS } from "../../src/waiting-room/coordinator";
import { alarmOf } from "../support/inside-objects";

/** The queue object's alarm (spec §9): the table is the truth, the alarm only the trigger. */

async function sale(window: { startsInMs: number; endsInMs: number }) {
  const sku = await createSku({ stock: 5, alwaysOn: false });
  const saleId = unique("qalarm");
  const res = await call(`/v1/sales/${saleId}`, {
    method: "PUT",
    auth: ADMIN,
    body: {
      name: "alarm",
      startsAt: new Date(Date.now() + window.startsInMs).toISOString(),
      endsAt: new Date(Date.now() + window.endsInMs).toISOString(),
      items: [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 1 }],
      queue: { mode: "fifo" },
    },
  });
  expect(res.status).toBe(201);
  return { saleId, sku, endsAtMs: Date.parse(res.body.endsAt), startsAtMs: Date.parse(res.body.startsAt) };
}

/**
 * The queue's coordinator role, in its object (the model test's way in), on
 * the test's clock: the object's own alarm, armed for real time, is taken off
 * first so that only the test's ticks run.
 */
const coordinator = <T>(saleId: string, f: (c: Coordinator) => T | Promise<T>) =>
  runInDurableObject(env.WAITING_ROOM.getByName(saleId), async (o: WaitingRoomObject, state) => {
    await state.storage.deleteAlarm();
    return f((o as unknown as { coordinator: Coordinator }).coordinator);
  });

describe("the queue object's alarm", () => {
  it("arms for the start of an upcoming sale", async () => {
    const { saleId, startsAtMs } = await sale({ startsInMs: 3_600_000, endsInMs: 7_200_000 });
    const stub = env.WAITING_ROOM.getByName(saleId);
    expect(await alarmOf(stub)).toBe(startsAtMs);
  });

  it("lets a live queue nobody joined sleep until the sale ends, asking no join shard", async () => {
    const { saleId, endsAtMs } = await sale({ startsInMs: -60_000, endsInMs: 3_600_000 });
    const stub = env.WAITING_ROOM.getByName(saleId);
    await runDurableObjectAlarm(stub);
    expect(await alarmOf(stub)).toBe(endsAtMs);
    expect(await stub.state()).toMatchObject({ closed: null, waiting: 0, admitted: 0 });
  });

  it("closes the queue of a sale that ended, then wakes once more only to forget it after retention", async () => {
    const { saleId, endsAtMs } = await sale({ startsInMs: -120_000, endsInMs: -60_000 });
    const stub = env.WAITING_ROOM.getByName(saleId);
    await runDurableObjectAlarm(stub);
    expect((await stub.state())?.closed).toBe("ended");
    expect(await alarmOf(stub)).toBe(endsAtMs + QUEUE_RETENTION_MS);
  });

  it("keeps a join's wake that lands while a tick awaits: the queue does not go to sleep on its stale read", async () => {
    const { saleId, endsAtMs } = await sale({ startsInMs: -60_000, endsInMs: 3_600_000 });
    await runDurableObjectAlarm(env.WAITING_ROOM.getByName(saleId));
    const due = await coordinator(saleId, async (c) => {
      // The tick reads the queue (nobody joined yet), then awaits the draw's step and the stock; a join wakes it meanwhile.
      const ticking = c.tick(Date.now());
      c.wake();
      await ticking;
      return c.nextDueMs(Date.now());
    });
    expect(due).not.toBeNull();
    expect(due!).toBeLessThan(endsAtMs);
  });

  it("keeps checking the stock of a queue that sold out while nobody waited, and reopens it when stock returns", async () => {
    const { saleId, sku, endsAtMs } = await sale({ startsInMs: -60_000, endsInMs: 3_600_000 });
    // The alarm armed for the start has run, so only this test's ticks follow.
    await runDurableObjectAlarm(env.WAITING_ROOM.getByName(saleId));
    const t0 = Date.now();
    // Someone joined once, long enough ago that a tick with nobody waiting lets the queue sleep.
    await coordinator(saleId, async (c) => {
      c.wake();
      await c.tick(t0 + 10_000);
    });
    await restock(sku, -5);
    const soldOut = await coordinator(saleId, async (c) => {
      await c.tick(t0 + 11_000);
      return c.state();
    });
    expect(soldOut?.closed).toBe("sold_out");
    await restock(sku, 3);
    // Joins are refused while it says sold out, so none will wake it: its own ticks must see the stock come back.
    const due = await coordinator(saleId, (c) => c.nextDueMs(t0 + 12_000));
    expect(due!).toBeLessThan(endsAtMs);
    const reopened = await coordinator(saleId, async (c) => {
      await c.tick(Math.max(due!, t0 + 12_000));
      return c.state();
    });
    expect(reopened?.closed).toBeNull();
  });
});
