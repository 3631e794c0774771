/**
 * The project's own end-to-end flow through @holdfast/client (the typed
 * client integrators use), with the Worker's fetch handler as its transport:
 * merchant setup, hold, a change of its quantity, checkout, paid order, the shopper's lists, and a
 * typed refusal.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createHoldfastClient, isProblem, unwrap, type HoldfastClient } from "@holdfast/client";
import { shopperToken, unique } from "../support/helpers";
import { TEST_SECRETS } from "../support/secrets";

const transport = (request: Request) => exports.default.fetch(request);
const clientFor = (token: string): HoldfastClient => createHoldfastClient({ baseUrl: "https://holdfast.test", token, fetch: transport });
const merchant = clientFor(TEST_SECRETS.ADMIN_TOKEN);
const shopper = async (customerId: string) => clientFor((await shopperToken(customerId)).slice("Bearer ".length));

async function paidWithin(client: HoldfastClient, orderId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = await unwrap(client.GET("/v1/orders/{orderId}", { params: { path: { orderId } } }));
    if (order.status !== "pending_payment" || Date.now() > deadline) return order;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("@holdfast/client against the Worker", () => {
  it("runs a purchase end to end: SKU, stock, hold, checkout, paid, and the shopper's own lists", async () => {
    const sku = unique("client-tee");
    const put = await merchant.PUT("/v1/skus/{sku}", {
      params: { path: { sku } },
      body: { name: "Client tee", price: { amount: 2_500, currency: "usd" }, alwaysOn: true },
    });
    expect(put.response.status).toBe(201);
    await unwrap(merchant.POST("/v1/skus/{sku}/adjustments", { params: { path: { sku } }, body: { delta: 5, reason: "received" } }));

    const alice = await shopper(unique("client-alice"));
    const first3 = await unwrap(alice.POST("/v1/skus/{sku}/holds", { params: { path: { sku } }, body: { quantity: 3 } }));
    // The cart changes its mind in place (spec §3): the same hold, one unit fewer.
    const hold = await unwrap(
      alice.PATCH("/v1/skus/{sku}/holds/{holdId}", {
        params: { path: { sku, holdId: first3.holdId }, header: { "idempotency-key": unique("change") } },
        body: { quantity: 2 },
      }),
    );
    expect(hold).toMatchObject({ sku, holdId: first3.holdId, quantity: 2, status: "held", expiresAt: first3.expiresAt });

    const key = unique("checkout");
    const checkout = () =>
      alice.POST("/v1/checkout", {
        params: { header: { "idempotency-key": key } },
        body: { holdIds: [hold.holdId], paymentMethod: "pm_card_visa" },
      });
    const first = await checkout();
    expect(first.response.status).toBe(202);
    // The same logical operation, retried with its key, is the same order.
    const again = await checkout();
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    expect(again.data?.orderId).toBe(first.data?.orderId);

    const order = await paidWithin(alice, first.data!.orderId);
    expect(order).toMatchObject({ status: "paid", total: 5_000, currency: "usd", holdIds: [hold.holdId] });
    const mine = await unwrap(alice.GET("/v1/me/orders", {}));
    expect(mine.data.map((o) => o.orderId)).toEqual([order.orderId]);

    const view = await unwrap(merchant.GET("/v1/skus/{sku}", { params: { path: { sku } } }));
    if (view.view !== "merchant") throw new Error("expected the merchant view");
    expect({ onHand: view.onHand, sold: view.sold, reserved: view.reserved, received: view.received }).toEqual({
      onHand: 3,
      sold: 2,
      reserved: 0,
      received: 5,
    });
  });

  it("hands refusals back as typed problems", async () => {
    const sku = unique("client-mug");
    await unwrap(
      merchant.PUT("/v1/skus/{sku}", {
        params: { path: { sku } },
        body: { name: "Mug", price: { amount: 900, currency: "usd" }, alwaysOn: true },
      }),
    );
    await unwrap(merchant.POST("/v1/skus/{sku}/adjustments", { params: { path: { sku } }, body: { delta: 1, reason: "received" } }));
    const bob = await shopper(unique("client-bob"));
    const { error, response } = await bob.POST("/v1/skus/{sku}/holds", { params: { path: { sku } }, body: { quantity: 3 } });
    expect(response.status).toBe(409);
    if (!isProblem(error, "insufficient_stock")) throw new Error(`expected insufficient_stock, got ${JSON.stringify(error)}`);
    expect(error.available).toBe(1);
    await expect(unwrap(bob.GET("/v1/skus/{sku}/stats", { params: { path: { sku } } }))).rejects.toMatchObject({ code: "forbidden" });
  });
});
