import { afterEach, describe, expect, it, vi } from "vitest";
import { checkoutAs, createSku, hold, waitForStatus } from "./helpers";

afterEach(() => vi.restoreAllMocks());

/** The Worker's queue() handler, as Miniflare drives it, end to end: payment, then the shopper's notification. */
describe("queues through the Worker", () => {
  it("pays an order from the payments queue and delivers its confirmation from the notifications queue", async () => {
    const logs = vi.spyOn(console, "log");
    const sku = await createSku({ stock: 3 });
    const h = (await hold(sku, "quinn", 1)).body;
    const placed = await checkoutAs("quinn", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" });
    expect(placed.status).toBe(202);
    await waitForStatus(placed.body.orderId, "paid");

    // With no MERCHANT_WEBHOOK_URL the consumer writes the notification to the log.
    const deadline = Date.now() + 10_000;
    const delivered = () =>
      logs.mock.calls
        .map((c) => String(c[0]))
        .filter((l) => l.includes('"event":"notification"') && l.includes(placed.body.orderId))
        .map((l) => JSON.parse(l).notification);
    while (delivered().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(delivered()).toEqual([
      expect.objectContaining({ id: `order:${placed.body.orderId}:order.confirmed`, type: "order.confirmed", audience: "shopper", customerId: "quinn" }),
    ]);
  });
});
