import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { checkout, type CheckoutInput } from "../../src/orders/checkout";
import { OrderFlow } from "../../src/orders/flow";
import { handlePaymentDeadLetters, handlePayments, PAYMENT_QUEUES } from "../../src/payments/consumer";
import worker from "../../src/worker";
import { expireHold, holdStatus } from "../support/inside-objects";
import { checkoutAs, createSku, expectConserved, getOrder, hold, levels, type Order, unique, waitForStatus } from "../support/helpers";
import { StripeProvider } from "../../src/payments/stripe";
import { FAKE_STRIPE_KEY, installFakeStripe, simulatedEnv, stripeEnv, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";

/**
 * The payments consumer, fed batches from createMessageBatch. Orders are placed
 * with checkout() and an env whose PAYMENTS records the job (test/support/fake-stripe.ts),
 * so only the test delivers it; Stripe's network is the fake.
 */

let stripe: FakeStripe;
beforeEach(() => {
  stripe = installFakeStripe();
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => uninstallFakeStripe());

type Placed = { orderId: string; env: Env; job: unknown; holdIds: string[] };

/** Checks out through checkout() itself; the payment job is captured, not sent. */
async function place(provider: "stripe" | "simulated", customerId: string, input: CheckoutInput): Promise<Placed> {
  const { env: placeEnv, jobs } = provider === "stripe" ? stripeEnv() : simulatedEnv();
  const out = await checkout(placeEnv, customerId, input, null, Date.now());
  if (!out.ok) throw new Error(`checkout refused: ${out.code} ${out.detail}`);
  expect(out.value.payment.provider).toBe(provider);
  expect(jobs).toEqual([{ orderId: out.value.orderId }]);
  return { orderId: out.value.orderId, env: placeEnv, job: jobs[0], holdIds: out.value.holdIds };
}

async function placeWithHold(provider: "stripe" | "simulated", customerId: string, sku: string, quantity: number, paymentMethod: string) {
  const h = (await hold(sku, customerId, quantity)).body;
  return { ...(await place(provider, customerId, { holdIds: [h.holdId], paymentMethod })), holdId: h.holdId as string };
}

function batchOf(queue: string, job: unknown, attempts: number[]) {
  return createMessageBatch<unknown>(
    queue,
    attempts.map((n) => ({ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: n, body: job })),
  );
}

/** Runs a consumer on a batch; getQueueResult does not report delaySeconds in this plugin version, so retries are recorded here. */
async function consume(batch: MessageBatch<unknown>, run: (b: MessageBatch<unknown>, ctx: ExecutionContext) => Promise<void>) {
  const delays: Array<number | undefined> = [];
  for (const msg of batch.messages) {
    const original = msg.retry.bind(msg);
    vi.spyOn(msg, "retry").mockImplementation((options?: QueueRetryOptions) => {
      delays.push(options?.delaySeconds);
      original(options);
    });
  }
  const ctx = createExecutionContext();
  await run(batch, ctx);
  return { result: await getQueueResult(batch, ctx), delays };
}

const intentPosts = () => stripe.requests.filter((r) => r.method === "POST" && r.path === "/v1/payment_intents");

describe("duplicate delivery", () => {
  it("charges once and commits once when the same job arrives twice in a batch and once more concurrently", async () => {
    const sku = await createSku({ stock: 5 });
    const o = await placeWithHold("stripe", "ana", sku, 2, "pm_card_visa");

    const [a, b] = await Promise.all([
      consume(batchOf(PAYMENT_QUEUES.main, o.job, [1, 1]), (batch) => handlePayments(batch, o.env)),
      consume(batchOf(PAYMENT_QUEUES.main, o.job, [1]), (batch) => handlePayments(batch, o.env)),
    ]);
    expect(a.result.explicitAcks).toHaveLength(2);
    expect(b.result.explicitAcks).toHaveLength(1);
    expect([...a.result.retryMessages, ...b.result.retryMessages]).toEqual([]);

    expect(stripe.intentsCreated()).toBe(1);
    expect(new Set(intentPosts().map((r) => r.idempotencyKey)).size).toBe(1);
    const [intent] = [...stripe.intents.values()];
    expect(intent).toMatchObject({ status: "succeeded", amount: 2 * 1999, currency: "usd", metadata: { orderId: o.orderId } });

    const order = (await getOrder(o.orderId)).body;
    expect(order).toMatchObject({ status: "paid", payment: { provider: "stripe", status: "succeeded", intentId: intent!.id } });
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 0, available: 3, sold: 2, received: 5 });
  });

  it("charges once when Stripe's answer is lost and the SDK retries under the same idempotency key", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeWithHold("stripe", "ben", sku, 1, "pm_card_visa");
    stripe.failNext("lost");

    const { result } = await consume(batchOf(PAYMENT_QUEUES.main, o.job, [1]), (batch) => handlePayments(batch, o.env));
    expect(result.explicitAcks).toHaveLength(1);
    expect(intentPosts()).toHaveLength(2);
    expect(intentPosts()[1]!.idempotencyKey).toBe(intentPosts()[0]!.idempotencyKey);
    expect(stripe.intentsCreated()).toBe(1);
    expect((await getOrder(o.orderId)).body.status).toBe("paid");
  });

  it("acks a job for an order already settled without calling Stripe again", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeWithHold("stripe", "cy", sku, 1, "pm_card_visa");
    await consume(batchOf(PAYMENT_QUEUES.main, o.job, [1]), (batch) => handlePayments(batch, o.env));
    const seen = stripe.requests.length;

    const again = await consume(batchOf(PAYMENT_QUEUES.main, o.job, [3]), (batch) => handlePayments(batch, o.env));
    expect(again.result.explicitAcks).toHaveLength(1);
    expect(stripe.requests).toHaveLength(seen);
    expect(await levels(sku)).toMatchObject({ sold: 1, onHand: 2 });
  });
});

