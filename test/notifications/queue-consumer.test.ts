import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handleNotificationDeadLetters, handleNotifications, NOTIFICATION_QUEUES } from "../../src/notifications/consumer";
import { Webhook } from "standardwebhooks";
import { deliverNotification } from "../../src/notifications/deliver";
import { MAX_RETRY_DELAY_SECONDS } from "../../src/platform/backoff";
import type { Notification } from "../../src/notifications/messages";
import type { ReceivedWebhook } from "../support/fake-merchant";
import { unique } from "../support/helpers";
import { TEST_SECRETS } from "../support/secrets";

/**
 * The notifications consumer, called directly with batches from createMessageBatch.
 * Webhooks go to the fake merchant (test/support/fake-merchant.ts), which Miniflare runs as
 * the Worker's outbound service in the Node process.
 */

const SECRET = TEST_SECRETS.MERCHANT_WEBHOOK_SECRET;

afterEach(() => {
  vi.restoreAllMocks();
});

function orderConfirmed(overrides: Partial<Notification> = {}): Notification {
  return {
    id: unique("ntf"),
    audience: "shopper",
    type: "order.confirmed",
    orderId: unique("ord"),
    customerId: "alice",
    data: { total: 3998, currency: "usd" },
    atMs: Date.UTC(2026, 9, 1, 12, 0, 0),
    ...overrides,
  } as Notification;
}

function lowStock(): Notification {
  return {
    id: unique("ntf"),
    audience: "merchant",
    type: "stock.low",
    sku: unique("sku"),
    data: { available: 3, onHand: 5, threshold: 10 },
    atMs: Date.now(),
  };
}

