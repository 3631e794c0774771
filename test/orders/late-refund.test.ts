import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { OrderFlow } from "../../src/orders/flow";
import { OrderStore } from "../../src/orders/store";
import { Refunds } from "../../src/orders/refunds";
import { stripeClient } from "../../src/payments/stripe";
import { expireHold } from "../support/inside-objects";
import { createSku, getOrder, paidOrder, unique } from "../support/helpers";
import { FAKE_STRIPE_KEY, installFakeStripe, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { moneyOf, placeStripeOrder, postEventsOf, runPaymentJob } from "../support/stripe-orders";

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

describe("a late payment's pending refund", () => {
  it("refunds the intent that paid late, even when the shopper tries to pay again meanwhile", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("late"), sku, 1, "pm_card_authenticationRequired");
    await runPaymentJob(o);
    const pi1 = (await getOrder(o.orderId)).body.payment.intentId as string;
    // 3-D Secure fails; the order says so.
    let mark = fake.events.length;
    fake.failAction(pi1);
    await postEventsOf(fake, pi1, mark, o.env);
    expect((await getOrder(o.orderId)).body.status).toBe("payment_failed");
    // The hold lapses, then PI1 succeeds anyway; its refund meets three provider 500s.
    await expireHold(sku, o.holdId);
    mark = fake.events.length;
    await stripeClient(FAKE_STRIPE_KEY).paymentIntents.confirm(pi1, { payment_method: "pm_card_visa" });
    fake.failNext("500", "500", "500");
    await postEventsOf(fake, pi1, mark, o.env);
    expect((await getOrder(o.orderId)).body.refund).toMatchObject({ status: "pending", reason: "late_payment" });

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
