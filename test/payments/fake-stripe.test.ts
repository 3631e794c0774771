import { afterAll, beforeEach, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { stripeClient } from "../../src/payments/stripe";
import { FAKE_STRIPE_KEY, IDEMPOTENCY_KEY_TTL_MS, installFakeStripe, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { deliverLikeStripe } from "../support/stripe-deliveries";

/**
 * The fake behaves like Stripe where money depends on it; each behaviour is
 * Stripe's documented one (test/support/fake-stripe-account.ts cites where),
 * driven here through the real SDK.
 */

let fake: FakeStripe;
let stripe: Stripe;
beforeEach(() => {
  fake = installFakeStripe();
  stripe = stripeClient(FAKE_STRIPE_KEY);
});
afterAll(() => uninstallFakeStripe());

const create = (pm: string, key: string, orderId = "ord_1", amount = 2000) =>
  stripe.paymentIntents.create(
    { amount, currency: "usd", payment_method: pm, confirm: true, metadata: { orderId, attempt: "1" } },
    { idempotencyKey: key },
  );

describe("the fake Stripe", () => {
  it("replays the first response under an idempotency key for 24 hours, then forgets the key", async () => {
    const first = await create("pm_card_authenticationRequired", "k1");
    expect(first.status).toBe("requires_action");
    fake.completeAction(first.id);
    // The intent has since succeeded, but the replay is the first answer, as sent.
    fake.elapse(IDEMPOTENCY_KEY_TTL_MS - 60_000);
    const replay = await create("pm_card_authenticationRequired", "k1");
    expect(replay).toMatchObject({ id: first.id, status: "requires_action" });
    expect(fake.intentsCreated()).toBe(1);
    // A day on, the same key makes a new intent.
    fake.elapse(60_000);
    const fresh = await create("pm_card_authenticationRequired", "k1");
    expect(fresh.id).not.toBe(first.id);
    expect(fake.intentsCreated()).toBe(2);
  });

  it("replays a stored error too, and refuses the key with other parameters", async () => {
    const declined = await create("pm_card_chargeDeclined", "k2").catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    const again = await create("pm_card_chargeDeclined", "k2").catch((e: unknown) => e);
    expect(again).toMatchObject({ type: "StripeCardError", code: "card_declined" });
    const other = await create("pm_card_visa", "k2").catch((e: unknown) => e);
    expect(other).toMatchObject({ type: "StripeIdempotencyError" });
  });

  it("puts a failed intent back in requires_payment_method, where it can be confirmed again and succeed", async () => {
    const pending = await create("pm_card_authenticationRequired", "k3");
    expect(fake.failAction(pending.id).status).toBe("requires_payment_method");
    const confirmed = await stripe.paymentIntents.confirm(pending.id, { payment_method: "pm_card_visa" });
    expect(confirmed).toMatchObject({ status: "succeeded", amount_received: 2000 });
    expect(confirmed.latest_charge).toMatch(/^ch_/);
    const twice = await stripe.paymentIntents.confirm(pending.id).catch((e: unknown) => e);
    expect(twice).toMatchObject({ type: "StripeInvalidRequestError", code: "payment_intent_unexpected_state" });
  });

  it("refuses to cancel a succeeded intent, and cancels one still waiting", async () => {
    const paid = await create("pm_card_visa", "k4");
    const refused = await stripe.paymentIntents.cancel(paid.id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ type: "StripeInvalidRequestError", code: "payment_intent_unexpected_state" });
    expect(fake.intents.get(paid.id)!.status).toBe("succeeded");
    const waiting = await create("pm_card_authenticationRequired", "k5");
    expect((await stripe.paymentIntents.cancel(waiting.id)).status).toBe("canceled");
  });

  it("finds intents by our order's metadata, newest first", async () => {
    const a = await create("pm_card_visa", "k6", "ord_a");
    fake.elapse(1_000);
    const b = await create("pm_card_authenticationRequired", "k7", "ord_a");
    await create("pm_card_visa", "k8", "ord_b");
    const found = await stripe.paymentIntents.search({ query: "metadata['orderId']:'ord_a'" });
    expect(found.data.map((i) => i.id)).toEqual([b.id, a.id]);
    const paid = await stripe.paymentIntents.search({ query: "metadata['orderId']:'ord_a' AND status:'succeeded'" });
    expect(paid.data.map((i) => i.id)).toEqual([a.id]);
    expect((await stripe.paymentIntents.retrieve(b.id)).status).toBe("requires_action");
  });

  it("refunds per charge: partial refunds up to what the charge collected, then charge_already_refunded", async () => {
    const paid = await create("pm_card_visa", "k9");
    const charge = paid.latest_charge as string;
    expect((await stripe.refunds.create({ charge, amount: 500 })).amount).toBe(500);
    const over = await stripe.refunds.create({ charge, amount: 1600 }).catch((e: unknown) => e);
    expect(over).toMatchObject({ code: "amount_too_large" });
    expect((await stripe.refunds.create({ payment_intent: paid.id })).amount).toBe(1500);
    const again = await stripe.refunds.create({ payment_intent: paid.id }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: "charge_already_refunded" });
    expect(fake.charges.get(charge)).toMatchObject({ amount_refunded: 2000, refunded: true });
    expect((await stripe.refunds.list({ charge })).data).toHaveLength(2);
  });

  it("refuses amounts Stripe can never charge as invalid requests, not outages", async () => {
    const big = await create("pm_card_visa", "k10", "ord_c", 100_000_000).catch((e: unknown) => e);
    expect(big).toMatchObject({ type: "StripeInvalidRequestError", code: "amount_too_large", statusCode: 400 });
    const small = await create("pm_card_visa", "k11", "ord_c", 0).catch((e: unknown) => e);
    expect(small).toMatchObject({ type: "StripeInvalidRequestError", code: "amount_too_small" });
  });

  it("delivers its events duplicated, reordered and redelivered after a failure, per seed", async () => {
    const pending = await create("pm_card_authenticationRequired", "k12");
    fake.failAction(pending.id);
    await stripe.paymentIntents.confirm(pending.id, { payment_method: "pm_card_visa" });
    const types = fake.events.map((e) => e.type);
    expect(types).toEqual([
      "payment_intent.created",
      "payment_intent.requires_action",
      "payment_intent.payment_failed",
      "payment_intent.succeeded",
    ]);
    const seed = 7;
    const answered = new Map<string, number>();
    const log = await deliverLikeStripe(
      fake.events,
      async (payload) => {
        const id = (payload as { id: string }).id;
        answered.set(id, (answered.get(id) ?? 0) + 1);
        // The first delivery of each event fails, as an endpoint that was down would.
        return { status: answered.get(id) === 1 ? 503 : 200 };
      },
      { seed, copiesMax: 3 },
    );
    const order = log.map((d) => d.type);
    expect(order, `seed ${seed}`).not.toEqual(types);
    expect(log.length, `seed ${seed}`).toBeGreaterThan(types.length * 2);
    for (const e of fake.events) expect(log.filter((d) => d.id === e.id && d.status === 200).length).toBeGreaterThanOrEqual(1);
  });
});
