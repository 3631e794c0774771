import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { stripeClient } from "../../src/payments/stripe";
import { createSku, getOrder, unique } from "../support/helpers";
import { FAKE_STRIPE_KEY, installFakeStripe, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { deliverLikeStripe } from "../support/stripe-deliveries";
import { moneyOf, placeStripeOrder, postStripeEvent, runPaymentJob } from "../support/stripe-orders";

/**
 * Stripe delivers events at least once and in no order: whatever the
 * schedule, a 3-D Secure order that failed authentication and then paid ends
 * paid, with exactly one charge kept. Seeded schedules; a failure names its seed.
 */

let fake: FakeStripe;
beforeEach(() => {
  fake = installFakeStripe();
});
afterAll(() => uninstallFakeStripe());

const SEEDS = [1, 2, 3, 4, 5, 6];

describe("events redelivered, reordered and duplicated", () => {
  it.each(SEEDS)("settle once whatever the schedule (seed %i)", async (seed) => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("ord"), sku, 1, "pm_card_authenticationRequired");
    await runPaymentJob(o);
    const pi = (await getOrder(o.orderId)).body.payment.intentId as string;
    fake.failAction(pi);
    await stripeClient(FAKE_STRIPE_KEY).paymentIntents.confirm(pi, { payment_method: "pm_card_visa" });

    const log = await deliverLikeStripe(fake.events, (payload) => postStripeEvent(payload, o.env), { seed });
    expect(
      log.every((d) => d.status === 200),
      `seed ${seed}: ${JSON.stringify(log)}`,
    ).toBe(true);
    expect((await getOrder(o.orderId)).body, `seed ${seed}`).toMatchObject({ status: "paid", payment: { intentId: pi } });
    expect(moneyOf(fake, o.orderId), `seed ${seed}`).toEqual({ succeeded: [pi], refunded: [], kept: [pi] });
  });
});
