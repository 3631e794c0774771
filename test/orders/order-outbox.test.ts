import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/maintenance";
import { checkout } from "../../src/orders/checkout";
import { OrderFlow } from "../../src/orders/flow";
import { createSku, hold, unique } from "../support/helpers";

/**
 * Issue 24 finding 5: the payment job and the shopper's notifications are
 * written in the same D1 batch as the move that causes them (an outbox), sent
 * after it, and re-sent by the sweep when a crash came in between. A crash is
 * a queue send that throws once; the sweep then delivers exactly once.
 */

const LATER_MS = 10 * 60_000;

/** A queue whose first `failures` sends throw (the crash), and which records what it did send. */
function crashingQueue(failures: number) {
  const sent: unknown[] = [];
  let left = failures;
  const queue = {
    async send(body: unknown) {
      if (left-- > 0) throw new Error("crashed before the send");
      sent.push(structuredClone(body));
    },
    async sendBatch(messages: Iterable<{ body: unknown }>) {
      if (left-- > 0) throw new Error("crashed before the send");
      for (const m of messages) sent.push(structuredClone(m.body));
    },
  };
  return { queue: queue as unknown as Queue, sent };
}

const ofOrder = (sent: unknown[], orderId: string) => sent.filter((m) => (m as { orderId?: string }).orderId === orderId);

async function placeOrder(me: string, queues: Partial<Pick<Env, "PAYMENTS" | "NOTIFICATIONS">>) {
  const sku = await createSku({ stock: 3 });
  const h = (await hold(sku, me, 1)).body;
  const out = await checkout(
    { ...env, ...crashingQueues(), ...queues },
    me,
    { holdIds: [h.holdId], paymentMethod: "pm_card_visa" },
    null,
    Date.now(),
  ).catch(() => null);
  const [row] = (await env.DB.prepare("SELECT order_id FROM orders WHERE customer_id = ?").bind(me).all<{ order_id: string }>()).results;
  expect(out === null || out.ok).toBe(true);
  return row!.order_id;
}

/** Queues that drop everything: Miniflare's own consumers must not race the test. */
function crashingQueues() {
  return { PAYMENTS: crashingQueue(0).queue as Env["PAYMENTS"], NOTIFICATIONS: crashingQueue(0).queue as Env["NOTIFICATIONS"] };
}

describe("the orders' outbox", () => {
  it("delivers the payment job exactly once after a crash between writing the order and sending its job", async () => {
    const me = unique("obx-job");
    const crash = crashingQueue(1);
    const orderId = await placeOrder(me, { PAYMENTS: crash.queue as Env["PAYMENTS"] });
    expect(ofOrder(crash.sent, orderId)).toHaveLength(0);

    const swept = crashingQueue(0);
    const later = { ...env, PAYMENTS: swept.queue as Env["PAYMENTS"], NOTIFICATIONS: crashingQueue(0).queue as Env["NOTIFICATIONS"] };
    await runMaintenance(later, Date.now() + LATER_MS);
    await runMaintenance(later, Date.now() + 2 * LATER_MS);
    expect(ofOrder(swept.sent, orderId)).toEqual([{ orderId }]);
  });

  it("delivers the shopper's order.confirmed exactly once after a crash between paying the order and sending it", async () => {
    const me = unique("obx-note");
    const orderId = await placeOrder(me, {});
    const crash = crashingQueue(1);
    const crashing = { ...env, ...crashingQueues(), NOTIFICATIONS: crash.queue as Env["NOTIFICATIONS"] };
    await new OrderFlow(crashing).charge(orderId, Date.now()).catch(() => undefined);
    expect((await env.DB.prepare("SELECT status FROM orders WHERE order_id = ?").bind(orderId).first<{ status: string }>())?.status).toBe(
      "paid",
    );
    // A redelivered payment job finds the order paid: the move does not happen again, so neither does its notification.
    await new OrderFlow(crashing).charge(orderId, Date.now());
    expect(ofOrder(crash.sent, orderId)).toHaveLength(0);

    const swept = crashingQueue(0);
    const later = { ...env, PAYMENTS: crashingQueue(0).queue as Env["PAYMENTS"], NOTIFICATIONS: swept.queue as Env["NOTIFICATIONS"] };
    await runMaintenance(later, Date.now() + LATER_MS);
    await runMaintenance(later, Date.now() + 2 * LATER_MS);
    const notes = ofOrder(swept.sent, orderId) as Array<{ id: string; type: string; data: { payment: object } }>;
    expect(notes.map((n) => n.type)).toEqual(["order.confirmed"]);
    expect(notes[0]!.id).toBe(`order:${orderId}:order.confirmed`);
    expect(JSON.stringify(notes)).not.toMatch(/_secret_/);
  });

  it("writes no row for a transition that did not apply (a duplicate or a lost race)", async () => {
    const me = unique("obx-race");
    const orderId = await placeOrder(me, {});
    const notes = crashingQueue(0);
    const racing = { ...env, ...crashingQueues(), NOTIFICATIONS: notes.queue as Env["NOTIFICATIONS"] };
    // Three deliveries of the same success at once (the job, the webhook, its redelivery): one moves the order.
    await Promise.all(
      [1, 2, 3].map(() => new OrderFlow(racing).paymentSucceeded(orderId, "pi_sim_race", Date.now()).catch(() => undefined)),
    );
    const { results } = await env.DB.prepare("SELECT id FROM order_outbox WHERE order_id = ? AND queue = 'notifications'")
      .bind(orderId)
      .all<{ id: string }>();
    expect(results.map((r) => r.id)).toEqual([`order:${orderId}:order.confirmed`]);
    expect(ofOrder(notes.sent, orderId)).toHaveLength(1);
  });
});
