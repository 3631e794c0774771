import { afterAll, expect } from "vitest";
import { ADMIN, call, sleep, unique } from "./helpers";

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

/**
 * A sale of one SKU behind a waiting room, live since a minute ago for an
 * hour, pushed to `made` so the file ends it; its id.
 */
export async function liveQueuedSale(
  made: Array<{ saleId: string; skus: string[] }>,
  sku: string,
  prefix: string,
  queue: Record<string, unknown> = { mode: "fifo", admitSeconds: 60 },
): Promise<string> {
  const saleId = unique(prefix);
  made.push({ saleId, skus: [sku] });
  const now = Date.now();
  const put = await call(`/v1/sales/${saleId}`, {
    method: "PUT",
    auth: ADMIN,
    body: {
      name: "Queued",
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      items: [queuedItem(sku)],
      queue,
    },
  });
  expect(put.status).toBe(201);
  return saleId;
}
