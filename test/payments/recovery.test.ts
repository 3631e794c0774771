import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { OrderFlow } from "../../src/orders/flow";
import { createSku, getOrder, levels, unique } from "../support/helpers";
import { installFakeStripe, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { placeStripeOrder, runPaymentJob } from "../support/stripe-orders";
import { StripeProvider } from "../../src/payments/stripe";
import { FAKE_STRIPE_KEY } from "../support/fake-stripe";

/**
 * Issue 24 finding 3: expire() finding a committed hold recovers the payment
 * by reading it from the provider (by id, or by our order's metadata), never
 * by creating it again: a replayed create answers its first response, and
 * after 24 h a create is a second charge.
 */

let fake: FakeStripe;
beforeEach(() => {
  fake = installFakeStripe();
});
afterAll(() => uninstallFakeStripe());

const DAY_MS = 24 * 60 * 60 * 1000;

describe("recovering a payment cut off by a crash", () => {
  it("reads the 3-D Secure intent the shopper completed, and settles the order paid", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("rec"), sku, 2, "pm_card_authenticationRequired");
    await runPaymentJob(o);
    const pi = (await getOrder(o.orderId)).body.payment.intentId as string;
    // The shopper authenticates; the webhook commits the hold and dies before the order moves.
    fake.completeAction(pi);
    expect(await env.SKU.getByName(sku).commit(o.holdId, o.orderId)).toMatchObject({ ok: true });

    const order = await new OrderFlow(o.env).expire(o.orderId, Date.now() + 3_600_000);
    expect(order).toMatchObject({ status: "paid", paymentStatus: "succeeded", intentId: pi });
    expect(fake.intentsCreated()).toBe(1);
    expect(await levels(sku)).toMatchObject({ sold: 2, reserved: 0 });
  });

  it("charges nothing a second time when it runs a day after the charge", async () => {
    const sku = await createSku({ stock: 3 });
    const o = await placeStripeOrder(unique("day"), sku, 1, "pm_card_visa");
    // The job's first delivery charged and committed, then died; the order never heard.
    await new StripeProvider(FAKE_STRIPE_KEY).charge({
      orderId: o.orderId,
      customerId: "day",
      amount: 1999,
      currency: "usd",
      paymentMethod: "pm_card_visa",
      attempt: 1,
    });
    expect(await env.SKU.getByName(sku).commit(o.holdId, o.orderId)).toMatchObject({ ok: true });
    fake.elapse(DAY_MS + 60_000);

    const order = await new OrderFlow(o.env).expire(o.orderId, Date.now() + 2 * DAY_MS);
    expect(fake.intentsCreated()).toBe(1);
    expect(order).toMatchObject({ status: "paid", intentId: [...fake.intents.keys()][0] });
  });
});
