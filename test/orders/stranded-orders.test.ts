import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/maintenance";
import { checkout } from "../../src/orders/checkout";
import { createSku, hold, unique } from "../support/helpers";
import { simulatedEnv } from "../support/fake-stripe";
import { fakeQueue } from "../support/outbox";

/**
 * Issue 24 finding 5: an order written before its payment job was sent (a
 * crash in between) must not stay pending_payment forever: the scheduled
 * sweep sends its job again.
 */

describe("an order whose payment job was lost", () => {
  it("gets its job again from the scheduled sweep", async () => {
    const sku = await createSku({ stock: 3 });
    const me = unique("lost");
    const h = (await hold(sku, me, 1)).body;
    // The job is captured and dropped: the crash came right after the order was written.
    const { env: dropping } = simulatedEnv();
    const out = await checkout(dropping, me, { holdIds: [h.holdId], paymentMethod: "pm_card_visa" }, null, Date.now());
    if (!out.ok) throw new Error(out.detail);

    const sent = fakeQueue();
    await runMaintenance({ ...env, PAYMENTS: sent.queue as Env["PAYMENTS"] }, Date.now() + 10 * 60_000);
    expect(sent.sent).toContainEqual({ orderId: out.value.orderId });
  });
});
