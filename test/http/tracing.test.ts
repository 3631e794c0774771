import { createExecutionContext, createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handleNotifications, NOTIFICATION_QUEUES } from "../../src/notifications/consumer";
import { handlePayments, PAYMENT_QUEUES } from "../../src/payments/consumer";
import worker from "../../src/worker";
import type { ReceivedWebhook } from "../support/fake-merchant";
import { createSku, getOrder, shopperToken, unique } from "../support/helpers";
import { corruptLiveUnits } from "../support/inside-objects";
import { fakeQueue } from "../support/outbox";
import { simulatedEnv } from "../support/fake-stripe";

/**
 * Issue 21: W3C trace context. A `traceparent` is continued (or, absent or
 * malformed, a new trace started, never a 400) and answered as
 * `traceresponse`; the trace id follows one purchase through the SKU object,
 * the payments queue, the notifications queue and the merchant's webhook,
 * and is on every log line written on the way.
 */

afterEach(() => vi.restoreAllMocks());

const hex = (bytes: number) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const traceIdOf = (traceparent: string | null | undefined) => TRACEPARENT.exec(traceparent ?? "")?.[1];

/** Every line the logger writes (all levels go through these four). */
function captureLog(): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  const keep = (line: unknown) => {
    try {
      lines.push(JSON.parse(String(line)) as Record<string, unknown>);
    } catch {
      // not a logger line
    }
  };
  for (const level of ["debug", "log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(keep);
  return lines;
}

async function request(worldEnv: Env, path: string, init: { body?: unknown; headers?: Record<string, string>; auth?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (init.auth) headers.authorization = init.auth;
  return worker.fetch(
    new Request(`https://holdfast.test${path}`, {
      method: init.body ? "POST" : "GET",
      headers,
      body: init.body ? JSON.stringify(init.body) : undefined,
    }),
    worldEnv,
    createExecutionContext(),
  );
}

describe("traceparent at the edge", () => {
  it("continues a well-formed trace in a new span, and answers it as traceresponse", async () => {
    const sku = await createSku({ stock: 1 });
    const traceId = hex(16);
    const parent = hex(8);
    const res = await request(env, `/v1/skus/${sku}`, { headers: { traceparent: `00-${traceId}-${parent}-01` } });
    expect(res.status).toBe(200);
    const answered = TRACEPARENT.exec(res.headers.get("traceresponse") ?? "");
    expect(answered?.slice(1)).toEqual([traceId, expect.not.stringMatching(parent), "01"]);
  });

  it("starts a new trace for a missing or malformed one, never refusing the request", async () => {
    const sku = await createSku({ stock: 1 });
    const zeros = "0".repeat(32);
    for (const bad of [
      undefined,
      "garbage",
      `00-${zeros}-${hex(8)}-01`,
      `00-${hex(16)}-${"0".repeat(16)}-01`,
      `ff-${hex(16)}-${hex(8)}-01`,
      `00-${hex(16).toUpperCase()}-${hex(8)}-01`,
      `00-${hex(16)}-${hex(8)}-01-extra`,
    ]) {
      const res = await request(env, `/v1/skus/${sku}`, { headers: bad === undefined ? {} : { traceparent: bad } });
      expect(res.status, String(bad)).toBe(200);
      const id = traceIdOf(res.headers.get("traceresponse"));
      expect(id, String(bad)).toMatch(/^[0-9a-f]{32}$/);
      expect(id).not.toBe(zeros);
      if (bad) expect(bad.toLowerCase()).not.toContain(id);
    }
    // A later version's extra fields are ignored, its ids kept (Trace Context §4.3).
    const traceId = hex(16);
    const later = await request(env, `/v1/skus/${sku}`, { headers: { traceparent: `01-${traceId}-${hex(8)}-00-more` } });
    expect(traceIdOf(later.headers.get("traceresponse"))).toBe(traceId);
  });

  it("reaches the SKU object: its log line carries the caller's trace id", async () => {
    const lines = captureLog();
    const sku = await createSku({ stock: 2 });
    await corruptLiveUnits(sku);
    const traceId = hex(16);
    const res = await request(env, `/v1/skus/${sku}/holds`, {
      auth: await shopperToken(unique("tia")),
      body: { quantity: 1 },
      headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
    });
    expect(res.status).toBe(500);
    const violation = lines.find((l) => l.event === "invariant_violation");
    expect(violation).toMatchObject({ level: "critical", traceId });
  });
});

describe("one purchase, followed by its trace id", () => {
  it("hold, checkout, charge (payments queue), notification (queue and webhook): one trace id on every message and log line", async () => {
    const lines = captureLog();
    const notifications = fakeQueue();
    const { env: placeEnv, jobs } = simulatedEnv();
    // The edge and the consumers log everything; the objects keep the pool's level.
    const world = { ...placeEnv, LOG_LEVEL: "debug", NOTIFICATIONS: notifications.queue } as Env;
    const sku = await createSku({ stock: 5 });
    const customer = unique("pia");
    const auth = await shopperToken(customer);
    const traceId = hex(16);

    const held = await request(world, `/v1/skus/${sku}/holds`, {
      auth,
      body: { quantity: 1 },
      headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
    });
    expect(held.status).toBe(201);
    const { holdId } = (await held.json()) as { holdId: string };
    const placed = await request(world, "/v1/checkout", {
      auth,
      body: { holdIds: [holdId], paymentMethod: "pm_card_visa" },
      headers: { traceparent: `00-${traceId}-${hex(8)}-01`, "idempotency-key": unique("k") },
    });
    expect(placed.status).toBe(202);
    const { orderId } = (await placed.json()) as { orderId: string };
    expect([held, placed].map((r) => traceIdOf(r.headers.get("traceresponse")))).toEqual([traceId, traceId]);

    // The charge: the job the checkout queued, consumed as Miniflare would.
    expect(jobs).toHaveLength(1);
    const job = jobs[0] as { orderId: string; traceparent?: string };
    expect(job).toMatchObject({ orderId });
    expect(traceIdOf(job.traceparent)).toBe(traceId);
    await handlePayments(
      createMessageBatch(PAYMENT_QUEUES.main, [{ id: unique("m"), timestamp: new Date(), attempts: 1, body: job }]),
      world,
    );
    expect((await getOrder(orderId)).body.status).toBe("paid");

    // The notification the payment raised, delivered to the merchant.
    const confirmed = (notifications.sent as Array<{ type: string; orderId?: string; traceparent?: string }>).filter(
      (n) => n.orderId === orderId,
    );
    expect(confirmed.map((n) => n.type)).toEqual(["order.confirmed"]);
    expect(traceIdOf(confirmed[0]!.traceparent)).toBe(traceId);
    const path = `/hooks/${unique("trace")}`;
    await handleNotifications(
      createMessageBatch(NOTIFICATION_QUEUES.main, [{ id: unique("m"), timestamp: new Date(), attempts: 1, body: confirmed[0] }]),
      { ...world, MERCHANT_WEBHOOK_URL: `https://merchant.test${path}` },
    );
    const delivered = (await (await fetch(`https://merchant.test/__received?path=${path}`)).json()) as ReceivedWebhook[];
    expect(delivered).toHaveLength(1);
    expect(traceIdOf(delivered[0]!.headers.traceparent)).toBe(traceId);
    expect(JSON.parse(delivered[0]!.body)).not.toHaveProperty("traceparent");

    // The log: every line about this purchase carries the trace id, and there is one for each step.
    const ours = lines.filter((l) => JSON.stringify(l).includes(orderId) || l.sku === sku || l.traceId === traceId);
    expect(ours.filter((l) => l.traceId !== traceId)).toEqual([]);
    const steps = ours.map((l) => (l.event === "request" ? `${l.method} ${l.route}` : l.event));
    expect(steps).toEqual(
      expect.arrayContaining(["POST /v1/skus/:sku/holds", "POST /v1/checkout", "payment_job", "notification.delivered"]),
    );
    console.info(
      `trace ${traceId}: hold ${holdId} (traceresponse ${held.headers.get("traceresponse")}), order ${orderId} (traceresponse ${placed.headers.get("traceresponse")}),\n` +
        `  payments message ${job.traceparent}, notification message ${confirmed[0]!.traceparent}, webhook traceparent ${delivered[0]!.headers.traceparent}\n` +
        ours.map((l) => `  ${JSON.stringify(l)}`).join("\n"),
    );
  });
});
