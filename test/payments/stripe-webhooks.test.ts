import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { checkout } from "../../src/orders/checkout";
import { OrderFlow } from "../../src/orders/flow";
import { handlePayments, PAYMENT_QUEUES } from "../../src/payments/consumer";
import { applyStripeEvent } from "../../src/payments/webhook";
import { expireHold, holdStatus } from "../support/inside-objects";
import { call, createSku, expectProblem, getOrder, hold, levels, shopperToken, unique } from "../support/helpers";
import { installFakeStripe, signStripePayload, stripeEnv, stripeEvent, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { asRogue } from "../support/audit-tamper";

/**
 * POST /v1/webhooks/stripe with payloads signed exactly as Stripe signs them.
 * Orders are placed with Stripe configured (checkout() and the consumer called
 * with a keyed env, see test/support/fake-stripe.ts); the webhook itself goes through the
 * Worker, which needs only the webhook secret to verify and settle.
 */

let stripe: FakeStripe;
beforeEach(() => {
  stripe = installFakeStripe();
});
afterAll(() => uninstallFakeStripe());

/** A Stripe order whose card asks for 3-D Secure: pending, with the intent's client secret. */
async function awaitingAuthentication(customerId: string, sku: string, quantity: number) {
  const { env, jobs } = stripeEnv();
  const h = (await hold(sku, customerId, quantity)).body;
  const out = await checkout(env, customerId, { holdIds: [h.holdId], paymentMethod: "pm_card_authenticationRequired" }, null, Date.now());
  if (!out.ok) throw new Error(out.detail);
  await handlePayments(
    createMessageBatch(PAYMENT_QUEUES.main, [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: jobs[0] }]),
    env,
  );
  const intent = [...stripe.intents.values()].find((i) => i.metadata.orderId === out.value.orderId)!;
  return { orderId: out.value.orderId, holdId: h.holdId as string, intent, env };
}

async function postSigned(payload: string, signature?: string, contentType = "application/json") {
  return call("/v1/webhooks/stripe", {
    method: "POST",
    rawBody: payload,
    headers: { "content-type": contentType, "stripe-signature": signature ?? (await signStripePayload(payload)) },
  });
}

const send = (event: unknown) => postSigned(JSON.stringify(event));