function batchOf(queue: string, bodies: Array<{ body: unknown; attempts?: number }>) {
  return createMessageBatch<unknown>(
    queue,
    bodies.map(({ body, attempts }, i) => ({
      id: `msg-${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: attempts ?? 1,
      body,
    })),
  );
}

/** Runs the consumer on a batch and returns the queue result plus each retry's delay. */
async function consume(batch: MessageBatch<unknown>, bindings: Partial<Env>, run = handleNotifications) {
  const delays = new Map<string, number | undefined>();
  for (const msg of batch.messages) {
    // getQueueResult does not report delaySeconds in this plugin version: record them here.
    const original = msg.retry.bind(msg);
    vi.spyOn(msg, "retry").mockImplementation((options?: QueueRetryOptions) => {
      delays.set(msg.id, options?.delaySeconds);
      original(options);
    });
  }
  const ctx = createExecutionContext();
  await run(batch, { ...env, ...bindings });
  return { result: await getQueueResult(batch, ctx), delays };
}

async function receivedAt(path: string): Promise<ReceivedWebhook[]> {
  const res = await fetch(`https://merchant.test/__received?path=${encodeURIComponent(path)}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** A structured log line, as the consumer writes it. */
type LogLine = Record<string, unknown> & { issues?: unknown[] };

function logged(spy: { mock: { calls: unknown[][] } }): LogLine[] {
  return spy.mock.calls.map((args) => JSON.parse(String(args[0])));
}

describe("notifications queue consumer", () => {
  it("names the queues wired in wrangler.toml", () => {
    expect(NOTIFICATION_QUEUES).toEqual({ main: "holdfast-notifications", dead: "holdfast-notifications-dlq" });
  });

  it("writes to the log and acks when no webhook URL is configured", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const n = orderConfirmed();
    const batch = batchOf(NOTIFICATION_QUEUES.main, [{ body: n }]);
    const { result } = await consume(batch, { MERCHANT_WEBHOOK_URL: "", LOG_LEVEL: "info" });

    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(result.retryMessages).toEqual([]);
    const lines = logged(log).filter((l) => l.event === "notification");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      notification: { id: n.id, type: "order.confirmed", audience: "shopper", createdAt: "2026-10-01T12:00:00.000Z" },
    });

    // LOG_LEVEL=warn (the test suite's) keeps the info line out, and still acks.
    log.mockClear();
    const quiet = batchOf(NOTIFICATION_QUEUES.main, [{ body: orderConfirmed() }]);
    expect((await consume(quiet, { MERCHANT_WEBHOOK_URL: "", LOG_LEVEL: "warn" })).result.explicitAcks).toHaveLength(1);
    expect(log).not.toHaveBeenCalled();
  });

  it("POSTs JSON signed per Standard Webhooks, verifiable with the standardwebhooks library", async () => {
    const path = `/hooks/${unique("ok")}`;
    const shopper = orderConfirmed();
    const merchant = lowStock();
    const batch = batchOf(NOTIFICATION_QUEUES.main, [{ body: shopper }, { body: merchant }]);
    const { result } = await consume(batch, { MERCHANT_WEBHOOK_URL: `https://merchant.test${path}` });

    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    const received = await receivedAt(path);
    expect(received).toHaveLength(2);
    for (const req of received) {
      expect(req.method).toBe("POST");
      expect(req.headers["content-type"]).toBe("application/json");
      // The fake merchant verified it with the library, in Node; so does this test, in workerd.
      expect(req.verified).toBe(true);
      expect(req.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
      expect(new Webhook(SECRET).verify(req.body, req.headers)).toEqual(JSON.parse(req.body));
      // Anything else fails: a changed body, another secret, another id.
      expect(() => new Webhook(SECRET).verify(req.body.replace("}", ',"x":1}'), req.headers)).toThrow(/signature/i);
      expect(() => new Webhook(`whsec_${btoa("another-secret")}`).verify(req.body, req.headers)).toThrow(/signature/i);
      expect(() => new Webhook(SECRET).verify(req.body, { ...req.headers, "webhook-id": "ntf-other" })).toThrow(/signature/i);
    }
    const bodies = received.map((r) => JSON.parse(r.body)).sort((a, b) => a.audience.localeCompare(b.audience));
    expect(bodies[0]).toEqual({
      id: merchant.id,
      audience: "merchant",
      type: "stock.low",
      sku: (merchant as { sku: string }).sku,
      data: merchant.data,
      createdAt: new Date(merchant.atMs).toISOString(),
    });
    expect(bodies[1]).toMatchObject({
      id: shopper.id,
      audience: "shopper",
      type: "order.confirmed",
      createdAt: "2026-10-01T12:00:00.000Z",
      data: shopper.data,
    });
    // webhook-id is the notification's stable id, so redeliveries carry the same one.
    expect(received.map((r) => r.headers["webhook-id"]).sort()).toEqual([shopper.id, merchant.id].sort());
  });

  it("retries a receiver's 500 with a delay that grows with the attempts", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const path = `/status/500/${unique("down")}`;
    const batch = batchOf(NOTIFICATION_QUEUES.main, [
      { body: orderConfirmed(), attempts: 1 },
      { body: orderConfirmed(), attempts: 3 },
      { body: orderConfirmed(), attempts: 6 },
    ]);
    const { result, delays } = await consume(batch, { MERCHANT_WEBHOOK_URL: `https://merchant.test${path}` });

    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((r) => r.msgId).sort()).toEqual(batch.messages.map((m) => m.id).sort());
    const [d1, d3, d6] = batch.messages.map((m) => delays.get(m.id)!);
    expect(d1).toBeGreaterThanOrEqual(3);
    expect(d1).toBeLessThanOrEqual(5); // 4 s ± 20%
    expect(d3).toBeGreaterThan(d1!);
    expect(d6).toBeGreaterThan(d3!);
    expect(d6).toBeLessThanOrEqual(MAX_RETRY_DELAY_SECONDS);
    expect(await receivedAt(path)).toHaveLength(3);
    expect(
      logged(warn)
        .filter((l) => l.event === "notification.delivery_failed")
        .map((l) => [l.status, l.reason]),
    ).toEqual([
      [500, "server_error"],
      [500, "server_error"],
      [500, "server_error"],
    ]);
  });

  it("retries a plain 4xx or a redirect too, but logs that the merchant endpoint refused", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const [status, reason] of [
      [404, "rejected"],
      [302, "redirect"],
      [429, "server_error"],
    ] as const) {
      const batch = batchOf(NOTIFICATION_QUEUES.main, [{ body: lowStock(), attempts: 2 }]);
      const { result, delays } = await consume(batch, { MERCHANT_WEBHOOK_URL: `https://merchant.test/status/${status}/${unique("x")}` });
      expect(result.retryMessages).toEqual([{ msgId: batch.messages[0]!.id }]);
      expect(delays.get(batch.messages[0]!.id)).toBeGreaterThan(0);
      const line = logged(warn).at(-1)!;
      expect({ status: line.status, reason: line.reason }).toEqual({ status, reason });
      if (reason === "rejected") expect(line.note).toMatch(/rejected/);
    }
  });

  it("retries without sending when the URL is set but the signing secret is not", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const path = `/hooks/${unique("nosecret")}`;
    const batch = batchOf(NOTIFICATION_QUEUES.main, [{ body: orderConfirmed() }]);
    const { result } = await consume(batch, { MERCHANT_WEBHOOK_URL: `https://merchant.test${path}`, MERCHANT_WEBHOOK_SECRET: "" });
    expect(result.retryMessages).toHaveLength(1);
    expect(await receivedAt(path)).toEqual([]);
  });

  it("acks a malformed message instead of retrying it, and logs it as an error", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    const good = orderConfirmed();
    const batch = batchOf(NOTIFICATION_QUEUES.main, [
      { body: { id: "bad-1", audience: "merchant", type: "stock.low", sku: "x", data: { available: "three" }, atMs: 1 } },
      { body: "not even an object" },
      { body: { ...good, type: "order.teleported" } },
      { body: good },
    ]);
    const { result } = await consume(batch, { MERCHANT_WEBHOOK_URL: "" });

    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    const malformed = logged(error).filter((l) => l.event === "notification.malformed");
    expect(malformed.map((l) => l.messageId).sort()).toEqual(
      batch.messages
        .slice(0, 3)
        .map((m) => m.id)
        .sort(),
    );
    expect(malformed.every((l) => l.level === "error" && (l.issues?.length ?? 0) > 0)).toBe(true);
  });

  it("times out a receiver that does not answer, and retries", async () => {
    const path = `/delay/2000/${unique("slow")}`;
    const result = await deliverNotification(
      orderConfirmed(),
      { MERCHANT_WEBHOOK_URL: `https://merchant.test${path}`, MERCHANT_WEBHOOK_SECRET: SECRET },
      { timeoutMs: 200 },
    );
    expect(result).toMatchObject({ ok: false, reason: "timeout" });
  });

  it("logs dead letters at error level with id and type, and acks them", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const n = lowStock();
    const batch = batchOf(NOTIFICATION_QUEUES.dead, [{ body: n, attempts: 9 }, { body: 42 }]);
    const { result } = await consume(batch, {}, handleNotificationDeadLetters);

    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    const lines = logged(error);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: "error",
      event: "notification.dead_letter",
      queue: NOTIFICATION_QUEUES.dead,
      id: n.id,
      type: "stock.low",
      attempts: 9,
      body: n,
    });
    expect(lines[1]).toMatchObject({ level: "error", event: "notification.dead_letter", messageId: batch.messages[1]!.id, body: 42 });
  });
});

