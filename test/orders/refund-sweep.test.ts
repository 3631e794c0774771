import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/maintenance";
import { OrderStore } from "../../src/orders/store";
import { Refunds } from "../../src/orders/refunds";
import { createSku, getOrder, paidOrder, unique } from "../support/helpers";

/**
 * Issue 24 finding 5: the refund sweep takes pending refunds by their next
 * attempt, so refunds that always fail go to the back instead of starving the rest.
 */

const SWEPT_PER_RUN = 50;

describe("the refund sweep", () => {
  it("reaches a healthy refund behind a full run of refunds that always fail", async () => {
    const sku = await createSku({ stock: 3 });
    const { orderId } = await paidOrder(unique("swp"), sku, 1);
    await new Refunds(env, new OrderStore(env.DB, env)).record(orderId, Date.now(), {
      reason: "requested_by_merchant",
      restock: false,
      from: ["paid"],
    });
    // Fifty refunds of Stripe orders with no key configured: each attempt fails; all older than the healthy one.
    const stuck = Array.from({ length: SWEPT_PER_RUN }, (_, i) => `ord_stuck${unique("s").replace(/\W/g, "")}${i}`);
    const old_ms = Date.now() - 3_600_000;
    await env.DB.batch(
      stuck.map((id) =>
        env.DB.prepare(
          `INSERT INTO orders (order_id, customer_id, status, total_amount, currency, payment_provider, payment_method,
             payment_status, intent_id, refund_status, refund_restock, refund_reason, payment_attempt, version, expires_at_ms, created_at_ms, updated_at_ms)
           VALUES (?, 'stuck', 'paid', 100, 'usd', 'stripe', 'pm_card_visa', 'succeeded', ?, 'pending', 0, 'requested_by_merchant', 1, 1, ?, ?, ?)`,
        ).bind(id, `pi_${id}`, old_ms, old_ms, old_ms),
      ),
    );
    const later_ms = Date.now() + 120_000;
    await runMaintenance(env, later_ms);
    await runMaintenance(env, later_ms + 60_000);
    expect((await getOrder(orderId)).body).toMatchObject({ status: "refunded" });
    await env.DB.prepare(`DELETE FROM orders WHERE customer_id = 'stuck'`).run();
  });
});