describe("Stripe webhooks", () => {
  it("keeps a 3-D Secure order pending with its client secret, then a signed succeeded event pays it", async () => {
    const sku = await createSku({ stock: 5 });
    const o = await awaitingAuthentication("amy", sku, 2);
    const pending = await getOrder(o.orderId, await shopperToken("amy"));
    expect(pending.body).toMatchObject({
      status: "pending_payment",
      payment: { provider: "stripe", status: "requires_action", intentId: o.intent.id, clientSecret: o.intent.client_secret },
    });
    expect(await levels(sku)).toMatchObject({ reserved: 2, sold: 0 });

    const res = await send(stripeEvent("payment_intent.succeeded", stripe.completeAction(o.intent.id)));
    expect(res).toMatchObject({ status: 200, body: { received: true, outcome: "applied" } });
    const paid = (await getOrder(o.orderId)).body;
    expect(paid).toMatchObject({ status: "paid", payment: { status: "succeeded", intentId: o.intent.id } });
    expect(await holdStatus(sku, o.holdId)).toBe("committed");
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 0, available: 3, sold: 2, received: 5 });
  });

  it("refuses an event whose signature does not verify with 400, and changes nothing", async () => {
    const sku = await createSku({ stock: 5 });
    const o = await awaitingAuthentication("bea", sku, 1);
    const event = stripeEvent("payment_intent.succeeded", stripe.completeAction(o.intent.id));
    const payload = JSON.stringify(event);
    const before = (await getOrder(o.orderId)).body;

    const forged = [
      await postSigned(payload, await signStripePayload(payload, { secret: "whsec_not_ours" })),
      // Signed, then altered on the way: the signature covers the exact bytes.
      await postSigned(payload.replace(`"livemode":false`, `"livemode":true`), await signStripePayload(payload)),
      // A genuine signature from 10 minutes ago: outside the tolerance, as a replayed capture would be.
      await postSigned(payload, await signStripePayload(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 })),
      await postSigned(payload, "t=1,v1=deadbeef"),
    ];
    for (const res of forged) expectProblem(res, 400, "invalid_request");
    const unsigned = await call("/v1/webhooks/stripe", {
      method: "POST",
      rawBody: payload,
      headers: { "content-type": "application/json" },
    });
    expectProblem(unsigned, 400, "invalid_request");

    expect((await getOrder(o.orderId)).body).toEqual(before);
    expect(await levels(sku)).toMatchObject({ reserved: 1, sold: 0 });
    // The refusals did not record the event: the genuine delivery still applies.
    expect((await postSigned(payload)).body.outcome).toBe("applied");
    expect((await getOrder(o.orderId)).body.status).toBe("paid");
  });

  it("answers a redelivered event as a duplicate and commits once", async () => {
    const sku = await createSku({ stock: 4 });
    const o = await awaitingAuthentication("cid", sku, 3);
    const event = stripeEvent("payment_intent.succeeded", stripe.completeAction(o.intent.id));

    const first = await send(event);
    const again = await send(event);
    expect([first.body.outcome, again.body.outcome]).toEqual(["applied", "duplicate"]);
    expect(again.status).toBe(200);
    expect((await getOrder(o.orderId)).body.status).toBe("paid");
    expect(await levels(sku)).toEqual({ onHand: 1, reserved: 0, available: 1, sold: 3, received: 4 });
  });

  it("ignores a payment_failed event that arrives after succeeded: the order stays paid", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await awaitingAuthentication("dot", sku, 1);
    const failedEarlier = stripeEvent("payment_intent.payment_failed", {
      ...o.intent,
      status: "requires_payment_method",
      last_payment_error: { type: "card_error", code: "card_declined", message: "Your card was declined." },
    });
    expect((await send(stripeEvent("payment_intent.succeeded", stripe.completeAction(o.intent.id)))).status).toBe(200);

    expect((await send(failedEarlier)).status).toBe(200);
    const order = (await getOrder(o.orderId)).body;
    expect(order).toMatchObject({ status: "paid", payment: { status: "succeeded" } });
    expect(order.payment.failureReason).toBeUndefined();
    expect(await holdStatus(sku, o.holdId)).toBe("committed");
    expect(await levels(sku)).toMatchObject({ onHand: 2, reserved: 0, sold: 1 });
  });

  it("fails the order when authentication fails, keeping its holds for a retry until the deadline", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await awaitingAuthentication("eda", sku, 2);
    const res = await send(stripeEvent("payment_intent.payment_failed", stripe.failAction(o.intent.id)));
    expect(res.body.outcome).toBe("applied");
    const order = (await getOrder(o.orderId)).body;
    expect(order).toMatchObject({
      status: "payment_failed",
      payment: { status: "failed", failureReason: "The provided PaymentMethod has failed authentication." },
    });
    expect(await holdStatus(sku, o.holdId)).toBe("checkout");
    expect(await levels(sku)).toMatchObject({ onHand: 3, reserved: 2, sold: 0 });
  });

  it("ignores verified events about other objects or unknown orders", async () => {
    const charge = await send(stripeEvent("charge.refunded", { id: "ch_1", object: "charge", metadata: {} }));
    expect(charge).toMatchObject({ status: 200, body: { received: true, outcome: "ignored" } });
    const stranger = await send(
      stripeEvent("payment_intent.succeeded", { id: "pi_elsewhere", object: "payment_intent", status: "succeeded", metadata: {} }),
    );
    expect(stranger.body.outcome).toBe("ignored");
  });

  it("refunds a succeeded event that lands after the order's holds expired", async () => {
    const sku = await createSku({ stock: 2 });
    const o = await awaitingAuthentication("fox", sku, 2);
    await expireHold(sku, o.holdId);
    // Settled with Stripe configured, as in production: the refund goes to Stripe.
    const outcome = await applyStripeEvent(
      o.env,
      stripeEvent("payment_intent.succeeded", stripe.completeAction(o.intent.id)) as never,
      Date.now(),
    );
    expect(outcome).toEqual({ ok: true, value: "applied" });
    expect(stripe.refunds).toEqual([expect.objectContaining({ payment_intent: o.intent.id })]);
    const order = (await getOrder(o.orderId)).body;
    expect(order).toMatchObject({
      status: "refunded",
      refund: { refundId: stripe.refunds[0]!.id, reason: "late_payment", restocked: false },
    });
    expect(await levels(sku)).toEqual({ onHand: 2, reserved: 0, available: 2, sold: 0, received: 2 });
  });

  it("cancels the PaymentIntent when the owner cancels; Stripe's canceled event then changes nothing", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await awaitingAuthentication("gil", sku, 2);
    // With Stripe configured (the pool's global env has no key, so not through the route).
    const cancelled = await new OrderFlow(o.env).cancel(o.orderId, "owner", Date.now());
    expect(cancelled).toMatchObject({ ok: true, value: { status: "cancelled" } });
    expect(stripe.requests.filter((r) => r.path === `/v1/payment_intents/${o.intent.id}/cancel`)).toHaveLength(1);
    expect(stripe.intents.get(o.intent.id)!.status).toBe("canceled");

    const res = await send(stripeEvent("payment_intent.canceled", stripe.intents.get(o.intent.id)!));
    expect(res.status).toBe(200);
    const order = (await getOrder(o.orderId)).body;
    expect(order.status).toBe("cancelled");
    expect(order.payment.failureReason).toBeUndefined();
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 0, available: 3, sold: 0, received: 3 });
  });

  it("refunds a payment that succeeded at Stripe while the order was being cancelled", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await awaitingAuthentication("hex", sku, 1);
    const intent = stripe.completeAction(o.intent.id);
    // Stripe refuses to cancel a succeeded intent; the cancel goes ahead and the webhook settles the money.
    expect(await new OrderFlow(o.env).cancel(o.orderId, "owner", Date.now())).toMatchObject({ ok: true, value: { status: "cancelled" } });
    expect(await applyStripeEvent(o.env, stripeEvent("payment_intent.succeeded", intent) as never, Date.now())).toEqual({
      ok: true,
      value: "applied",
    });

    expect(stripe.refunds).toEqual([expect.objectContaining({ payment_intent: o.intent.id })]);
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "refunded", refund: { reason: "late_payment", restocked: false } });
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 0, available: 3, sold: 0, received: 3 });
  });

  it("answers 503 while the order stays contended, records nothing, and applies the same event when Stripe delivers it again", async () => {
    const sku = await createSku({ stock: 2 });
    const o = await awaitingAuthentication("ivy", sku, 1);
    const before = await env.DB.prepare("SELECT status, version FROM orders WHERE order_id = ?")
      .bind(o.orderId)
      .first<{ status: string; version: number }>();
    // Another writer's event at the order's next seq: every compare-and-swap of this delivery loses.
    const squat = `INSERT INTO audit_events (stream, seq, type, at_ms, data, prev_hash, hash) VALUES (?, ?, 'test.squat', 0, '{}', 'x', 'y')`;
    await env.DB.prepare(squat)
      .bind(`order:${o.orderId}`, before!.version + 1)
      .run();
    const event = stripeEvent("payment_intent.succeeded", stripe.completeAction(o.intent.id));

    const contended = await send(event);
    expectProblem(contended, 503, "unavailable");
    expect(contended.headers.get("retry-after")).toBe("1");
    expect(await env.DB.prepare("SELECT 1 FROM processed_webhooks WHERE event_id = ?").bind(event.id).first()).toBeNull();
    expect((await getOrder(o.orderId)).body.status).toBe("pending_payment");

    await asRogue(env.DB.prepare("DELETE FROM audit_events WHERE stream = ? AND type = 'test.squat'").bind(`order:${o.orderId}`));
    expect(await send(event)).toMatchObject({ status: 200, body: { received: true, outcome: "applied" } });
    expect((await getOrder(o.orderId)).body.status).toBe("paid");
  });
});

