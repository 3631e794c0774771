import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { joinShardCount, joinShardName } from "../../src/waiting-room/config";
import { signAdmission } from "../../src/waiting-room/tokens";
import {
  ADMIN,
  call,
  checkoutAs,
  createSku,
  expectProblem,
  hold,
  type Reply,
  type Schemas,
  shopperToken,
  unique,
} from "../support/helpers";

type QueueStatus = Schemas["QueueStatus"];
import { TEST_SECRETS } from "../support/secrets";
import { endQueuedSalesAfterAll, queuedItem as item } from "../support/queued-sales";

/** The inventory-aware waiting room (spec §9), through the Worker, with the queue object's own alarm. */

/** Queued sales this file made: ended afterwards, so their queue objects stop ticking before the runtime goes away. */
const made = endQueuedSalesAfterAll();

async function queuedSale(skus: string[], queue: Record<string, unknown>, window: { startsInMs?: number; endsInMs?: number } = {}) {
  const saleId = unique("qsale");
  made.push({ saleId, skus });
  const now = Date.now();
  const res = await call(`/v1/sales/${saleId}`, {
    method: "PUT",
    auth: ADMIN,
    body: {
      name: `Queued ${saleId}`,
      startsAt: new Date(now + (window.startsInMs ?? -60_000)).toISOString(),
      endsAt: new Date(now + (window.endsInMs ?? 3_600_000)).toISOString(),
      items: skus.map(item),
      queue,
    },
  });
  expect(res.status).toBe(201);
  return { saleId, body: res.body };
}

async function join(saleId: string, customer: string) {
  return call(`/v1/sales/${saleId}/queue`, { auth: await shopperToken(customer), body: {} });
}

async function poll(saleId: string, customer: string, ticket: string) {
  return call(`/v1/sales/${saleId}/queue/${ticket}`, { auth: await shopperToken(customer) });
}

