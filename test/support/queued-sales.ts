import { afterAll } from "vitest";
import { ADMIN, call, sleep } from "./helpers";

/** A sale item as the waiting-room tests configure it. */
export const queuedItem = (sku: string) => ({ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 5 });

/**
 * The queued sales a test file makes, ended after the file (its afterAll is
 * registered here), so their queue objects stop ticking before the runtime
 * goes away. Push `{ saleId, skus }` for each sale made.
 */
export function endQueuedSalesAfterAll(): Array<{ saleId: string; skus: string[] }> {
  const made: Array<{ saleId: string; skus: string[] }> = [];
  afterAll(async () => {
    for (const { saleId, skus } of made) {
      await call(`/v1/sales/${saleId}`, {
        method: "PUT",
        auth: ADMIN,
        body: {
          name: "over",
          startsAt: new Date(Date.now() - 7_200_000).toISOString(),
          endsAt: new Date(Date.now() - 3_600_000).toISOString(),
          items: skus.map(queuedItem),
          queue: { mode: "fifo" },
        },
      });
    }
    // The ended sales' last ticks run out before the file's runtime stops.
    await sleep(1_500);
  });
  return made;
}