describe("a batch", () => {
  /** Two orders in one batch of `queue`, the first one's calls to Stripe held until released. */
  async function slowAndQuick(queue: string, handler: typeof handlePayments, settled: Order["status"]) {
    const sku = await createSku({ stock: 5 });
    const slow = await placeWithHold("stripe", unique("slow"), sku, 1, "pm_card_visa");
    const quick = await placeWithHold("stripe", unique("quick"), sku, 1, "pm_card_visa");
    const release = stripe.stall((r) => JSON.stringify(r.params).includes(slow.orderId));
    const batch = createMessageBatch<unknown>(queue, [
      { id: "msg-slow", timestamp: new Date(), attempts: 1, body: slow.job },
      { id: "msg-quick", timestamp: new Date(), attempts: 1, body: quick.job },
    ]);

    const consumed = consume(batch, (b) => handler(b, slow.env));
    try {
      await waitForStatus(quick.orderId, settled);
      expect((await getOrder(slow.orderId)).body.status).toBe("pending_payment");
    } finally {
      release();
    }
    const { result } = await consumed;
    expect(result.explicitAcks.sort()).toEqual(["msg-quick", "msg-slow"]);
    expect((await getOrder(slow.orderId)).body.status).toBe(settled);
    return sku;
  }

  it("settles each order as its own charge answers: a slow charge holds back none of the batch", async () => {
    const sku = await slowAndQuick(PAYMENT_QUEUES.main, handlePayments, "paid");
    expect(await levels(sku)).toMatchObject({ sold: 2, reserved: 0 });
  });

  it("settles each dead letter as its own provider read answers", async () => {
    // No charge was ever made: each read finds no intent, and the order fails without a word about money.
    const sku = await slowAndQuick(PAYMENT_QUEUES.dead, handlePaymentDeadLetters, "payment_failed");
    expect(await levels(sku)).toMatchObject({ sold: 0, reserved: 2 });
  });
});

