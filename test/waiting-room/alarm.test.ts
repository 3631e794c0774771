import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, unique } from "../support/helpers";
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
  return { saleId, endsAtMs: Date.parse(res.body.endsAt), startsAtMs: Date.parse(res.body.startsAt) };
}

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
});
