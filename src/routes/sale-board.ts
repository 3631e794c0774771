import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/context";
import { sendOutcome } from "../http/outcome";
import { saleBoard } from "../sales/board";
import { SaleView } from "./sales";
import { jsonResponse, problems, READ, SaleId } from "./schemas";

const Board = z
  .object({
    sale: SaleView,
    at: z.string().openapi({ description: "When the figures were read, by the server's clock." }),
    recentSeconds: z.number().int().openapi({ description: "The window of `holdsRecent`: 60." }),
    items: z.array(
      z.object({
        sku: z.string(),
        available: z.number().int().nullable(),
        status: z.string().nullable(),
        holdsRecent: z.number().int().openapi({ description: "Holds of this sale created in the last `recentSeconds`." }),
        holdsCreated: z.number().int().openapi({ description: "Holds of this sale created since it started." }),
        holdsExpired: z.number().int().openapi({ description: "Of `holdsCreated`, those that expired." }),
        refusals: z.record(z.string(), z.number().int()).openapi({
          description:
            "Hold requests the SKU refused while this sale was its live (or last ended) sale, by problem code. Refusals the " +
            "edge answered from its cache (sold out, not on sale) and the merchant's own refused changes are not counted.",
        }),
      }),
    ),
    queue: z
      .object({ mode: z.string(), waiting: z.number().int(), admitted: z.number().int(), closed: z.string().nullable() })
      .nullable()
      .openapi({ description: "The waiting room's line; null for a sale without one." }),
  })
  .openapi("SaleBoard");

export const saleBoardRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/v1/sales/{saleId}/board",
    operationId: "saleBoard",
    summary: "The live sale board: this sale's holds, refusals and line",
    description:
      "What the console's sale board shows, about this sale only: per item its availability, the sale's holds created in " +
      "the last minute and since it started (and how many expired), its shoppers' refusals by code since it started, " +
      "and the waiting room's line. Read from the SKU objects and the waiting room, never cached.",
    security: READ,
    request: { params: z.object({ saleId: SaleId }) },
    responses: { 200: jsonResponse(Board, "The board"), ...problems(400, 401, 403, 404, 503) },
  }),
  async (c) => {
    const { saleId } = c.req.valid("param");
    c.header("cache-control", "private, no-store");
    return sendOutcome(c, await saleBoard(c.env, saleId, Date.now()), 200);
  },
);
