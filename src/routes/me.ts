import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { customerHolds, type CustomerHoldRow } from "../db/schema";
import type { Hold as HoldView } from "../domain/types";
import { shopperOf } from "../http/auth";
import { router } from "../http/context";
import { iso } from "../stock/offer";
import { OrderStore } from "../orders/store";
import { Order, OrderStatus } from "./order-schemas";
import { cursorCodec, readView } from "./orders";
import { Hold, jsonResponse, problems, queryInt, PageCursor } from "./schemas";

/** Live holds one customer can have at once are few (limits, rate limits); a page bounds the reply anyway. */
const MAX_LIVE_HOLDS = 200;

const MyOrdersQuery = z.object({
  status: OrderStatus.optional(),
  cursor: PageCursor,
  limit: queryInt(1, 200, 50),
});

function holdOf(row: CustomerHoldRow): HoldView {
  const hold: HoldView = {
    holdId: row.holdId,
    sku: row.sku,
    customerId: row.customerId,
    quantity: row.quantity,
    status: row.status,
    unitPrice: { amount: row.unitAmount, currency: row.currency },
    saleId: row.saleId,
    createdAt: iso(row.createdAtMs),
    expiresAt: iso(row.expiresAtMs),
  };
  if (row.orderId !== null) hold.orderId = row.orderId;
  return hold;
}

/** Shopper self-service (spec §10): the caller's own holds and orders, from D1 only. */
export const meRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/me/holds",
      operationId: "listMyHolds",
      summary: "The caller's live holds across SKUs",
      description:
        "Holds in `held` or `checkout` whose `expiresAt` is still ahead, soonest to expire first, so a cart survives a page reload. " +
        "Built from the events the SKU objects ship to D1: it trails the objects by about a second (a hold just taken may be missing, " +
        "a hold just released may still show). `GET /v1/skus/{sku}/holds/{holdId}` is exact.",
      security: [{ shopper: [] }],
      responses: {
        200: jsonResponse(z.object({ data: z.array(Hold) }).openapi("MyHolds"), "The caller's live holds"),
        ...problems(401, 403),
      },
    }),
    async (c) => {
      const { customerId } = shopperOf(c);
      const rows = await drizzle(c.env.DB)
        .select()
        .from(customerHolds)
        .where(
          and(
            eq(customerHolds.customerId, customerId),
            gt(customerHolds.expiresAtMs, Date.now()),
            inArray(customerHolds.status, ["held", "checkout"]),
          ),
        )
        .orderBy(asc(customerHolds.expiresAtMs), asc(customerHolds.holdId))
        .limit(MAX_LIVE_HOLDS);
      return c.json({ data: rows.map(holdOf) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/me/orders",
      operationId: "listMyOrders",
      summary: "The caller's orders, newest first",
      security: [{ shopper: [] }],
      request: { query: MyOrdersQuery },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(Order), nextCursor: z.string().nullable() }).openapi("MyOrdersPage"),
          "A page of the caller's orders",
        ),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const { customerId } = shopperOf(c);
      const q = c.req.valid("query");
      const cursor = q.cursor ? cursorCodec.decode(q.cursor) : null;
      const page = await new OrderStore(c.env.DB, null).list({ customerId, ...(q.status && { status: q.status }) }, cursor, q.limit);
      const last = page.orders.at(-1)?.order;
      const now_ms = Date.now();
      return c.json(
        {
          data: page.orders.map((o) => readView(o.order, o.items, now_ms, "owner")),
          nextCursor: page.more && last ? cursorCodec.encode(last.createdAtMs, last.orderId) : null,
        },
        200,
      );
    },
  );