/* Issue 7: each test in this block failed on the code before its fix. */
describe("signed events the Worker cannot read or must not act on", () => {
  /** A 3-D Secure order, and everything about it a webhook could change. */
  async function pendingWithSnapshot() {
    const sku = await createSku({ stock: 5 });
    const o = await awaitingAuthentication(unique("cust"), sku, 2);
    const snapshot = async () => ({ order: (await getOrder(o.orderId)).body, levels: await levels(sku) });
    return { ...o, snapshot };
  }

  it("answers 400 to signed events it cannot read, and changes nothing", async () => {
    const o = await pendingWithSnapshot();
    const before = await o.snapshot();
    expect(before.order).toMatchObject({ status: "pending_payment", payment: { status: "requires_action" } });
    const succeeded = (object: unknown) => ({ ...stripeEvent("payment_intent.succeeded", {}), data: { object } });
    const ours = { ...o.intent, status: "succeeded", amount_received: o.intent.amount };
    const unreadable: unknown[] = [
      {},
      [],
      null,
      "payment_intent.succeeded",
      { id: "evt_1", type: "payment_intent.succeeded" },
      { ...stripeEvent("payment_intent.succeeded", {}), data: null },
      { ...stripeEvent("payment_intent.succeeded", {}), data: {} },
      succeeded(null),
      succeeded([]),
      succeeded("pi_1"),
      { ...succeeded(ours), type: 42 },
      { ...succeeded(ours), id: null },
      succeeded({ ...ours, metadata: "orderId" }),
      succeeded({ ...ours, metadata: [o.orderId] }),
      succeeded({ ...ours, metadata: { orderId: 7 } }),
      succeeded({ ...ours, amount: "2000" }),
      succeeded({ ...ours, amount_received: "2000" }),
      succeeded({ ...ours, currency: null }),
      succeeded({ ...ours, id: undefined }),
      { ...stripeEvent("payment_intent.payment_failed", { ...ours, last_payment_error: "declined" }) },
    ];
    for (const event of unreadable) expectProblem(await send(event), 400, "invalid_request");
    expect(await o.snapshot()).toEqual(before);
  });

  it("refuses bodies that are not application/json before reading them", async () => {
    const o = await pendingWithSnapshot();
    const before = await o.snapshot();
    const event = stripeEvent("payment_intent.succeeded", { ...o.intent, status: "succeeded", amount_received: o.intent.amount });
    for (const type of ["text/plain", "application/json-patch+json"]) {
      expectProblem(await postSigned(JSON.stringify(event), undefined, type), 415, "unsupported_media_type");
    }
    expect(await o.snapshot()).toEqual(before);
  });

  it("acknowledges, without acting, events that do not match the order or are not ours", async () => {
    const o = await pendingWithSnapshot();
    const before = await o.snapshot();
    const paid = { ...o.intent, status: "succeeded", amount_received: o.intent.amount };
    const ignored = [
      stripeEvent("charge.refunded", { id: "ch_1", object: "charge" }),
      stripeEvent("customer.created", { id: "cus_1", object: "customer", metadata: "not ours to read" }),
      stripeEvent("payment_intent.succeeded", { ...paid, metadata: {} }),
      stripeEvent("payment_intent.succeeded", { ...paid, metadata: null }),
      stripeEvent("payment_intent.succeeded", { ...paid, metadata: { orderId: `ord_${"0".repeat(24)}` } }),
      stripeEvent("payment_intent.succeeded", { ...paid, id: "pi_someone_else" }),
      stripeEvent("payment_intent.succeeded", { ...paid, amount_received: paid.amount - 1 }),
      stripeEvent("payment_intent.succeeded", { ...paid, amount: paid.amount + 1, amount_received: paid.amount + 1 }),
      stripeEvent("payment_intent.succeeded", { ...paid, amount_received: 0 }),
      stripeEvent("payment_intent.succeeded", { ...paid, currency: "eur" }),
      stripeEvent("payment_intent.payment_failed", { ...o.intent, amount: 1, status: "requires_payment_method" }),
      stripeEvent("payment_intent.canceled", { ...o.intent, id: "pi_someone_else", status: "canceled" }),
      stripeEvent("payment_intent.requires_action", { ...o.intent, currency: "gbp" }),
    ];
    for (const event of ignored) {
      expect(await send(event)).toMatchObject({ status: 200, body: { received: true, outcome: "ignored" } });
    }
    expect(await o.snapshot()).toEqual(before);
    // Deduplicated by event id as before.
    expect((await send(ignored[5])).body.outcome).toBe("duplicate");

    const applied = await send(stripeEvent("payment_intent.succeeded", stripe.completeAction(o.intent.id)));
    expect(applied).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "paid", payment: { intentId: o.intent.id } });
  });
});
