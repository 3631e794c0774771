import { createRoute, z } from "@hono/zod-openapi";
import { LocationId } from "../domain/locations";
import { ProblemError } from "../domain/problems";
import { requireScope, scopeOf } from "../http/auth";
import { LOCATION_SCOPED, router } from "../http/context";
import { sendOutcome } from "../http/outcome";
import { callObject } from "../platform/object-call";
import { purgeSku } from "../edge/purge";
import { stockedAt } from "../locations/stocked";
import { IfMatchHeaders, jsonBody, jsonResponse, Levels, MANAGE, problems, SkuId, versionTag } from "./schemas";

const StockingBody = z
  .strictObject({
    safetyStock: z.number().int().min(0).max(1_000_000).optional().openapi({
      description: "Units of this location never offered to a hold. Absent: unchanged (0 for a newly stocked location).",
    }),
  })
  .openapi("SkuLocationInput");

const params = z.object({ sku: SkuId, locationId: LocationId.openapi({ param: { name: "locationId", in: "path" }, example: "wh-east" }) });

/** Spec §11: which locations a SKU stocks, and what each withholds. */
export const skuLocationRoutes = router().openapi(
  createRoute({
    method: "put",
    path: "/v1/skus/{sku}/locations/{locationId}",
    operationId: "stockSkuAtLocation",
    summary: "Stock a SKU at a location (no units) and set its safety stock",
    description:
      "The location must be registered (`PUT /v1/locations/{id}`) or be `default`. The SKU's first location makes its current stock " +
      "and holds location `default`'s. Takes `If-Match` (`412 version_conflict` with `currentVersion` when stale); " +
      "a sharded SKU stocks locations too (docs/stock-shards.md). A key scoped to locations stocks only its own (`403 forbidden`).",
    security: MANAGE,
    [LOCATION_SCOPED]: true,
    request: { params, headers: IfMatchHeaders, body: jsonBody(StockingBody) },
    responses: {
      200: jsonResponse(
        z.object({ sku: z.string(), levels: Levels, version: z.number().int() }),
        "The SKU's levels with this location's; `ETag` is the SKU's version",
      ),
      ...problems(400, 401, 403, 404, 409, 412, 413, 415, 503),
    },
  }),
  async (c) => {
    const { sku, locationId } = c.req.valid("param");
    requireScope(c, locationId);
    // Every field is optional, so an absent body would validate as {}: it is refused like on every other PUT.
    if (c.req.raw.body === null)
      throw new ProblemError("invalid_request", "Send a JSON body; `{}` will do.", {
        errors: [{ in: "json", path: "", message: "required" }],
      });
    const { safetyStock } = c.req.valid("json");
    const profile = await stockedAt(c.env.DB, sku, locationId, Date.now());
    const write = { ifMatch: c.req.valid("header")["if-match"], profile };
    const outcome = await callObject(c.env, () => c.env.SKU.getByName(sku).stockLocation(locationId, safetyStock, write, scopeOf(c)));
    if (!outcome.ok) return sendOutcome(c, outcome, 200);
    purgeSku(c, sku);
    c.header("etag", versionTag(outcome.value.version));
    return c.json({ sku, ...outcome.value }, 200);
  },
);
