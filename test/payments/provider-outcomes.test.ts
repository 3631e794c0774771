import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { OrderFlow } from "../../src/orders/flow";
import { fakeQueue } from "../support/outbox";
import { ADMIN, call, createSku, expectProblem, getOrder, paidOrder, unique } from "../support/helpers";
import { installFakeStripe, stripeEvent, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { placeStripeOrder, postEventsOf, postStripeEvent, runPaymentJob } from "../support/stripe-orders";

/**
 * Issue 24 finding 5: what the provider says is final is final (an amount it
 * can never charge fails at once, with its reason), money moved in its
 * dashboard moves the order, and a merchant's cancel of a paid order tells the
 * shopper their money is coming back.
 */

let fake: FakeStripe;
beforeEach(() => {
  fake = installFakeStripe();
});
afterAll(() => uninstallFakeStripe());

describe("errors that can never succeed", () => {
  it("fail the order at once with the provider's reason instead of being retried as an outage", async () => {
    const sku = await createSku({ stock: 3, price: 10 });
    const o = await placeStripeOrder(unique("tiny"), sku, 1, "pm_card_visa");
    expect(await runPaymentJob(o)).toBe("ack");
    const order = (await getOrder(o.orderId)).body;
    expect(order).toMatchObject({ status: "payment_failed", payment: { status: "failed" } });
    expect(order.payment.failureReason).toMatch(/at least/);
  });
});

describe("money moved in the provider's dashboard", () => {
  it("a dashboard refund moves the order to refunded and refuses its fulfilment", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("dash"), sku, 1, "pm_card_visa");
    await runPaymentJob(o);
    const pi = (await getOrder(o.orderId)).body.payment.intentId as string;
    const mark = fake.events.length;
    fake.refundFromDashboard(pi);
    const [res] = await postEventsOf(fake, pi, mark, o.env);
    expect(res!.body.outcome).toBe("applied");
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "refunded", refund: { status: "succeeded" } });
    expectProblem(
      await call(`/v1/orders/${o.orderId}/fulfill`, { method: "POST", auth: ADMIN, headers: { "Idempotency-Key": unique("ful") } }),
      409,
      "invalid_order_state",
    );
  });

  it("a dispute refuses the order's fulfilment", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("disp"), sku, 1, "pm_card_visa");
    await runPaymentJob(o);
    const pi = (await getOrder(o.orderId)).body.payment.intentId as string;
    const mark = fake.events.length;
    fake.dispute(pi);
    const [res] = await postEventsOf(fake, pi, mark, o.env);
    expect(res!.body.outcome).toBe("applied");
    const fulfil = await call(`/v1/orders/${o.orderId}/fulfill`, {
      method: "POST",
      auth: ADMIN,
      headers: { "Idempotency-Key": unique("ful") },
    });
    expectProblem(fulfil, 409, "invalid_order_state");
    expect(fulfil.body.detail).toMatch(/disput/);
    // A duplicate of the event changes nothing more.
    const again = await postStripeEvent(stripeEvent(fake.events.at(-1)!.type, fake.events.at(-1)!.object, fake.events.at(-1)!.id), o.env);
    expect(again.body.outcome).toBe("duplicate");
  });
});

describe("partial refunds and lost disputes at the provider", () => {
  it("a partial dashboard refund is recorded on the order, which stays paid and can still be fulfilled", async () => {
    const sku = await createSku({ stock: 3, price: 1000 });
    const o = await placeStripeOrder(unique("part"), sku, 1, "pm_card_visa");
    await runPaymentJob(o);
    const pi = (await getOrder(o.orderId)).body.payment.intentId as string;
    const mark = fake.events.length;
    fake.refundFromDashboard(pi, 400);
    const [res] = await postEventsOf(fake, pi, mark, o.env);
    expect(res!.body.outcome).toBe("applied");
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "paid", refund: null, refundedAmount: 400 });
    // A second partial refund adds up; a redelivery of the first changes nothing.
    const second = fake.events.length;
    fake.refundFromDashboard(pi, 100);
    await postEventsOf(fake, pi, second, o.env);
    await postStripeEvent(stripeEvent("charge.refunded", { ...fake.events[mark]!.object }), o.env);
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "paid", refundedAmount: 500 });
    const fulfil = await call(`/v1/orders/${o.orderId}/fulfill`, {
      method: "POST",
      auth: ADMIN,
      headers: { "Idempotency-Key": unique("ful") },
    });
    expect(fulfil.status).toBe(200);
  });

  it("a lost dispute ends the order refunded (dispute_lost): never fulfilled, listed with the refunded orders", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("lost"), sku, 1, "pm_card_visa");
    await runPaymentJob(o);
    const pi = (await getOrder(o.orderId)).body.payment.intentId as string;
    const mark = fake.events.length;
    fake.dispute(pi);
    fake.closeDispute(pi, "lost");
    await postEventsOf(fake, pi, mark, o.env);
    expect((await getOrder(o.orderId)).body).toMatchObject({
      status: "refunded",
      disputeStatus: "lost",
      refund: { status: "succeeded", reason: "dispute_lost", restocked: false },
    });
    expectProblem(
      await call(`/v1/orders/${o.orderId}/fulfill`, { method: "POST", auth: ADMIN, headers: { "Idempotency-Key": unique("ful") } }),
      409,
      "invalid_order_state",
    );
    const listed = await call("/v1/orders?status=refunded&limit=100", { auth: ADMIN });
    expect(JSON.stringify(listed.body)).toMatch(o.orderId);
  });
});

describe("a merchant's cancel of a paid order", () => {
  it("notifies the shopper order.refunded", async () => {
    const sku = await createSku({ stock: 3 });
    const { orderId } = await paidOrder(unique("mc"), sku, 1);
    const notes = fakeQueue();
    const flow = new OrderFlow({ ...env, NOTIFICATIONS: notes.queue as Env["NOTIFICATIONS"] });
    const out = await flow.cancel(orderId, "merchant", Date.now());
    expect(out).toMatchObject({ ok: true, value: { status: "cancelled", refund: { status: "succeeded" } } });
    expect(notes.sent).toEqual([expect.objectContaining({ type: "order.refunded", orderId })]);
  });
});
