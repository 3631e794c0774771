import { createRoute, z } from "@hono/zod-openapi";
import { requireMerchant } from "../http/auth";
import { router } from "../http/context";
import { getSale, putSale } from "../services/sales";
import { cachedPublic } from "../edge/cache";
import { purgeSale } from "../edge/purge";
import { purgeQueue } from "../edge/queue";
import { PROBLEM_CONTENT_TYPE, problemBody } from "../http/problem";
import { QueueSettings, QueueView } from "../queue/config";
import { ANYONE, jsonBody, jsonResponse, Money, problems, SaleId, SkuId } from "./schemas";

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

const SaleView = z
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

export const saleRoutes = router()
  .openapi(
    createRoute({
      method: "put",
      path: "/v1/sales/{saleId}",
      operationId: "putSale",
      summary: "Create or replace a sale",
      security: [{ merchant: [] }],
      request: { params, body: jsonBody(SaleBody) },
      responses: {
        200: jsonResponse(SaleView, "Replaced"),
        201: jsonResponse(SaleView, "Created"),
        ...problems(400, 401, 403, 404, 413, 415, 503),
      },
    }),
    async (c) => {
      requireMerchant(c.var.principal);
      const { saleId } = c.req.valid("param");
      const body = c.req.valid("json");
      const input = { ...body, startsAtMs: Date.parse(body.startsAt), endsAtMs: Date.parse(body.endsAt) };
      const { created, sale } = await putSale(c.env, saleId, input, Date.now());
      purgeSale(c, saleId, sale.items.map((i) => i.sku));
      purgeQueue(c, saleId, sale.items.map((i) => i.sku));
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
  );