describe("failures", () => {
  it("retries an outage with a delay that grows with each attempt, leaving the order pending", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeWithHold("simulated", "dee", sku, 2, "pm_sim_unavailable");

    const { result, delays } = await consume(batchOf(PAYMENT_QUEUES.main, o.job, [1, 2, 3, 4]), (batch) => handlePayments(batch, o.env));
    expect(result.retryMessages).toHaveLength(4);
    expect(result.explicitAcks).toEqual([]);
    expect(delays).toHaveLength(4);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
    expect(delays[0]).toBeGreaterThanOrEqual(1);

    const order = (await getOrder(o.orderId)).body;
    expect(order).toMatchObject({ status: "pending_payment", payment: { status: null } });
    expect(await levels(sku)).toMatchObject({ reserved: 2, sold: 0 });
  });

  it("treats Stripe 500s and dropped connections as transient: retried, then charged on a later delivery", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeWithHold("stripe", "eli", sku, 1, "pm_card_visa");
    stripe.failNext("500", "network", "500");

    const first = await consume(batchOf(PAYMENT_QUEUES.main, o.job, [1]), (batch) => handlePayments(batch, o.env));
    expect(first.result.retryMessages).toHaveLength(1);
    expect(first.delays[0]).toBeGreaterThan(0);
    // The SDK's own two retries went out under the same key; nothing was created.
    expect(intentPosts()).toHaveLength(3);
    expect(new Set(intentPosts().map((r) => r.idempotencyKey)).size).toBe(1);
    expect(stripe.intentsCreated()).toBe(0);
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "pending_payment", payment: { status: null } });

    const second = await consume(batchOf(PAYMENT_QUEUES.main, o.job, [2]), (batch) => handlePayments(batch, o.env));
    expect(second.result.explicitAcks).toHaveLength(1);
    expect(stripe.intentsCreated()).toBe(1);
    expect((await getOrder(o.orderId)).body.status).toBe("paid");
  });

  it("fails a card Stripe declines at once, without retrying, and keeps the holds until the order's deadline", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeWithHold("stripe", "fin", sku, 2, "pm_card_chargeDeclined");

    const { result } = await consume(batchOf(PAYMENT_QUEUES.main, o.job, [1]), (batch) => handlePayments(batch, o.env));
    expect(result.retryMessages).toEqual([]);
    const [intent] = [...stripe.intents.values()];
    const order = (await getOrder(o.orderId)).body;
    expect(order).toMatchObject({
      status: "payment_failed",
      payment: { provider: "stripe", status: "failed", attempt: 1, intentId: intent!.id, failureReason: "Your card was declined." },
    });
    // The shopper may pay again while the holds live (POST /v1/orders/{orderId}/pay); the deadline job ends them.
    expect(await holdStatus(sku, o.holdId)).toBe("checkout");
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 2, available: 1, sold: 0, received: 3 });
    expect(await new OrderFlow(o.env).expire(o.orderId, Date.now() + 3_600_000)).toMatchObject({ status: "expired" });
    expect(await holdStatus(sku, o.holdId)).toBe("released");
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 0, available: 3, sold: 0, received: 3 });
  });

  it("charges a retry after a decline as its own payment: a new Stripe idempotency key and intent, attempt in the metadata", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeWithHold("stripe", "rae", sku, 1, "pm_card_chargeDeclined");
    await consume(batchOf(PAYMENT_QUEUES.main, o.job, [1]), (batch) => handlePayments(batch, o.env));
    expect((await getOrder(o.orderId)).body.status).toBe("payment_failed");
    const retried = await new OrderFlow(o.env).retryPayment(o.orderId, "pm_card_visa", Date.now());
    expect(retried).toMatchObject({ ok: true, value: { status: "pending_payment", payment: { attempt: 2 } } });
    await consume(batchOf(PAYMENT_QUEUES.main, o.job, [1]), (batch) => handlePayments(batch, o.env));
    const paid = (await getOrder(o.orderId)).body;
    expect(paid).toMatchObject({ status: "paid", payment: { attempt: 2, status: "succeeded" } });
    expect(intentPosts().map((r) => r.idempotencyKey)).toEqual([`charge_${o.orderId}`, `charge_${o.orderId}_2`]);
    expect(intentPosts()[1]!.params).toMatchObject({ metadata: { orderId: o.orderId, attempt: "2" } });
    expect(stripe.intentsCreated()).toBe(2);
    expect(await holdStatus(sku, o.holdId)).toBe("committed");
  });

  it("fails the order when the job reaches the dead-letter queue, keeping its holds for a retry", async () => {
    const sku = await createSku({ stock: 4 });
    const o = await placeWithHold("simulated", "gia", sku, 3, "pm_sim_unavailable");
    expect(await levels(sku)).toMatchObject({ reserved: 3 });

    // Through the Worker's queue() entry point: the DLQ's name in wrangler.toml reaches its handler.
    const { result } = await consume(batchOf(PAYMENT_QUEUES.dead, o.job, [4]), (batch) => worker.queue(batch, env));
    expect(result.explicitAcks).toHaveLength(1);
    const order = (await getOrder(o.orderId)).body;
    expect(order.status).toBe("payment_failed");
    expect(order.payment.failureReason).toMatch(/could not be reached/);
    expect(await holdStatus(sku, o.holdId)).toBe("checkout");
    expect(await levels(sku)).toMatchObject({ onHand: 4, reserved: 3 });
  });

  it("leaves an order that got paid alone when a stale copy of its job is dead-lettered", async () => {
    const sku = await createSku({ stock: 2 });
    const o = await placeWithHold("simulated", "hob", sku, 1, "pm_card_visa");
    await consume(batchOf(PAYMENT_QUEUES.main, o.job, [1]), (batch) => handlePayments(batch, o.env));
    await consume(batchOf(PAYMENT_QUEUES.dead, o.job, [6]), (batch) => worker.queue(batch, env));
    expect((await getOrder(o.orderId)).body.status).toBe("paid");
    expect(await levels(sku)).toMatchObject({ sold: 1, reserved: 0 });
  });
});

