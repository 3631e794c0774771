import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OrderFlow } from "../../src/orders/flow";
import { deliverNotification } from "../../src/notifications/deliver";
import type { Notification } from "../../src/notifications/messages";
import { fakeQueue } from "../support/outbox";
import { ADMIN, call, checkoutAs, createSku, getOrder, hold, type Order, shopperToken, unique, waitForOrder } from "../support/helpers";

/**
 * Issue 24 finding 4 / issue 22 finding 5: the client secret lets whoever holds
 * it confirm the payment. It is the shopper's alone while the payment waits on
 * them: cleared by every terminal move, never in notifications, logs or the audit.
 */

afterEach(() => vi.restoreAllMocks());

async function awaitingShopper(customerId: string) {
  const sku = await createSku({ stock: 3 });
  const h = (await hold(sku, customerId, 1)).body;
  const res = await checkoutAs(customerId, { holdIds: [h.holdId], paymentMethod: "pm_card_authenticationRequired" });
  await waitForOrder(res.body.orderId, (o) => o.payment.status === "requires_action");
  const order = (await getOrder(res.body.orderId, await shopperToken(customerId))).body as Order;
  expect(order.payment.clientSecret).toMatch(/_secret_/);
  return order;
}

const notifyingEnv = () => {
  const notes = fakeQueue();
  return { env: { ...env, NOTIFICATIONS: notes.queue as Env["NOTIFICATIONS"] }, sent: notes.sent };
};

async function auditText(orderId: string): Promise<string> {
  const res = await call(`/v1/audit?stream=order:${orderId}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return JSON.stringify(res.body);
}

describe("the client secret", () => {
  it("is the owning shopper's alone: the merchant's order, list and actions never show it", async () => {
    const me = unique("own");
    const order = await awaitingShopper(me);
    const merchant = (await getOrder(order.orderId)).body;
    expect(merchant).toMatchObject({ status: "pending_payment", payment: { status: "requires_action" }, disputeStatus: null });
    expect(JSON.stringify(merchant)).not.toMatch(/_secret_/);
    const list = await call("/v1/orders?status=pending_payment&limit=100", { auth: ADMIN });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toMatch(order.orderId);
    expect(JSON.stringify(list.body)).not.toMatch(/_secret_/);
    // The owner's own list shows it: their page confirms the payment with it.
    const mine = await call("/v1/me/orders", { auth: await shopperToken(me) });
    expect(JSON.stringify(mine.body)).toMatch(/_secret_/);
  });

  it("is cleared when the payment succeeds and is in no notification, log line or audit event", async () => {
    const me = unique("sec");
    const order = await awaitingShopper(me);
    const { env: notifying, sent } = notifyingEnv();
    await new OrderFlow(notifying).paymentSucceeded(order.orderId, order.payment.intentId!, Date.now());

    const paid = (await getOrder(order.orderId, await shopperToken(me))).body;
    expect(paid.status).toBe("paid");
    expect(paid.payment.clientSecret).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent)).not.toMatch(/_secret_/);
    expect(await auditText(order.orderId)).not.toMatch(/_secret_/);

    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    await deliverNotification(sent[0] as Notification, { MERCHANT_WEBHOOK_URL: "", MERCHANT_WEBHOOK_SECRET: "", LOG_LEVEL: "info" });
    expect(lines.join("\n")).toMatch(/order.confirmed/);
    expect(lines.join("\n")).not.toMatch(/_secret_/);
  });

  it("is cleared when the payment fails, so a failed attempt cannot be confirmed from the order", async () => {
    const order = await awaitingShopper(unique("fail"));
    const { env: notifying, sent } = notifyingEnv();
    await new OrderFlow(notifying).paymentFailed(order.orderId, "Authentication failed.", order.payment.intentId!, Date.now());
    const failed = (await getOrder(order.orderId)).body;
    expect(failed.status).toBe("payment_failed");
    expect(failed.payment.clientSecret).toBeUndefined();
    expect(JSON.stringify(sent)).not.toMatch(/_secret_/);
    expect(await auditText(order.orderId)).not.toMatch(/_secret_/);
  });
});
