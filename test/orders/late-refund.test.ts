import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { OrderFlow } from "../../src/orders/flow";
import { OrderStore } from "../../src/orders/store";
import { Refunds } from "../../src/orders/refunds";
import { stripeClient } from "../../src/payments/stripe";
import { expireHold } from "../support/inside-objects";
import { createSku, getOrder, paidOrder, unique } from "../support/helpers";
import { FAKE_STRIPE_KEY, installFakeStripe, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { moneyOf, placeStripeOrder, postEventsOf, runPaymentJob, type StripeOrder } from "../support/stripe-orders";

/**
 * Issue 24 finding 1: a refund's target is its own field, set when the refund
 * is recorded; nothing overwrites it, completion without one fails, and no new
 * payment attempt starts while a refund is pending.
 */

let fake: FakeStripe;
beforeEach(() => {
  fake = installFakeStripe();
});
afterAll(() => uninstallFakeStripe());

/**
 * A declined order whose hold lapsed, then its intent succeeds anyway and the
 * late payment's refund meets three provider 500s (the SDK's three tries):
 * the refund stays recorded, pending. Returns the intent and the webhook
 * answers to its events.
 */
async function lateRefundMeetsOutage(sku: string, o: StripeOrder) {
  await runPaymentJob(o);
  const pi1 = (await getOrder(o.orderId)).body.payment.intentId as string;
  // 3-D Secure fails; the order says so.
  let mark = fake.events.length;
  fake.failAction(pi1);
  await postEventsOf(fake, pi1, mark, o.env);
  expect((await getOrder(o.orderId)).body.status).toBe("payment_failed");
  await expireHold(sku, o.holdId);
  mark = fake.events.length;
  await stripeClient(FAKE_STRIPE_KEY).paymentIntents.confirm(pi1, { payment_method: "pm_card_visa" });
  fake.failNext("500", "500", "500");
  const answers = await postEventsOf(fake, pi1, mark, o.env);
  expect((await getOrder(o.orderId)).body.refund).toMatchObject({ status: "pending", reason: "late_payment" });
  return { pi1, mark, answers };
}

describe("a late payment's pending refund", () => {
  it("refunds the intent that paid late, even when the shopper tries to pay again meanwhile", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("late"), sku, 1, "pm_card_authenticationRequired");
    const { pi1 } = await lateRefundMeetsOutage(sku, o);

    // The shopper pays again, then the sweep resumes the refund.
    const flow = new OrderFlow(o.env);
    const retried = await flow.retryPayment(o.orderId, "pm_card_visa", Date.now());
    await flow.resumeRefund(o.orderId, Date.now());
    if (retried.ok) await runPaymentJob(o);

    const money = moneyOf(fake, o.orderId);
    expect(money.refunded).toEqual([pi1]);
    expect(money.kept).toEqual([]);
    expect(retried).toMatchObject({ ok: false, code: "invalid_order_state" });
    const order = (await getOrder(o.orderId)).body;
    expect(order).toMatchObject({
      status: "refunded",
      refund: { status: "succeeded", reason: "late_payment", refundId: fake.refunds[0]!.id },
    });
  });
});

/**
 * Found by `npm run chaos` (seed 1484801161): a late payment's refund that met
 * an outage stayed pending until the hourly sweep, because the webhook that
 * found it answered 200 and nothing else was scheduled to finish it.
 */
describe("a late payment's refund that meets an outage", () => {
  it("answers Stripe's webhook 5xx, so its redelivery finishes the refund", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("redeliver"), sku, 1, "pm_card_authenticationRequired");
    const { pi1, mark, answers } = await lateRefundMeetsOutage(sku, o);
    expect(answers.map((a) => a.status)).toContain(503);

    await postEventsOf(fake, pi1, mark, o.env);
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "refunded", refund: { status: "succeeded", reason: "late_payment" } });
    expect(moneyOf(fake, o.orderId)).toMatchObject({ refunded: [pi1], kept: [] });
  });

  it("schedules its own follow-up on the payments queue when recorded, which finishes it", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("follow"), sku, 1, "pm_card_authenticationRequired");
    const before_ms = Date.now();
    const { pi1 } = await lateRefundMeetsOutage(sku, o);
    const row = await env.DB.prepare("SELECT queue, deliver_at_ms FROM order_outbox WHERE id = ?")
      .bind(`payment:${o.orderId}:refund`)
      .first<{ queue: string; deliver_at_ms: number }>();
    expect(row?.queue).toBe("payments");
    expect(row?.deliver_at_ms).toBeGreaterThan(before_ms);
    expect(o.jobs.at(-1)).toEqual({ orderId: o.orderId });

    expect(await runPaymentJob(o)).toBe("ack");
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "refunded", refund: { status: "succeeded" } });
    expect(moneyOf(fake, o.orderId)).toMatchObject({ refunded: [pi1], kept: [] });
  });

  it("asks the queue to deliver the follow-up again while the provider stays down", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("down"), sku, 1, "pm_card_authenticationRequired");
    await lateRefundMeetsOutage(sku, o);
    fake.failNext("500", "500", "500");
    expect(await runPaymentJob(o)).toBe("retry");
    expect((await getOrder(o.orderId)).body.refund).toMatchObject({ status: "pending" });
  });
});

describe("completing a refund", () => {
  it("refunds the recorded target even after the order's intent field changed", async () => {
    const sku = await createSku({ stock: 3 });
    const { orderId } = await paidOrder(unique("tgt"), sku, 1);
    await new Refunds(env, new OrderStore(env.DB, env)).record(orderId, Date.now(), {
      reason: "requested_by_merchant",
      restock: true,
      from: ["paid"],
    });
    await env.DB.prepare("UPDATE orders SET intent_id = NULL WHERE order_id = ?").bind(orderId).run();
    await new OrderFlow(env).resumeRefund(orderId, Date.now());
    expect((await getOrder(orderId)).body).toMatchObject({
      status: "refunded",
      refund: { status: "succeeded", refundId: `re_sim_pi_sim_${orderId}` },
    });
  });

  it("fails, and leaves the refund pending, when the refund has no target to refund", async () => {
    const sku = await createSku({ stock: 3 });
    const { orderId } = await paidOrder(unique("none"), sku, 1);
    await new Refunds(env, new OrderStore(env.DB, env)).record(orderId, Date.now(), {
      reason: "requested_by_merchant",
      restock: true,
      from: ["paid"],
    });
    // A row from before refunds named their target (refund_intent_id arrives with migration 0010).
    await env.DB.prepare("UPDATE orders SET intent_id = NULL WHERE order_id = ?").bind(orderId).run();
    await env.DB.prepare("UPDATE orders SET refund_intent_id = NULL WHERE order_id = ?")
      .bind(orderId)
      .run()
      .catch(() => undefined);
    const resumed = await new OrderFlow(env).resumeRefund(orderId, Date.now()).then(
      () => "completed",
      (e: unknown) => String(e),
    );
    expect((await getOrder(orderId)).body).toMatchObject({ status: "paid", refund: { status: "pending" } });
    expect(resumed).toMatch(/no payment to refund/);
  });
});
