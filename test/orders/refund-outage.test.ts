import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { OrderFlow } from "../../src/orders/flow";
import { createSku, getOrder, unique } from "../support/helpers";
import { installFakeStripe, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { moneyOf, placeStripeOrder, runPaymentJob } from "../support/stripe-orders";

/**
 * A merchant's refund that meets a provider outage is an expected refusal, not
 * a bug: the refund stays recorded (two-phase), the answer is 503 unavailable,
 * and the retry completes it once. Found by `npm run chaos` with its money
 * faults: the outage escaped as a 500.
 */

let fake: FakeStripe;
beforeEach(() => {
  fake = installFakeStripe();
});
afterAll(() => uninstallFakeStripe());

describe("a merchant's refund during a provider outage", () => {
  it("answers unavailable with the refund recorded, and the retry refunds the payment exactly once", async () => {
    const sku = await createSku({ stock: 2 });
    const o = await placeStripeOrder(unique("outage"), sku, 1, "pm_card_visa");
    await runPaymentJob(o);
    expect((await getOrder(o.orderId)).body.status).toBe("paid");
    const flow = new OrderFlow(o.env);

    // The SDK tries three times (maxNetworkRetries 2): all three meet a 500.
    fake.failNext("500", "500", "500");
    const first = await flow.refund(o.orderId, false, Date.now());
    expect(first).toMatchObject({ ok: false, code: "unavailable" });
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "paid", refund: { status: "pending" } });

    const again = await flow.refund(o.orderId, false, Date.now());
    expect(again).toMatchObject({ ok: true, value: { status: "refunded", refund: { status: "succeeded" } } });
    const money = moneyOf(fake, o.orderId);
    expect(money.refunded).toHaveLength(1);
    expect(money.kept).toEqual([]);
  });
});