describe("a payment left waiting", () => {
  it("queues a job for the order's deadline, which expires the order and frees its stock when nobody pays", async () => {
    const sku = await createSku({ stock: 3 });
    const h = (await hold(sku, "wes", 2)).body;
    const { env: placeEnv, jobs, sendOptions } = simulatedEnv();
    const out = await checkout(placeEnv, "wes", { holdIds: [h.holdId], paymentMethod: "pm_card_authenticationRequired" }, null, Date.now());
    if (!out.ok) throw new Error(out.code);
    const { orderId, expiresAt } = out.value;

    await consume(batchOf(PAYMENT_QUEUES.main, jobs[0], [1]), (b) => handlePayments(b, placeEnv));
    expect((await getOrder(orderId)).body.payment.status).toBe("requires_action");
    // The deadline job carries the trace of the run that queued it (src/platform/trace.ts).
    expect(jobs).toEqual([{ orderId }, { orderId, traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) }]);
    const delay = sendOptions[1]?.delaySeconds ?? 0;
    expect(Math.abs(Date.now() + delay * 1000 - Date.parse(expiresAt))).toBeLessThan(3_000);

    // The deadline job, run as the queue would run it once the window has closed.
    await new OrderFlow(placeEnv).charge(orderId, Date.parse(expiresAt) + 1);
    expect((await getOrder(orderId)).body.status).toBe("expired");
    expect(await holdStatus(sku, h.holdId)).toBe("released");
    expect(await levels(sku)).toMatchObject({ reserved: 0, available: 3 });
  });
});

describe("a payment cut off by a crash", () => {
  it("settles as paid, not expired, when its holds were committed before the order heard of it", async () => {
    const sku = await createSku({ stock: 3 });
    const cut = await placeWithHold("stripe", "kim", sku, 2, "pm_card_visa");
    // The first delivery charged Stripe and committed the hold, then died before the order moved.
    await new StripeProvider(FAKE_STRIPE_KEY).charge({
      orderId: cut.orderId,
      customerId: "kim",
      amount: 3998,
      currency: "usd",
      paymentMethod: "pm_card_visa",
      attempt: 1,
    });
    expect(await env.SKU.getByName(sku).commit(cut.holdId, cut.orderId)).toMatchObject({ ok: true });

    // Its redelivery comes after the deadline.
    const order = await new OrderFlow(cut.env).expire(cut.orderId, Date.now() + 3_600_000);
    expect(order).toMatchObject({ status: "paid", paymentStatus: "succeeded" });
    expect(stripe.intentsCreated()).toBe(1);
    expect(await levels(sku)).toMatchObject({ sold: 2, reserved: 0, onHand: 1 });
  });
});

