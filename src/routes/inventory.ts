import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, gt, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { problemOf } from "../http/outcome";
import { badCursor, decodeCursor, encodeCursor } from "../platform/cursor";
import { inventory } from "../db/schema";
import { router } from "../http/context";
import { jsonResponse, problems, queryInt, READ, SkuId, PageCursor } from "./schemas";

const StockStatus = z.enum(["in_stock", "sold_out"]).openapi({
  description: "`in_stock`: available > 0; `sold_out`: available = 0 (every unit sold or held).",
});

const InventoryItem = z
  .object({
    sku: z.string(),
    name: z.string(),
    status: StockStatus,
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    sold: z.number().int(),
    received: z.number().int(),
    returned: z.number().int(),
    lastSeq: z.number().int().openapi({ description: "Seq in the SKU's audit stream (`sku:<sku>`) these levels follow." }),
    asOf: z.string().openapi({ description: "When the SKU was last at these levels." }),
  })
  .openapi("InventoryItem");

const Query = z.object({
  status: StockStatus.optional(),
  cursor: PageCursor,
  limit: queryInt(1, 200, 50),
});

export const inventoryRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/v1/skus",
    operationId: "listInventory",
    summary: "Every SKU with its stock levels, ordered by sku",
    description:
      "Read from D1's inventory view, which the SKU objects keep from their shipped audit events: no object is " +
      "woken, and levels trail the objects by about a second. `status=in_stock` lists SKUs with available > 0, " +
      "`status=sold_out` those with available = 0. A SKU appears once its creation has been shipped.",
    security: READ,
    request: { query: Query },
    responses: {
      200: jsonResponse(z.object({ data: z.array(InventoryItem), nextCursor: z.string().nullable() }), "A page of SKUs"),
      ...problems(400, 401, 403),
    },
  }),
  async (c) => {
    const { status, cursor, limit } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && (after === null || !SkuId.safeParse(after).success)) {
      throw problemOf(badCursor());
    }
    // A sharded SKU ships one row per object (`sku`, `sku#0`, `sku#1`...): the list adds them up.
    const base = sql<string>`CASE WHEN instr(${inventory.sku}, '#') > 0 THEN substr(${inventory.sku}, 1, instr(${inventory.sku}, '#') - 1) ELSE ${inventory.sku} END`;
    const available = sql<number>`sum(${inventory.available})`;
    const having: Array<SQL | undefined> = [
      status === "in_stock" ? sql`${available} > 0` : status === "sold_out" ? sql`${available} = 0` : undefined,
    ];
    // One extra row tells whether another page exists without a COUNT.
    const rows = await drizzle(c.env.DB)
      .select({
        sku: base,
        name: sql<string>`max(${inventory.name})`,
        onHand: sql<number>`sum(${inventory.onHand})`,
        reserved: sql<number>`sum(${inventory.reserved})`,
        available,
        sold: sql<number>`sum(${inventory.sold})`,
        received: sql<number>`sum(${inventory.received})`,
        returned: sql<number>`sum(${inventory.returned})`,
        lastSeq: sql<number>`coalesce(max(CASE WHEN instr(${inventory.sku}, '#') = 0 THEN ${inventory.lastSeq} END), 0)`,
        updatedAtMs: sql<number>`max(${inventory.updatedAtMs})`,
      })
      .from(inventory)
      .where(after === null ? undefined : gt(base, after))
      .groupBy(base)
      .having(and(...having))
      .orderBy(asc(base))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        data: page.map((r) => ({
          sku: r.sku,
          name: r.name,
          status: r.available > 0 ? ("in_stock" as const) : ("sold_out" as const),
          onHand: r.onHand,
          reserved: r.reserved,
          available: r.available,
          sold: r.sold,
          received: r.received,
          returned: r.returned,
          lastSeq: r.lastSeq,
          asOf: new Date(r.updatedAtMs).toISOString(),
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(last.sku) : null,
      },
      200,
    );
  },
);
