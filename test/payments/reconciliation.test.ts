import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/maintenance";
import { checkout } from "../../src/orders/checkout";
import { OrderFlow } from "../../src/orders/flow";
import { reconcilePayments, RECONCILIATION_STREAM, type ReconciliationReport } from "../../src/payments/reconcile";
import { StripeProvider } from "../../src/payments/stripe";
import { ADMIN, call, createSku, expectProblem, getOrder, levels, shopperToken, unique } from "../support/helpers";
import { FAKE_STRIPE_KEY, installFakeStripe, stripeEnv, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";

/**
 * The payments reconciliation (src/payments/reconcile.ts) on a seeded drift:
 * the provider's intents for our orders against the orders in D1. Stripe's
 * network is the fake; everything else is the real Worker.
 */

let stripe: FakeStripe;
beforeEach(() => {
  stripe = installFakeStripe();
});
afterAll(() => uninstallFakeStripe());

/** A Stripe order placed through checkout() and charged as the payments job would. */
async function chargedOrder(customerId: string, sku: string, paymentMethod: string) {
  const { env: stripeWorld } = stripeEnv();
  const placed = await checkout(stripeWorld, customerId, { items: [{ sku, quantity: 1 }], paymentMethod }, null, Date.now());
  if (!placed.ok) throw new Error(`checkout refused: ${placed.code}`);
  await new OrderFlow(stripeWorld).charge(placed.value.orderId, Date.now());
  const [intent] = [...stripe.intents.values()].filter((i) => i.metadata.orderId === placed.value.orderId);
  return { orderId: placed.value.orderId, intentId: intent!.id, world: stripeWorld };
}

/**
 * Three drifts and a clean order:
 * - `stray`: a succeeded intent whose order does not exist (as if its row were lost);
 * - `late`: a 3-D Secure order that expired, whose intent then succeeded with the webhook lost;
 * - `phantom`: an order marked refunded although the provider holds no refund for it;
 * - `clean`: a paid order.
 */
async function seedDrift() {
  const sku = await createSku({ stock: 10 });
  const clean = await chargedOrder(unique("clean"), sku, "pm_card_visa");
  const phantom = await chargedOrder(unique("phantom"), sku, "pm_card_visa");
  await env.DB.prepare("UPDATE orders SET status = 'refunded', refund_status = 'succeeded', refund_id = 're_never_made' WHERE order_id = ?")
    .bind(phantom.orderId)
    .run();
  const late = await chargedOrder(unique("late"), sku, "pm_card_authenticationRequired");
  await env.DB.prepare("UPDATE orders SET expires_at_ms = ? WHERE order_id = ?")
    .bind(Date.now() - 1, late.orderId)
    .run();
  expect((await new OrderFlow(late.world).expire(late.orderId, Date.now()))?.status).toBe("expired");
  stripe.completeAction(late.intentId);
  const strayOrderId = `ord_${crypto.randomUUID().replaceAll("-", "")}`;
  const stray = await new StripeProvider(FAKE_STRIPE_KEY).charge({
    orderId: strayOrderId,
    customerId: "ghost",
    amount: 1999,
    currency: "usd",
    paymentMethod: "pm_card_visa",
    attempt: 1,
  });
  expect(stray.status).toBe("succeeded");
  return { sku, clean, phantom, late, stray: { orderId: strayOrderId, intentId: stray.status === "succeeded" ? stray.intentId : "" } };
}

describe("payments reconciliation", () => {
  it("is the merchant's: a shopper is refused 403, nobody 401; before any run GET is 404", async () => {
    expectProblem(await call("/v1/payments/reconciliation", { method: "POST" }), 401, "unauthorized");
    expectProblem(await call("/v1/payments/reconciliation", { method: "POST", auth: await shopperToken("nosy") }), 403, "forbidden");
    expectProblem(await call("/v1/payments/reconciliation", { auth: await shopperToken("nosy") }), 403, "forbidden");
    expectProblem(await call("/v1/payments/reconciliation", { auth: ADMIN }), 404, "not_found");
    const run = await call("/v1/payments/reconciliation", { method: "POST", auth: ADMIN });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ trigger: "owner", provider: "simulated", complete: true });
    expect((await call("/v1/payments/reconciliation", { auth: ADMIN })).body).toEqual(run.body);
  });

  it("refunds each succeeded payment no order kept exactly once, flags a refund the provider never made, and audits the report", async () => {
    const seeded = await seedDrift();
    const { env: stripeWorld } = stripeEnv();
    const first = await reconcilePayments(stripeWorld, Date.now(), "owner");
    console.log(`payments reconciliation on a seeded drift:\n${JSON.stringify(first, null, 2)}`);

    expect(first).toMatchObject({ provider: "stripe", trigger: "owner", complete: true });
    expect(first.checked).toMatchObject({ intents: 4, succeededIntents: 4 });
    expect(first.drift).toEqual({ lateRefunds: 2, settled: 0, flagged: 1, failures: 0 });
    expect(first.lateRefunds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ intentId: seeded.stray.intentId, orderId: seeded.stray.orderId, why: "order_missing", amount: 1999 }),
        expect.objectContaining({ intentId: seeded.late.intentId, orderId: seeded.late.orderId, why: "order_ended" }),
      ]),
    );
    expect(first.flagged).toEqual([{ orderId: seeded.phantom.orderId, intentId: seeded.phantom.intentId, why: "no_provider_refund" }]);

    // The provider's ledger: one refund per late payment, none for the clean or the flagged order.
    const refundedIntents = () => stripe.refunds.map((r) => r.payment_intent).sort();
    expect(refundedIntents()).toEqual([seeded.late.intentId, seeded.stray.intentId].sort());
    for (const late of first.lateRefunds) expect(late.refundId).toMatch(/^re_/);
    // The ended order's late payment went through its own two-phase refund: it reads refunded, its unit back.
    expect((await getOrder(seeded.late.orderId)).body).toMatchObject({
      status: "refunded",
      refund: { status: "succeeded", reason: "late_payment" },
    });
    expect((await getOrder(seeded.clean.orderId)).body).toMatchObject({ status: "paid" });
    expect(await levels(seeded.sku)).toMatchObject({ sold: 2 });

    // Re-running refunds nothing more; the flag stands until the merchant acts.
    const second = await reconcilePayments(stripeWorld, Date.now(), "scheduled");
    expect(second.drift).toEqual({ lateRefunds: 0, settled: 0, flagged: 1, failures: 0 });
    expect(refundedIntents()).toEqual([seeded.late.intentId, seeded.stray.intentId].sort());

    // Each run is in the audit log, and the last one is what GET answers.
    const audit = await call(`/v1/audit?stream=${RECONCILIATION_STREAM}`, { auth: ADMIN });
    const runs = (audit.body.data as Array<{ type: string; data: ReconciliationReport }>).slice(-2);
    expect(runs.map((e) => e.type)).toEqual(["payments.reconciled", "payments.reconciled"]);
    expect(runs.map((e) => e.data)).toEqual([first, second]);
    expect((await call("/v1/audit/verify", { auth: ADMIN })).body).toMatchObject({ ok: true });
    const last = await call("/v1/payments/reconciliation", { auth: ADMIN });
    expect(last.status).toBe(200);
    expect(last.body).toEqual(second);
  });

  it("runs from the hourly cron: a stray payment is refunded by the maintenance run", async () => {
    const orderId = `ord_${crypto.randomUUID().replaceAll("-", "")}`;
    const paid = await new StripeProvider(FAKE_STRIPE_KEY).charge({
      orderId,
      customerId: "ghost",
      amount: 500,
      currency: "usd",
      paymentMethod: "pm_card_visa",
      attempt: 1,
    });
    const swept = await runMaintenance(stripeEnv().env, Date.now());
    expect(swept.payments).toMatchObject({ lateRefunds: 1, failures: 0 });
    expect(stripe.refunds.map((r) => r.payment_intent)).toEqual([paid.intentId]);
    expect((await call("/v1/payments/reconciliation", { auth: ADMIN })).body).toMatchObject({ trigger: "scheduled" });
  });

  it("pages the provider's list with explicit bounds until has_more is false", async () => {
    const provider = new StripeProvider(FAKE_STRIPE_KEY);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await provider.charge({
        orderId: `ord_page${i}`,
        customerId: "c",
        amount: 100,
        currency: "usd",
        paymentMethod: "pm_card_visa",
        attempt: 1,
      });
      if (r.status === "succeeded") ids.push(r.intentId);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const got = await provider.listIntents({ createdFromS: 0, startingAfter: after, limit: 2 });
      seen.push(...got.intents.map((i) => i.intentId));
      if (!got.hasMore) break;
      after = got.last;
    }
    expect(seen).toEqual(ids.reverse());
    const lists = stripe.requests.filter((r) => r.method === "GET" && r.path === "/v1/payment_intents");
    expect(lists.map((r) => [r.params.limit, r.params.starting_after ?? null])).toEqual([
      ["2", null],
      ["2", seen[1]],
      ["2", seen[3]],
    ]);
    expect(lists.every((r) => typeof r.params.created === "object" && r.params.created.gte === "0")).toBe(true);
  });
});
