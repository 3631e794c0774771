import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { OrderFlow } from "../../src/orders/flow";
import { stripeClient } from "../../src/payments/stripe";
import { createSku, getOrder, unique } from "../support/helpers";
import { FAKE_STRIPE_KEY, installFakeStripe, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { moneyOf, placeStripeOrder, postEventsOf, runPaymentJob, type StripeOrder } from "../support/stripe-orders";

/**
 * Issue 24 finding 2: every intent of an order is accounted for. An earlier
 * attempt's intent is cancelled before the next attempt (settled if it already
 * succeeded), an old attempt's success is never ignored, and a charge whose
 * answer was lost is read back from the provider, never declared "nothing charged".
 */

let fake: FakeStripe;
beforeEach(() => {
  fake = installFakeStripe();
});
afterAll(() => uninstallFakeStripe());

/** A 3-D Secure order whose authentication failed: payment_failed, PI1 back in requires_payment_method. */
async function failedAuthentication(customerId: string): Promise<StripeOrder & { pi1: string }> {
  const sku = await createSku({ stock: 3 });
  const o = await placeStripeOrder(customerId, sku, 1, "pm_card_authenticationRequired");
  await runPaymentJob(o);
  const pi1 = (await getOrder(o.orderId)).body.payment.intentId as string;
  const mark = fake.events.length;
  fake.failAction(pi1);
  await postEventsOf(fake, pi1, mark, o.env);
  expect((await getOrder(o.orderId)).body.status).toBe("payment_failed");
  return { ...o, pi1 };
}

const confirmAgain = (intentId: string) =>
  stripeClient(FAKE_STRIPE_KEY)
    .paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" })
    .then(
      (i) => i.status,
      (e: { code?: string }) => e.code,
    );

describe("an earlier attempt's intent", () => {
  it("is cancelled before attempt 2, so confirming it later charges nothing", async () => {
    const o = await failedAuthentication(unique("old"));
    const retried = await new OrderFlow(o.env).retryPayment(o.orderId, "pm_card_visa", Date.now());
    expect(retried.ok).toBe(true);
    await runPaymentJob(o);
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "paid", payment: { attempt: 2 } });

    // The shopper's old tab still holds PI1's client secret and confirms it.
    const mark = fake.events.length;
    const outcome = await confirmAgain(o.pi1);
    await postEventsOf(fake, o.pi1, mark, o.env);
    const money = moneyOf(fake, o.orderId);
    expect(money.kept, `PI1 confirmed: ${outcome}`).toHaveLength(1);
    expect(outcome).toBe("payment_intent_unexpected_state");
  });

  it("that succeeded before the retry pays the order instead of starting attempt 2", async () => {
    const o = await failedAuthentication(unique("won"));
    // PI1 succeeds; its event is still on its way when the shopper pays again.
    const mark = fake.events.length;
    expect(await confirmAgain(o.pi1)).toBe("succeeded");
    const retried = await new OrderFlow(o.env).retryPayment(o.orderId, "pm_card_visa", Date.now());
    if (retried.ok && retried.value.status === "pending_payment") await runPaymentJob(o);
    await postEventsOf(fake, o.pi1, mark, o.env);

    const money = moneyOf(fake, o.orderId);
    expect(money.succeeded.length - money.refunded.length).toBe(1);
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "paid", payment: { intentId: o.pi1 } });
  });

  it("whose success arrives after another attempt paid is refunded as a late payment, not ignored", async () => {
    const o = await failedAuthentication(unique("two"));
    const flow = new OrderFlow(o.env);
    expect((await flow.retryPayment(o.orderId, "pm_card_visa", Date.now())).ok).toBe(true);
    await runPaymentJob(o);
    // Stripe settled PI1 anyway (the cancel came too late on its side): its event must not be dropped.
    fake.intents.get(o.pi1)!.status = "requires_payment_method";
    const mark = fake.events.length;
    fake.completeAction(o.pi1);
    const [res] = await postEventsOf(fake, o.pi1, mark, o.env);
    expect(res!.body.outcome).toBe("applied");
    const money = moneyOf(fake, o.orderId);
    expect(money.refunded).toEqual([o.pi1]);
    expect(money.kept).toHaveLength(1);
    expect((await getOrder(o.orderId)).body.status).toBe("paid");
  });
});

describe("a charge whose answer was lost", () => {
  it("is read back from the provider by the dead-letter handler, which never says nothing was charged", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("lost"), sku, 1, "pm_card_visa");
    // Stripe charges, the answer is lost, and the SDK's own retries meet an outage.
    fake.failNext("lost", "500", "500");
    expect(await runPaymentJob(o)).toBe("retry");
    expect(fake.intentsCreated()).toBe(1);

    await runPaymentJob(o, 6, "dead");
    const order = (await getOrder(o.orderId)).body;
    expect(order.payment.failureReason ?? "").not.toMatch(/nothing was charged/);
    expect(order).toMatchObject({ status: "paid", payment: { status: "succeeded", intentId: [...fake.intents.keys()][0] } });
    expect(moneyOf(fake, o.orderId).kept).toHaveLength(1);
  });
});
