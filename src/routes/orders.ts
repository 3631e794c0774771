import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import { LocationId } from "../domain/locations";
import { actorOf, callerOf, merchantActorOf, scopeOf, type Principal } from "../http/auth";
import { LOCATION_SCOPED, router, type AppContext } from "../http/context";
import { orderScopeRefusal } from "../orders/fulfilment";
import { badCursor, decodeCursor, encodeCursor } from "../platform/cursor";
import { idempotencyKey } from "../http/idempotency";
import { problemOf, sendOutcome } from "../http/outcome";
import { idempotentOutcome } from "../idempotency/d1-replies";
import type { Outcome } from "../domain/problems";
import type { OrderItemRow, OrderRow } from "../db/schema";
import { OrderStore } from "../orders/store";
import { OrderFlow } from "../orders/flow";
import { orderView, type OrderView, type OrderViewer } from "../orders/view";
import { FULFIL, IdempotencyHeaders, jsonBody, jsonResponse, MANAGE, ORDERS_READ, problems, queryInt, SkuId, PageCursor } from "./schemas";
import { Order, OrderId, OrderStatus } from "./order-schemas";
import { PaymentMethod } from "./checkout";

const params = z.object({ orderId: OrderId });

const FulfilBody = z
  .strictObject({
    location: LocationId.optional().openapi({ description: "Where it ships from: the location its units were allocated at." }),
  })
  .openapi("FulfilInput");

const ListQuery = z.object({
  status: OrderStatus.optional(),
  sku: SkuId.optional().openapi({ param: { name: "sku", in: "query" } }),
  cursor: PageCursor,
  limit: queryInt(1, 200, 50),
});

/** Cursor: the last row served, as "createdAtMs:orderId". Shared with GET /v1/me/orders. */
export const cursorCodec = {
  encode: (createdAtMs: number, orderId: string) => encodeCursor(`${createdAtMs}:${orderId}`),
  decode(cursor: string): { createdAtMs: number; orderId: string } {
    const m = /^(\d{1,16}):(ord_[0-9a-f]{24})$/.exec(decodeCursor(cursor) ?? "");
    if (!m) throw problemOf(badCursor());
    return { createdAtMs: Number(m[1]), orderId: m[2]! };
  },
};

/**
 * The owner (a shopper) or the merchant may see and cancel an order; anyone else gets `not_found`.
 * A key scoped to locations (spec §12) sees an order with units allocated at one of them (`need: any`),
 * and fulfils one allocated only there (`all`), else `forbidden`.
 */
async function visibleOrder(env: Env, orderId: string, principal: Principal, need: "any" | "all" = "any") {
  const caller = principal.kind === "merchant" ? "merchant" : principal;
  const stored = await new OrderStore(env.DB, null).get(orderId);
  if (!stored || (caller !== "merchant" && stored.order.customerId !== caller.customerId)) {
    throw new ProblemError("not_found", "No such order.");
  }
  const outside = principal.kind === "merchant" && orderScopeRefusal(stored.items, principal.locations, need);
  if (outside) throw problemOf(outside);
  return { stored, by: caller === "merchant" ? ("merchant" as const) : ("owner" as const) };
}

/**
 * Runs an order action once per Idempotency-Key (spec §6): a replay
 * returns the stored reply, the key with another body is 422.
 */
async function orderAction<S extends 200 | 202 = 200>(
  c: AppContext,
  operation: string,
  key: string | undefined,
  body: unknown,
  act: (now_ms: number) => Promise<Outcome<OrderView>>,
  status: S = 200 as S,
) {
  const idem = idempotencyKey(key, callerOf(c), operation, body);
  const now_ms = Date.now();
  return sendOutcome(c, await idempotentOutcome(c.env, idem, now_ms, () => act(now_ms)), status);
}

/**
 * An order as a read shows it: past its deadline an unpaid order reads as expired, as a hold
 * does. A GET never writes: the delayed payment job performs the expiry, and a read that could
 * fail or race it must not.
 */
export function readView(order: OrderRow, items: readonly OrderItemRow[], now_ms: number, viewer: OrderViewer): OrderView {
  const lapsed = (order.status === "pending_payment" || order.status === "payment_failed") && now_ms >= order.expiresAtMs;
  return orderView(lapsed ? { ...order, status: "expired" } : order, items, viewer);
}