describe("the webhook signature", () => {
  it("signs with the delivery's timestamp, which a receiver refuses once more than five minutes old", async () => {
    const now = Math.floor(Date.now() / 1000);
    const env = { MERCHANT_WEBHOOK_SECRET: SECRET };
    const fresh = `/hooks/${unique("fresh")}`;
    const stale = `/hooks/${unique("stale")}`;
    expect(
      await deliverNotification(
        orderConfirmed(),
        { ...env, MERCHANT_WEBHOOK_URL: `https://merchant.test${fresh}` },
        { nowSeconds: now - 200 },
      ),
    ).toMatchObject({ ok: true });
    expect(
      await deliverNotification(
        orderConfirmed(),
        { ...env, MERCHANT_WEBHOOK_URL: `https://merchant.test${stale}` },
        { nowSeconds: now - 400 },
      ),
    ).toMatchObject({ ok: true });
    const [[a], [b]] = [await receivedAt(fresh), await receivedAt(stale)];
    expect({ timestamp: a!.headers["webhook-timestamp"], verified: a!.verified }).toEqual({ timestamp: String(now - 200), verified: true });
    expect({ timestamp: b!.headers["webhook-timestamp"], verified: b!.verified }).toEqual({
      timestamp: String(now - 400),
      verified: false,
    });
  });

  it("refuses to send with a secret that is not whsec_<base64>, so nothing goes out signed with a key merchants cannot use", async () => {
    for (const secret of ["test-merchant-webhook-secret", "whsec_", "whsec_not base64!"]) {
      const path = `/hooks/${unique("badsecret")}`;
      const result = await deliverNotification(orderConfirmed(), {
        MERCHANT_WEBHOOK_URL: `https://merchant.test${path}`,
        MERCHANT_WEBHOOK_SECRET: secret,
      });
      expect(result).toMatchObject({ ok: false, reason: "misconfigured" });
      expect(await receivedAt(path)).toEqual([]);
    }
  });
});
