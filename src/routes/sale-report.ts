import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/context";
import { sendOutcome } from "../http/outcome";
import { saleReport } from "../sales/report";
import { CheckpointBody, CheckpointSignature } from "./audit-checkpoints";
import { jsonResponse, problems, READ, SaleId } from "./schemas";
import { SaleAction, SaleActor } from "../sales/report-actors";

const Violation = z.object({ customerId: z.string(), sku: z.string(), units: z.number().int(), limit: z.number().int() });

const Report = z
  .object({
    saleId: z.string(),
    generatedAt: z.string(),
    ok: z
      .boolean()
      .openapi({ description: "Every SKU `ok`, every customer within the limit, the audit chains intact and the replay complete." }),
    complete: z.boolean().openapi({ description: "False when the sale's SKUs have more events than one report replays (200,000)." }),
    skus: z.array(
      z.object({
        sku: z.string(),
        received: z.number().int().openapi({ description: "Σ adjustments over the SKU's whole audit stream." }),
        sold: z.number().int().openapi({ description: "Units committed minus units returned, over the SKU's whole stream." }),
        returned: z.number().int(),
        soldInSale: z.number().int().openapi({ description: "Of `sold`, the units held under this sale." }),
        ok: z.boolean().openapi({ description: "0 <= sold <= received, and every event was readable." }),
      }),
    ),
    customers: z.object({
      checked: z.number().int().openapi({ description: "Customers who held units of a SKU under this sale (counted per SKU)." }),
      withinLimit: z.boolean(),
      firstViolation: Violation.nullable().openapi({
        description: "The first time a customer's held plus bought units of a SKU went over the limit.",
      }),
    }),
    series: z.array(
      z.object({
        sku: z.string(),
        points: z.array(z.object({ at: z.string(), available: z.number().int(), holdsPerMinute: z.number() })).openapi({
          description:
            "One point a minute over the sale's window (up to now while it is live); wider buckets past 1,440 points. `available` as of the bucket's end.",
        }),
      }),
    ),
    audit: z
      .object({
        ok: z.boolean(),
        streams: z.number().int(),
        events: z.number().int(),
        firstBadEvent: z.object({ stream: z.string(), seq: z.number().int(), reason: z.string() }).optional(),
        checkpoint: z
          .object({
            body: CheckpointBody,
            signature: CheckpointSignature,
            covers: z.boolean().openapi({ description: "Every event this report replayed is under the heads below." }),
            heads: z.array(z.object({ stream: z.string(), seq: z.number().int(), hash: z.string() })).openapi({
              description: "The heads of the report's streams in this checkpoint.",
            }),
          })
          .nullable()
          .openapi({
            description:
              "The latest signed checkpoint (null before the first): check the report against it later with its streams' " +
              "exports or the write-once archive and the public key alone (`npm run audit:verify`).",
          }),
      })
      .openapi({ description: "The hash chains of the SKUs' streams, verified as `GET /v1/audit/verify?stream=` does." }),
    actions: z.array(SaleAction).openapi({
      description:
        "Each merchant action on the sale, in time order, with the key that did it (spec §12): `sale.created`, `sale.changed`, " +
        "`sale.ended`; `stock.adjusted` of its SKUs between its creation and its end (`units`, `reason`); and " +
        "`order.refund_requested`, `order.cancelled`, `order.fulfilled` of the orders its holds went into (`orderId`). " +
        "Shoppers' and the system's events name no key and are left out. At most 1,000.",
    }),
    actors: z.array(SaleActor).openapi({ description: "Each key in `actions`, in the order it first acted, with its count." }),
    actionsComplete: z.boolean().openapi({ description: "False when the sale had more actions (or orders) than one report lists." }),
  })
  .openapi("SaleReport");

export const saleReportRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/v1/sales/{saleId}/report",
    operationId: "saleReport",
    summary: "Post-sale report, replayed from the audit log",
    description:
      "Recomputes from the audit events (not the counters) that Σ sold <= received per SKU and that every customer stayed " +
      "within the sale's per-customer limit, with the first counterexample, plus availability and holds per minute over the " +
      "window. Covers events shipped from the SKU objects, seconds behind at most.",
    security: READ,
    request: { params: z.object({ saleId: SaleId }) },
    responses: { 200: jsonResponse(Report, "The report"), ...problems(400, 401, 403, 404) },
  }),
  async (c) => {
    const { saleId } = c.req.valid("param");
    c.header("cache-control", "private, no-store");
    return sendOutcome(c, await saleReport(c.env, saleId, Date.now()), 200);
  },
);
