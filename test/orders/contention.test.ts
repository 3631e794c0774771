import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, checkoutAs, createSku, expectProblem, hold, unique, waitForStatus } from "../support/helpers";
import { asRogue } from "../support/audit-tamper";

const row = (orderId: string) => env.DB.prepare("SELECT status, version FROM orders WHERE order_id = ?").bind(orderId).first();

describe("an order whose compare-and-swap keeps losing", () => {
  it("is refused as a value that is never stored: the same Idempotency-Key runs again once the race is over", async () => {
    const sku = await createSku({ stock: 1 });
    const customer = unique("cust");
    const h = await hold(sku, customer, 1);
    const placed = await checkoutAs(
      customer,
      { holdIds: [h.body.holdId], paymentMethod: "pm_card_visa" },
      { "Idempotency-Key": unique("idem") },
    );
    expect(placed.status).toBe(202);
    const orderId = placed.body.orderId as string;
    await waitForStatus(orderId, "paid");
    const stored = (await row(orderId)) as { status: string; version: number };
    // Another writer's event at the next seq: every attempt of this one conflicts.
    await env.DB.prepare(
      "INSERT INTO audit_events (stream, seq, type, at_ms, data, prev_hash, hash) VALUES (?, ?, 'test.squat', 0, '{}', 'x', 'y')",
    )
      .bind(`order:${orderId}`, stored.version + 1)
      .run();

    const key = unique("idem");
    const fulfil = () => call(`/v1/orders/${orderId}/fulfill`, { method: "POST", auth: ADMIN, headers: { "Idempotency-Key": key } });
    const contended = await fulfil();
    expectProblem(contended, 409, "invalid_order_state");
    expect(contended.body.detail).toMatch(/concurrently/);
    expect(await row(orderId)).toEqual(stored);

    await asRogue(env.DB.prepare("DELETE FROM audit_events WHERE stream = ? AND type = 'test.squat'").bind(`order:${orderId}`));
    const retry = await fulfil();
    expect(retry).toMatchObject({ status: 200, body: { status: "fulfilled" } });
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
  });
});
