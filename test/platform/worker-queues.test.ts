import { describe, expect, it } from "vitest";
import type { ReceivedWebhook } from "../support/fake-merchant";
import { SUITE_WEBHOOK_PATH } from "../support/secrets";
import { checkoutAs, createSku, hold, waitForStatus } from "../support/helpers";

/** The Worker's queue() handler, as Miniflare drives it, end to end: payment, then the shopper's notification. */
describe("queues through the Worker", () => {
  it("pays an order from the payments queue and delivers its confirmation, signed, from the notifications queue", async () => {
    const sku = await createSku({ stock: 3 });
    const h = (await hold(sku, "quinn", 1)).body;
    const placed = await checkoutAs("quinn", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" });
    expect(placed.status).toBe(202);
    await waitForStatus(placed.body.orderId, "paid");

    // The test bindings point MERCHANT_WEBHOOK_URL at the fake merchant, which verifies each delivery.
    const deadline = Date.now() + 10_000;
    const delivered = async () => {
      const res = await fetch(`https://merchant.test/__received?path=${encodeURIComponent(SUITE_WEBHOOK_PATH)}`);
      const all = (await res.json()) as ReceivedWebhook[];
      return all.filter((r) => r.body.includes(placed.body.orderId)).map((r) => ({ verified: r.verified, ...JSON.parse(r.body) }));
    };
    while ((await delivered()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await delivered()).toEqual([
      expect.objectContaining({
        verified: true,
        id: `order:${placed.body.orderId}:order.confirmed`,
        type: "order.confirmed",
        audience: "shopper",
        customerId: "quinn",
      }),
    ]);
  });
});
