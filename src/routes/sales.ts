import { merchantActorOf } from "../http/auth";
import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/context";
import { getSale, putSale } from "../sales/store";
import { cachedPublic } from "../edge/cache";
import { purgeSale } from "../edge/purge";
import { PROBLEM_CONTENT_TYPE, problemBody } from "../http/problem";
import {
  ANYONE,
  IdempotencyHeaders,
  jsonBody,
  jsonResponse,
  MANAGE,
  Money,
  Problem,
  problems,
  queryInt,
  READ,
  SaleId,
  SkuId,
  PageCursor,
} from "./schemas";
import { badCursor } from "../platform/cursor";
import { idempotencyKey } from "../http/idempotency";
import { problemOf, sendOutcome } from "../http/outcome";
import { idempotentOutcome } from "../idempotency/d1-replies";
import { decodeSalePosition, encodeSalePosition, endSale, listSales } from "../sales/admin";
import { QueueSettings, QueueView } from "../waiting-room/config";

const Instant = z.iso.datetime({ offset: true }).openapi({ example: "2026-11-27T17:00:00Z" });

const SaleItemBody = z.strictObject({
  sku: SkuId,
  price: Money,
  perCustomerLimit: z.number().int().min(1).max(10_000),
  maxPerOrder: z.number().int().min(1).max(10_000).optional(),
  holdSeconds: z.number().int().min(1).max(86_400).optional().openapi({ description: "Hold lifetime; default 600." }),
  paymentSeconds: z.number().int().min(60).max(86_400).optional().openapi({ description: "Payment window; default 900." }),
  holdsPerMinute: z
    .number()
    .int()
    .min(1)
    .max(600)
    .optional()
    .openapi({ description: "Holds one customer may take per rolling minute: stricter than the edge's rate limits." }),
  priority: z.number().int().min(0).max(1000).optional().openapi({
    description:
      "Lets this SKU be in another sale at an overlapping time (both items need one, else `409 sale_overlap`). While both are live the higher priority prices the SKU; on a tie the later start, then the greater sale id.",
  }),
});

const SaleBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    startsAt: Instant,
    endsAt: Instant,
    items: z.array(SaleItemBody).min(1).max(100),
    queue: QueueSettings.optional().openapi({ description: "A waiting room in front of the sale (see the queue routes); absent: none." }),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), { message: "must be after startsAt", path: ["endsAt"] })
  .refine((s) => new Set(s.items.map((i) => i.sku)).size === s.items.length, {
    message: "each SKU may appear once",
    path: ["items"],
  })
  .openapi("SaleInput");

export const SaleView = z
  .object({
    saleId: z.string(),
    name: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(["upcoming", "live", "ended"]),
    revision: z.number().int(),
    items: z.array(
      z.object({
        sku: z.string(),
        price: Money,
        perCustomerLimit: z.number().int(),
        maxPerOrder: z.number().int().nullable(),
        holdSeconds: z.number().int().nullable(),
        holdsPerMinute: z.number().int().nullable(),
        paymentSeconds: z.number().int().nullable(),
        priority: z.number().int().nullable(),
        available: z.number().int().nullable(),
        status: z.enum(["upcoming", "live", "sold_out", "ended", "off_sale"]).nullable(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    queue: QueueView.nullable(),
  })
  .openapi("Sale");

const params = z.object({ saleId: SaleId });

const ListQuery = z.object({
  status: z.enum(["upcoming", "live", "ended"]).optional().openapi({ description: "Only sales in this state now." }),
  limit: queryInt(1, 100, 20),
  cursor: PageCursor,
});

export const saleRoutes = router()
  .openapi(
    createRoute({
      method: "put",
      path: "/v1/sales/{saleId}",
      operationId: "putSale",
      summary: "Create or replace a sale",
      security: MANAGE,
      request: { params, body: jsonBody(SaleBody) },
      responses: {
        200: jsonResponse(SaleView, "Replaced"),
        201: jsonResponse(SaleView, "Created"),
        409: {
          description:
            "`sale_overlap`: another sale lists one of these SKUs at an overlapping time and the items lack a `priority`; `conflicts` names them",
          content: { "application/problem+json": { schema: Problem } },
        },
        ...problems(400, 401, 403, 404, 413, 415, 503),
      },
    }),
    async (c) => {
      const { saleId } = c.req.valid("param");
      const body = c.req.valid("json");
      const input = { ...body, startsAtMs: Date.parse(body.startsAt), endsAtMs: Date.parse(body.endsAt), actor: merchantActorOf(c) };
      const written = await putSale(c.env, saleId, input, Date.now());
      if (!written.ok) throw problemOf(written);
      const { created, sale } = written.value;
      purgeSale(
        c,
        saleId,
        sale.items.map((i) => i.sku),
      );
      return c.json(sale, created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/sales/{saleId}",
      operationId: "getSale",
      summary: "A sale with live availability per item",
      security: ANYONE,
      request: { params },
      responses: {
        200: {
          ...jsonResponse(SaleView, "The sale"),
          headers: {
            ETag: { $ref: "#/components/headers/ETag" },
            "Cache-Control": { $ref: "#/components/headers/CacheControl" },
            "Holdfast-Cache": { $ref: "#/components/headers/HoldfastCache" },
          },
        },
        304: { description: "Not changed since the `If-None-Match` ETag" },
        ...problems(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const { saleId } = c.req.valid("param");
      return cachedPublic(c, "sale", saleId, async () => {
        const sale = await getSale(c.env, saleId, Date.now());
        return sale
          ? { status: 200, body: sale }
          : { status: 404, body: problemBody("not_found", `No sale "${saleId}".`), contentType: PROBLEM_CONTENT_TYPE };
      }) as never;
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/sales",
      operationId: "listSales",
      summary: "Sales, newest start first",
      description:
        "Pages of sales ordered by `startsAt` descending, then `saleId` descending. Items show live availability " +
        "for up to 200 distinct SKUs a page (`available: null` past that).",
      security: READ,
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(SaleView), nextCursor: z.string().nullable() }), "A page of sales"),
        ...problems(400, 401, 403, 503),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const after = q.cursor === undefined ? null : decodeSalePosition(q.cursor);
      if (q.cursor !== undefined && after === null) throw problemOf(badCursor());
      const page = await listSales(c.env, { status: q.status, after, limit: q.limit }, Date.now());
      c.header("cache-control", "private, no-store");
      return c.json({ data: page.sales, nextCursor: page.next ? encodeSalePosition(page.next) : null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/sales/{saleId}/end",
      operationId: "endSale",
      summary: "End a sale now",
      description:
        "Sets `endsAt` to now (and `startsAt` too if the sale had not started), so every SKU object refuses holds under it " +
        "from then on (`sale_ended`). Holds already taken keep their deadlines. Ending an ended sale returns it unchanged.",
      security: MANAGE,
      request: { params, headers: IdempotencyHeaders },
      responses: { 200: jsonResponse(SaleView, "The ended sale"), ...problems(400, 401, 403, 404, 503) },
    }),
    async (c) => {
      const { saleId } = c.req.valid("param");
      const idem = idempotencyKey(c.req.valid("header")["idempotency-key"], { kind: "merchant" }, `end-sale:${saleId}`, {});
      const now_ms = Date.now();
      const outcome = await idempotentOutcome(c.env, idem, now_ms, () => endSale(c.env, saleId, now_ms, merchantActorOf(c)));
      if (outcome.ok)
        purgeSale(
          c,
          saleId,
          outcome.value.items.map((i) => i.sku),
        );
      return sendOutcome(c, outcome, 200);
    },
  );