export const orderRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/orders/{orderId}",
      operationId: "getOrder",
      summary: "An order",
      description:
        "A key scoped to locations (spec §12) reads an order with units allocated at one of its locations, else `403 forbidden`.",
      security: [{ shopper: [] }, ...ORDERS_READ],
      [LOCATION_SCOPED]: true,
      request: { params },
      responses: { 200: jsonResponse(Order, "The order"), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { stored, by } = await visibleOrder(c.env, c.req.valid("param").orderId, callerOf(c));
      return c.json(readView(stored.order, stored.items, Date.now(), by), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/orders/{orderId}/cancel",
      operationId: "cancelOrder",
      summary: "Cancel: the owner before payment, the merchant before fulfilment (refunding and restocking)",
      security: [{ shopper: [] }, ...MANAGE],
      request: { params, headers: IdempotencyHeaders },
      responses: { 200: jsonResponse(Order, "The cancelled order"), ...problems(400, 401, 404, 409, 503) },
    }),
    async (c) => {
      const { orderId } = c.req.valid("param");
      const { by } = await visibleOrder(c.env, orderId, callerOf(c));
      return orderAction(c, `cancel:${orderId}`, c.req.valid("header")["idempotency-key"], {}, (now) =>
        new OrderFlow(c.env).cancel(orderId, by, now, actorOf(callerOf(c))),
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/orders/{orderId}/pay",
      operationId: "payOrder",
      summary: "Pay a declined order again, with another payment method, while its holds live",
      description:
        "`payment_failed -> pending_payment` as the next payment attempt (`payment.attempt`), charged from the payments queue like a checkout. " +
        "Only the order's owner may pay. After the order's deadline it is `410 hold_expired`: check out again.",
      security: [{ shopper: [] }],
      request: {
        params,
        headers: IdempotencyHeaders,
        body: jsonBody(z.strictObject({ paymentMethod: PaymentMethod }).openapi("PayInput")),
      },
      responses: { 202: jsonResponse(Order, "The order, pending payment again"), ...problems(400, 401, 403, 404, 409, 410, 413, 415, 422) },
    }),
    async (c) => {
      const { orderId } = c.req.valid("param");
      await visibleOrder(c.env, orderId, callerOf(c));
      const body = c.req.valid("json");
      return orderAction(
        c,
        `pay:${orderId}`,
        c.req.valid("header")["idempotency-key"],
        body,
        (now) => new OrderFlow(c.env).retryPayment(orderId, body.paymentMethod, now),
        202 as const,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/orders/{orderId}/fulfill",
      operationId: "fulfillOrder",
      summary: "Mark a paid order fulfilled",
      description:
        "The body may name the location it ships from (spec §11): it must be where the order's units were allocated (`default` for a SKU " +
        "without locations), else `409 invalid_order_state` with `allocatedLocations`. An order allocated across " +
        "several locations is fulfilled without naming one. A key scoped to locations (spec §12) fulfils only an order whose units were all " +
        "allocated at its locations, else `403 forbidden`.",
      security: FULFIL,
      [LOCATION_SCOPED]: true,
      request: { params, headers: IdempotencyHeaders, body: { ...jsonBody(FulfilBody), required: false } },
      responses: { 200: jsonResponse(Order, "The fulfilled order"), ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
    }),
    async (c) => {
      const { orderId } = c.req.valid("param");
      const body = (c.req.valid("json") as z.infer<typeof FulfilBody> | undefined) ?? {};
      if (scopeOf(c) !== null) await visibleOrder(c.env, orderId, callerOf(c), "all");
      return orderAction(c, `fulfill:${orderId}`, c.req.valid("header")["idempotency-key"], body, (now) =>
        new OrderFlow(c.env).fulfil(orderId, now, merchantActorOf(c), body.location, scopeOf(c)),
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/orders/{orderId}/refund",
      operationId: "refundOrder",
      summary: "Refund a paid or fulfilled order, optionally putting its units back on hand",
      security: MANAGE,
      request: { params, headers: IdempotencyHeaders, body: jsonBody(z.strictObject({ restock: z.boolean() }).openapi("RefundInput")) },
      responses: { 200: jsonResponse(Order, "The refunded order"), ...problems(400, 401, 403, 404, 409, 413, 415, 422, 503) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { orderId } = c.req.valid("param");
      return orderAction(c, `refund:${orderId}`, c.req.valid("header")["idempotency-key"], body, (now) =>
        new OrderFlow(c.env).refund(orderId, body.restock, now, merchantActorOf(c)),
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/orders",
      operationId: "listOrders",
      summary: "Orders, newest first, filtered by status and SKU",
      description: "A key scoped to locations (spec §12) lists the orders with units allocated at one of its locations.",
      security: ORDERS_READ,
      [LOCATION_SCOPED]: true,
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(Order), nextCursor: z.string().nullable() }), "A page of orders"),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const cursor = q.cursor ? cursorCodec.decode(q.cursor) : null;
      const scope = scopeOf(c);
      const filter = { ...(q.status && { status: q.status }), ...(q.sku && { sku: q.sku }), ...(scope && { locations: scope }) };
      const page = await new OrderStore(c.env.DB, null).list(filter, cursor, q.limit);
      const last = page.orders.at(-1)?.order;
      return c.json(
        {
          data: page.orders.map((o) => orderView(o.order, o.items)),
          nextCursor: page.more && last ? cursorCodec.encode(last.createdAtMs, last.orderId) : null,
        },
        200,
      );
    },
  );