describe("refunds at Stripe", () => {
  it("count a refund Stripe already made as done when it is resumed after Stripe forgot the key", async () => {
    const sku = await createSku({ stock: 2 });
    const order = await place("stripe", "rey", { items: [{ sku, quantity: 1 }], paymentMethod: "pm_card_visa" });
    await consume(batchOf(PAYMENT_QUEUES.main, order.job, [1]), (batch) => handlePayments(batch, order.env));
    const intentId = (await getOrder(order.orderId)).body.payment.intentId as string;
    const provider = new StripeProvider(FAKE_STRIPE_KEY);
    const first = await provider.refund(intentId, order.orderId);
    stripe.forgetIdempotencyKeys();
    const resumed = await provider.refund(intentId, order.orderId);
    expect(resumed.refundId).toBe(first.refundId);
    expect(stripe.refunds).toHaveLength(1);
  });
});

describe("late success", () => {
  it("refunds a payment whose holds expired and were resold, selling no unit twice", async () => {
    const sku = await createSku({ stock: 2 });
    const late = await placeWithHold("stripe", "ivo", sku, 2, "pm_card_visa");
    await expireHold(sku, late.holdId);

    // Another shopper buys the same two units meanwhile (simulated provider, Miniflare's consumer).
    const h = (await hold(sku, "jan", 2)).body;
    const other = await checkoutAs("jan", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" });
    expect(other.status).toBe(202);
    await waitForStatus(other.body.orderId, "paid");

    await consume(batchOf(PAYMENT_QUEUES.main, late.job, [1]), (batch) => handlePayments(batch, late.env));
    const [intent] = [...stripe.intents.values()];
    expect(stripe.refunds).toEqual([expect.objectContaining({ payment_intent: intent!.id, amount: 2 * 1999 })]);
    const order = (await getOrder(late.orderId)).body;
    expect(order).toMatchObject({
      status: "refunded",
      payment: { status: "succeeded", intentId: intent!.id },
      refund: { refundId: stripe.refunds[0]!.id, reason: "late_payment", restocked: false },
    });
    const after = await levels(sku);
    expect(after).toEqual({ onHand: 0, reserved: 0, available: 0, sold: 2, received: 2 });
    expectConserved(after);
  });

  it("restocks what it had committed when only some of a late order's holds expired", async () => {
    const [x, y] = [await createSku({ stock: 4 }), await createSku({ stock: 4 })];
    const late = await place("stripe", "kit", {
      items: [
        { sku: x, quantity: 1 },
        { sku: y, quantity: 2 },
      ],
      paymentMethod: "pm_card_visa",
    });
    const holdOf = (sku: string) => late.holdIds.find((id) => id.endsWith(`_${sku}`))!;
    await expireHold(y, holdOf(y));

    await consume(batchOf(PAYMENT_QUEUES.main, late.job, [1]), (batch) => handlePayments(batch, late.env));
    const order = (await getOrder(late.orderId)).body;
    expect(order).toMatchObject({ status: "refunded", refund: { reason: "late_payment", restocked: true } });
    expect(stripe.refunds).toHaveLength(1);
    expect(await holdStatus(x, holdOf(x))).toBe("returned");
    const [lx, ly] = [await levels(x), await levels(y)];
    expect(lx).toEqual({ onHand: 4, reserved: 0, available: 4, sold: 0, received: 4 });
    expect(ly).toEqual({ onHand: 4, reserved: 0, available: 4, sold: 0, received: 4 });
    expectConserved(lx);
    expectConserved(ly);
  });
});
