import { createRoute, z } from "@hono/zod-openapi";
import { LocationId } from "../domain/locations";
import { ProblemError } from "../domain/problems";
import { merchantActorOf, requireScope, scopeOf } from "../http/auth";
import { LOCATION_SCOPED, router } from "../http/context";
import { inScope, type LocationScope } from "../stock/location-scope";
import { problemOf } from "../http/outcome";
import { InventoryReconciliation, reconcileInventory } from "../inventory/reconcile";
import { lagsOf, locationItems, summaries } from "../inventory/view";
import { envNumber } from "../platform/env-number";
import { badCursor, decodeCursor, encodeCursor } from "../platform/cursor";
import { jsonBody, jsonResponse, OWNER, problems, queryInt, READ, SkuId, PageCursor } from "./schemas";

/** The global view (spec §11): D1's view of stock per location, its lag, and its reconciliation with the objects. */

const SkuText = SkuId.openapi({ param: { name: "sku", in: "query" } });

const View = {
  version: z.number().int().nullable().openapi({
    description:
      "The SKU's version as of the newest change folded that touched a location; null on an unlocated SKU, whose events carry none.",
  }),
  asOf: z
    .string()
    .openapi({ description: "When the SKU's object was at these levels: the time of the newest event folded in, or of a repair." }),
  lagMs: z
    .number()
    .int()
    .nullable()
    .openapi({
      description:
        "How long D1 has been missing a change the SKU's object made: now minus the time of the object's oldest event not yet " +
        "shipped, 0 when every event is in D1. Asked of the object; null when it did not answer in time.",
    }),
};

const Summary = z
  .object({
    sku: z.string(),
    byLocation: z.record(z.string(), z.number().int()).openapi({
      description: "Available units per location (net of reserved and safety stock); an unlocated SKU shows one location, `default`.",
    }),
    total: z.number().int().openapi({ description: "The sum of `byLocation`." }),
    ...View,
  })
  .openapi("InventorySummary");

const LocationItem = z
  .object({
    sku: z.string(),
    location: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    sold: z.number().int(),
    inTransit: z.number().int(),
    safetyStock: z.number().int(),
    ...View,
  })
  .openapi("InventoryLocationItem");

const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** The cursor's SKU, or a 400 for one this listing did not hand out. */
function after(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const sku = decodeCursor(cursor);
  if (sku === null || !SkuText.safeParse(sku).success) throw problemOf(badCursor());
  return sku;
}

function lagTimeoutMs(env: Env): number {
  return envNumber(env.OBJECT_TIMEOUT_MS, 5_000, { min: 1 });
}

/** Each row with `asOf` as a date and its SKU's `lagMs`, asked of the objects (null: no answer in time). */
async function withLags<R extends { sku: string; asOfMs: number }>(env: Env, rows: R[]) {
  const lags = await lagsOf(
    env,
    rows.map((r) => r.sku),
    Date.now(),
    lagTimeoutMs(env),
  );
  return rows.map(({ asOfMs, ...r }) => ({ ...r, asOf: new Date(asOfMs).toISOString(), lagMs: lags.get(r.sku) ?? null }));
}

/** A scoped key's summary (spec §12): its locations' availability, and the total over them. */
function scopedSummary<R extends { byLocation: Record<string, number>; total: number }>(row: R, scope: LocationScope): R {
  if (scope === null) return row;
  const byLocation = Object.fromEntries(Object.entries(row.byLocation).filter(([l]) => inScope(scope, l)));
  return { ...row, byLocation, total: Object.values(byLocation).reduce((n, a) => n + a, 0) };
}

export const inventoryViewRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/inventory/summary",
      operationId: "getInventorySummary",
      summary: "Available units per location and in total, per SKU, from the global view",
      description:
        "Read from D1, folded from the SKU objects' shipped events idempotently by event sequence. Each SKU's own object " +
        "is asked only for its lag. With `sku`, that SKU alone (404 if the view has never heard of it); without, every SKU, paged by sku. " +
        "A key scoped to locations (spec §12) sees only its locations in `byLocation`, and `total` over them.",
      security: READ,
      [LOCATION_SCOPED]: true,
      request: { query: z.object({ sku: SkuText.optional(), cursor: PageCursor, limit: queryInt(1, 100, 50) }) },
      responses: {
        200: jsonResponse(page(Summary), "A page of SKUs"),
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { sku, cursor, limit } = c.req.valid("query");
      const { page: rows, more } = await summaries(c.env.DB, { sku, after: after(cursor), limit });
      if (sku !== undefined && rows.length === 0) throw new ProblemError("not_found", `No SKU ${sku} in the view.`);
      return c.json(
        {
          data: await withLags(
            c.env,
            rows.map((r) => scopedSummary(r, scopeOf(c))),
          ),
          nextCursor: more && sku === undefined ? encodeCursor(rows.at(-1)!.sku) : null,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/inventory",
      operationId: "listLocationInventory",
      summary: "One location's levels per SKU, from the global view",
      description:
        "Read from D1 like the summary. `location=default` also lists the SKUs that stock no location (their one implicit location). " +
        "A key scoped to locations (spec §12) names one of its own, else `403 forbidden`.",
      security: READ,
      [LOCATION_SCOPED]: true,
      request: { query: z.object({ location: LocationId, cursor: PageCursor, limit: queryInt(1, 100, 50) }) },
      responses: { 200: jsonResponse(page(LocationItem), "A page of SKUs"), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const { location, cursor, limit } = c.req.valid("query");
      requireScope(c, location);
      const { page: rows, more } = await locationItems(c.env.DB, { location, after: after(cursor), limit });
      return c.json(
        {
          data: await withLags(c.env, rows),
          nextCursor: more ? encodeCursor(rows.at(-1)!.sku) : null,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/inventory/reconcile",
      operationId: "reconcileInventory",
      summary: "Reconcile the global view with the SKU objects now; repairs drift from the objects",
      description:
        "Runs what the hourly cron runs: compares D1's view with each object's own levels, repairs every drifted row from " +
        "the object, records each drift in the audit log (stream `inventory:reconciliation`) and notifies `inventory.drift`. " +
        "With `sku`, that SKU's objects; without, the next objects after where the last run stopped (`next`), bounded per run. " +
        "Safe to repeat: a repaired view has no drift left.",
      security: OWNER,
      request: { body: { ...jsonBody(z.object({ sku: SkuId.optional() }).strict()), required: false } },
      responses: {
        200: jsonResponse(InventoryReconciliation.openapi("InventoryReconciliation"), "The run's report"),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const body = c.req.valid("json") ?? {};
      const report = await reconcileInventory(c.env, Date.now(), { trigger: "owner", sku: body.sku, actor: merchantActorOf(c) });
      return c.json(report, 200);
    },
  );
