import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { holdStatus } from "../support/inside-objects";
import { ADMIN, call, checkoutAs, createSku, expectProblem, hold, levels, shopperToken, unique, waitForStatus } from "../support/helpers";

/** POST /v1/orders/{orderId}/pay: a declined order keeps its holds until its deadline and may be paid again. */

async function declinedOrder(customerId: string, stock = 5, quantity = 2) {
  const sku = await createSku({ stock });
  const h = (await hold(sku, customerId, quantity)).body;
  const res = await checkoutAs(customerId, { holdIds: [h.holdId], paymentMethod: "pm_card_chargeDeclined" });
  expect(res.status).toBe(202);
  const failed = await waitForStatus(res.body.orderId, "payment_failed");
  return { sku, holdId: h.holdId as string, orderId: res.body.orderId as string, failed };
}

const pay = async (orderId: string, customerId: string, paymentMethod: string, key?: string) =>
  call(`/v1/orders/${orderId}/pay`, {
    auth: await shopperToken(customerId),
    body: { paymentMethod },
    headers: key ? { "idempotency-key": key } : {},
  });

describe("paying a declined order again", () => {
  it("keeps the holds through the decline, then pays as attempt 2 with its own charge", async () => {
    const me = unique("payer");
    const o = await declinedOrder(me);
    expect(o.failed.payment).toMatchObject({ status: "failed", attempt: 1, intentId: `pi_sim_${o.orderId}` });
    expect(await holdStatus(o.sku, o.holdId)).toBe("checkout");
    expect(await levels(o.sku)).toMatchObject({ reserved: 2, available: 3 });

    const key = `pay-${o.orderId}`;
    const res = await pay(o.orderId, me, "pm_card_visa", key);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ orderId: o.orderId, status: "pending_payment", payment: { status: null, attempt: 2 } });
    expect(res.body.payment.failureReason).toBeUndefined();

    const paid = await waitForStatus(o.orderId, "paid");
    expect(paid.payment).toMatchObject({ status: "succeeded", attempt: 2, intentId: `pi_sim_${o.orderId}_2` });
    expect(await holdStatus(o.sku, o.holdId)).toBe("committed");
    expect(await levels(o.sku)).toMatchObject({ reserved: 0, sold: 2, onHand: 3 });

    // A replay answers the first reply; the same key with another body is refused.
    const replay = await pay(o.orderId, me, "pm_card_visa", key);
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(res.body);
    expectProblem(await pay(o.orderId, me, "pm_card_mastercard", key), 422, "idempotency_key_reused");
    // Without the key, a paid order cannot be paid again.
    const again = await pay(o.orderId, me, "pm_card_visa");
    expectProblem(again, 409, "invalid_order_state");
    expect(again.body.orderStatus).toBe("paid");
    const audit = await call(`/v1/audit?stream=order:${o.orderId}`, { auth: ADMIN });
    expect(audit.body.data.map((e: { type: string }) => e.type)).toEqual([
      "order.created",
      "order.payment_failed",
      "order.payment_retried",
      "order.paid",
    ]);
  });

  it("may fail again, and is refused 410 once the order's deadline passed (the order reads expired)", async () => {
    const me = unique("payer");
    const o = await declinedOrder(me);
    expect((await pay(o.orderId, me, "pm_card_chargeDeclinedInsufficientFunds")).status).toBe(202);
    const second = await waitForStatus(o.orderId, "payment_failed");
    expect(second.payment).toMatchObject({ attempt: 2, failureReason: "Your card has insufficient funds." });

    await env.DB.prepare("UPDATE orders SET expires_at_ms = ? WHERE order_id = ?")
      .bind(Date.now() - 1_000, o.orderId)
      .run();
    const late = await pay(o.orderId, me, "pm_card_visa");
    expectProblem(late, 410, "hold_expired");
    expect((await call(`/v1/orders/${o.orderId}`, { auth: await shopperToken(me) })).body.status).toBe("expired");
  });

  it("is the owner's alone: another shopper gets 404, the merchant 403; a pending order is 409", async () => {
    const me = unique("payer");
    const o = await declinedOrder(me);
    expectProblem(await pay(o.orderId, unique("stranger"), "pm_card_visa"), 404, "not_found");
    expectProblem(await call(`/v1/orders/${o.orderId}/pay`, { auth: ADMIN, body: { paymentMethod: "pm_card_visa" } }), 403, "forbidden");
    expectProblem(await pay(o.orderId, me, "not-a-method"), 400, "invalid_request");

    const sku = await createSku({ stock: 2 });
    const pending = await checkoutAs(me, { items: [{ sku, quantity: 1 }], paymentMethod: "pm_card_authenticationRequired" });
    await new Promise((r) => setTimeout(r, 200));
    const refused = await pay(pending.body.orderId, me, "pm_card_visa");
    expectProblem(refused, 409, "invalid_order_state");
    expect(refused.body.orderStatus).toBe("pending_payment");
  });
});