/** Polls until `done` holds for the waiter (the frontier moves about once a second, the edge state is a second old at most). */
async function until(
  saleId: string,
  customer: string,
  ticket: string,
  done: (b: QueueStatus) => boolean,
  timeoutMs = 12_000,
): Promise<QueueStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res: Reply<QueueStatus> = await poll(saleId, customer, ticket);
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`waiter ${customer} still ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Joins each customer in order, a few ms apart so arrival order is unambiguous. */
async function joinAll(saleId: string, customers: string[]) {
  const tickets: string[] = [];
  for (const c of customers) {
    const res = await join(saleId, c);
    expect(res.status).toBe(200);
    tickets.push(res.body.ticket);
    await new Promise((r) => setTimeout(r, 3));
  }
  return tickets;
}

const statuses = async (saleId: string, customers: string[], tickets: string[]) =>
  Promise.all(customers.map(async (c, i) => (await poll(saleId, c, tickets[i]!)).body));

async function usedTotal(saleId: string): Promise<number> {
  const surveys = await Promise.all(
    Array.from({ length: joinShardCount(env) }, (_, i) => env.WAITING_ROOM.getByName(joinShardName(saleId, i)).survey(0, {})),
  );
  return surveys.reduce((n, s) => n + Object.values(s.lines).reduce((m, l) => m + l.usedTotal, 0), 0);
}

describe("a sale without a queue", () => {
  it("works as before: holds need no admission and the queue routes say not_found", async () => {
    const sku = await createSku({ stock: 2, alwaysOn: false });
    const saleId = unique("plain");
    const put = await call(`/v1/sales/${saleId}`, {
      method: "PUT",
      auth: ADMIN,
      body: {
        name: "plain",
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        items: [item(sku)],
      },
    });
    expect(put.body.queue).toBeNull();
    expect((await hold(sku, unique("c"), 1)).status).toBe(201);
    expectProblem(await join(saleId, unique("c")), 404, "not_found");
  });
});

describe("overlapping sales", () => {
  it("asks for an admission only when the sale that prices the SKU has the queue, as the object decides by priority", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const now = Date.now();
    const sale = (startsAgoMs: number, priority: number, queue?: object) => ({
      name: "overlap",
      startsAt: new Date(now - startsAgoMs).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      items: [{ ...item(sku), priority }],
      ...(queue ? { queue } : {}),
    });
    // The queued sale started last, but the unqueued one outranks it: holds need no admission.
    const queued = unique("queued");
    made.push({ saleId: queued, skus: [sku] });
    expect((await call(`/v1/sales/${queued}`, { method: "PUT", auth: ADMIN, body: sale(60_000, 1, { mode: "fifo" }) })).status).toBe(201);
    const plain = unique("plain");
    expect((await call(`/v1/sales/${plain}`, { method: "PUT", auth: ADMIN, body: sale(120_000, 5) })).status).toBe(201);
    expect((await hold(sku, unique("c"), 1)).status).toBe(201);
    // Raising the queued sale above it puts the waiting room in front again.
    expect((await call(`/v1/sales/${queued}`, { method: "PUT", auth: ADMIN, body: sale(60_000, 9, { mode: "fifo" }) })).status).toBe(200);
    expectProblem(await hold(sku, unique("c"), 1), 403, "admission_required");
  });
});

describe("joining and admission", () => {
  it("refuses holds without a valid admission, admits by stock in arrival order, and the admission then holds", async () => {
    const sku = await createSku({ stock: 3, alwaysOn: false });
    const { saleId, body } = await queuedSale([sku], { mode: "fifo", admitSeconds: 60 });
    expect(body.queue).toEqual({ mode: "fifo", prequeueSeconds: 600, admitSeconds: 60 });
    const customers = Array.from({ length: 8 }, () => unique("c"));

    expectProblem(await hold(sku, customers[0]!, 1), 403, "admission_required");
    const tickets = await joinAll(saleId, customers);
    // Joining again returns the same place.
    expect((await join(saleId, customers[0]!)).body.ticket).toBe(tickets[0]);

    const first = await until(saleId, customers[0]!, tickets[0]!, (b) => b.status === "admitted");
    // Let a few more ticks pass: admissions stay within what the stock can serve.
    await new Promise((r) => setTimeout(r, 2_500));
    const all = await statuses(saleId, customers, tickets);
    expect(all.map((s) => s.status)).toEqual(["admitted", "admitted", "admitted", "waiting", "waiting", "waiting", "waiting", "waiting"]);
    // Each waiter knows their place among those not yet admitted; the admitted have none.
    expect(all.map((s) => s.position)).toEqual([undefined, undefined, undefined, 1, 2, 3, 4, 5]);
    expect(all.map((s) => s.waiting)).toEqual(Array(8).fill(5));

    // Forged, other sale's, other customer's and expired admissions are refused.
    const forged = `${first.admission!.token.slice(0, -2)}AA`;
    expectProblem(await hold(sku, customers[0]!, 1, { "Holdfast-Admission": forged }), 403, "admission_required");
    // A damaged token (cut short in transit) is no admission: the shopper is sent back to the queue, not told 400.
    expectProblem(
      await hold(sku, customers[0]!, 1, { "Holdfast-Admission": first.admission!.token.slice(0, 20) }),
      403,
      "admission_required",
    );
    expectProblem(await hold(sku, customers[1]!, 1, { "Holdfast-Admission": first.admission!.token }), 403, "admission_required");
    const otherSale = await signAdmission(TEST_SECRETS.QUEUE_SIGNING_SECRET, {
      s: unique("other"),
      c: customers[0]!,
      t: Date.now(),
      k: sku,
      e: Date.now() + 60_000,
    });
    expectProblem(await hold(sku, customers[0]!, 1, { "Holdfast-Admission": otherSale }), 403, "admission_required");
    const expired = await signAdmission(TEST_SECRETS.QUEUE_SIGNING_SECRET, {
      s: saleId,
      c: customers[0]!,
      t: Date.now() - 120_000,
      k: sku,
      e: Date.now() - 1,
    });
    expectProblem(await hold(sku, customers[0]!, 1, { "Holdfast-Admission": expired }), 403, "admission_required");

    const held = await hold(sku, customers[0]!, 1, { "Holdfast-Admission": first.admission!.token });
    expect(held.status).toBe(201);
  });

  it("asks a checkout by items for the admission a hold needs, and answers its retry once the admission lapsed", async () => {
    const sku = await createSku({ stock: 3, alwaysOn: false });
    const { saleId } = await queuedSale([sku], { mode: "fifo" });
    const customer = unique("c");
    const order = { items: [{ sku, quantity: 1 }], paymentMethod: "pm_card_visa" };
    expectProblem(await checkoutAs(customer, order), 403, "admission_required");
    const admission = await signAdmission(TEST_SECRETS.QUEUE_SIGNING_SECRET, {
      s: saleId,
      c: customer,
      t: Date.now(),
      k: sku,
      e: Date.now() + 60_000,
    });
    const key = { "Idempotency-Key": unique("checkout") };
    const placed = await checkoutAs(customer, order, { ...key, "Holdfast-Admission": admission });
    expect(placed.status).toBe(202);
    const retry = await checkoutAs(customer, order, key);
    expect(retry.status).toBe(202);
    expect(retry.body.orderId).toBe(placed.body.orderId);
    // The refused checkout took nothing and the retry took no second unit: one is the order's (held or sold by now).
    expect((await call(`/v1/skus/${sku}`, { auth: ADMIN })).body.available).toBe(2);
  });

  it("refuses someone else's ticket, and a forged one, as not found", async () => {
    const sku = await createSku({ stock: 1, alwaysOn: false });
    const { saleId } = await queuedSale([sku], { mode: "fifo" });
    const [a, b] = [unique("c"), unique("c")];
    const ticket = (await join(saleId, a)).body.ticket as string;
    expectProblem(await poll(saleId, b, ticket), 404, "not_found");
    expectProblem(await poll(saleId, a, `${ticket.slice(0, -2)}AA`), 404, "not_found");
    // Another queued sale (of another SKU: one SKU is in one sale at a time) does not take this one's tickets.
    const other = await queuedSale([await createSku({ stock: 1, alwaysOn: false })], { mode: "fifo" });
    expectProblem(await poll(other.saleId, a, ticket), 404, "not_found");
  });

  it("admits the next waiter when a unit comes back", async () => {
    const sku = await createSku({ stock: 2, alwaysOn: false });
    const { saleId } = await queuedSale([sku], { mode: "fifo" });
    const customers = Array.from({ length: 4 }, () => unique("c"));
    const tickets = await joinAll(saleId, customers);
    const admitted = await until(saleId, customers[0]!, tickets[0]!, (b) => b.status === "admitted");
    const held = await hold(sku, customers[0]!, 1, { "Holdfast-Admission": admitted.admission!.token });
    expect(held.status).toBe(201);
    // The hold's use is reported after the answer: wait until the shard counted it.
    for (let i = 0; i < 50 && (await usedTotal(saleId)) < 1; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await statuses(saleId, customers, tickets)).map((s) => s.status)).toEqual(["admitted", "admitted", "waiting", "waiting"]);

    const released = await call(`/v1/skus/${sku}/holds/${held.body.holdId}`, { method: "DELETE", auth: await shopperToken(customers[0]!) });
    expect(released.status).toBe(200);
    await until(saleId, customers[2]!, tickets[2]!, (b) => b.status === "admitted");
    expect((await poll(saleId, customers[3]!, tickets[3]!)).body.status).toBe("waiting");
  });

  it("closes the queue when the last unit is sold, and every waiter sees sold_out", async () => {
    const sku = await createSku({ stock: 1, alwaysOn: false });
    const { saleId } = await queuedSale([sku], { mode: "fifo" });
    const customers = Array.from({ length: 3 }, () => unique("c"));
    const tickets = await joinAll(saleId, customers);
    const admitted = await until(saleId, customers[0]!, tickets[0]!, (b) => b.status === "admitted");
    const h = await hold(sku, customers[0]!, 1, { "Holdfast-Admission": admitted.admission!.token });
    expect(h.status).toBe(201);
    expect((await until(saleId, customers[1]!, tickets[1]!, (b) => b.allHeld)).status).toBe("waiting");
    const order = await call("/v1/checkout", {
      auth: await shopperToken(customers[0]!),
      body: { holdIds: [h.body.holdId], paymentMethod: "pm_card_visa" },
      headers: { "Idempotency-Key": unique("k") },
    });
    expect(order.status).toBe(202);
    for (const [i, c] of customers.entries()) await until(saleId, c, tickets[i]!, (b) => b.status === "sold_out", 20_000);
    // A latecomer is told at once.
    expect((await join(saleId, unique("late"))).body.status).toBe("sold_out");
  });
});

describe("polling at the edge", () => {
  it("answers a burst of concurrent polls that miss the cache from one read of the queue object", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const { saleId } = await queuedSale([sku], { mode: "fifo" });
    const [ticket] = await joinAll(saleId, ["burst-poller"]);
    const auth = await shopperToken("burst-poller");
    // Past the edge TTL (1 s), the next polls all miss: the first reads the object, the rest wait for its answer.
    await new Promise((r) => setTimeout(r, 1_200));
    const burst = await Promise.all(Array.from({ length: 40 }, () => call(`/v1/sales/${saleId}/queue/${ticket}`, { auth })));
    expect(burst.map((r) => r.status)).toEqual(Array(40).fill(200));
    for (const r of burst) expect(r.body).toMatchObject({ ticket, waiting: expect.any(Number) });
    expect(burst.filter((r) => r.headers.get("holdfast-cache") === "miss").length).toBe(1);
  });
});

describe("the sale's merchant", () => {
  it("turns the queue off with the next write of the sale", async () => {
    const sku = await createSku({ stock: 1, alwaysOn: false });
    const { saleId } = await queuedSale([sku], { mode: "fifo" });
    const put = await call(`/v1/sales/${saleId}`, {
      method: "PUT",
      auth: ADMIN,
      body: {
        name: "no queue",
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        items: [item(sku)],
      },
    });
    expect(put.body.queue).toBeNull();
    expect((await hold(sku, unique("c"), 1)).status).toBe(201);
  });
});
