import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import { AdjustmentBody, MerchantSku, merchantView, PublicSku, publicView, SkuBody, Stats } from "./sku-schemas";
import { merchantActorOf, requireScope, scopeOf } from "../http/auth";
import { LOCATION_SCOPED, router } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { problemOf, sendOutcome } from "../http/outcome";
import { PROBLEM_CONTENT_TYPE, problemBody } from "../http/problem";
import { cachedPublic } from "../edge/cache";
import { callObject } from "../platform/object-call";
import { purgeSku } from "../edge/purge";
import { rememberViewVerdict } from "../edge/verdicts";
import { checkSkuCurrency } from "../sales/checks";
import { unchargeable } from "../domain/currencies";
import { stockedAt } from "../locations/stocked";
import {
  ANYONE,
  IdempotencyHeaders,
  IfMatchHeaders,
  jsonBody,
  jsonResponse,
  Levels,
  MANAGE,
  problems,
  READ,
  SkuId,
  versionTag,
} from "./schemas";

const params = z.object({ sku: SkuId });
const SHARDING_TIMEOUT_MS = 30_000;

export const skuRoutes = router()
  .openapi(
    createRoute({
      method: "put",
      path: "/v1/skus/{sku}",
      operationId: "putSku",
      summary: "Create or update a SKU",
      security: MANAGE,
      request: { params, headers: IfMatchHeaders, body: jsonBody(SkuBody) },
      responses: {
        200: jsonResponse(MerchantSku, "Updated"),
        201: jsonResponse(MerchantSku, "Created"),
        ...problems(400, 401, 403, 409, 412, 413, 415, 503),
      },
    }),
    async (c) => {
      const { sku } = c.req.valid("param");
      // A change of shards sets up (or drains) up to 64 objects: a merchant's write may take longer than a hold.
      const body = c.req.valid("json");
      const config = { ...body, alwaysOn: body.alwaysOn ?? false, actor: merchantActorOf(c) };
      const unpriced = unchargeable(config.price, "price");
      if (unpriced) throw problemOf(unpriced);
      const refused = await checkSkuCurrency(c.env, sku, config.price.currency, Date.now());
      if (refused) throw problemOf(refused);
      const ifMatch = c.req.valid("header")["if-match"];
      const outcome = await callObject(c.env, () => c.env.SKU.getByName(sku).configure(sku, config, { ifMatch }), {
        timeout_ms: SHARDING_TIMEOUT_MS,
      });
      if (!outcome.ok) throw problemOf(outcome);
      const { created, snapshot } = outcome.value;
      purgeSku(c, sku);
      c.header("etag", versionTag(snapshot.version));
      return c.json(merchantView(snapshot), created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/skus/{sku}/adjustments",
      operationId: "adjustStock",
      summary: "Adjust stock: restock (positive) or shrinkage (negative)",
      description: "A key scoped to locations (spec §12) must name one of its own in `location`, else `403 forbidden`.",
      security: MANAGE,
      [LOCATION_SCOPED]: true,
      request: { params, headers: IdempotencyHeaders.extend(IfMatchHeaders.shape), body: jsonBody(AdjustmentBody) },
      responses: {
        200: jsonResponse(
          z.object({ sku: z.string(), levels: Levels, adjustment: AdjustmentBody, version: z.number().int() }),
          "New levels; `ETag` is the SKU's version",
        ),
        ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
      },
    }),
    async (c) => {
      const { sku } = c.req.valid("param");
      const body = c.req.valid("json");
      requireScope(c, body.location);
      const headers = c.req.valid("header");
      const idem = idempotencyKey(headers["idempotency-key"], { kind: "merchant" }, `adjust:${sku}`, body);
      const profile = body.location === undefined ? null : await stockedAt(c.env.DB, sku, body.location, Date.now());
      const write = { ifMatch: headers["if-match"], profile };
      const outcome = await callObject(c.env, () =>
        c.env.SKU.getByName(sku).adjust({ ...body, actor: merchantActorOf(c) }, idem, write, scopeOf(c)),
      );
      if (outcome.ok) {
        purgeSku(c, sku);
        c.header("etag", versionTag(outcome.value.version));
      }
      return sendOutcome(c, outcome, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/skus/{sku}",
      operationId: "getSku",
      summary: "A SKU's availability; the merchant view adds every level",
      description:
        "Anyone gets the public view (`view: public`), served from the edge cache for up to `EDGE_CACHE_TTL_SECONDS`; " +
        "with the merchant token, the merchant view (`view: merchant`), never cached; a key scoped to locations sees only theirs (`scope`).",
      security: ANYONE,
      [LOCATION_SCOPED]: true,
      request: {
        params,
        headers: z.object({
          "if-none-match": z.string().max(200).optional().openapi({ description: "An `ETag` of an earlier public view." }),
        }),
      },
      responses: {
        200: {
          ...jsonResponse(z.discriminatedUnion("view", [PublicSku, MerchantSku]).openapi("SkuView"), "The SKU, public or merchant view"),
          headers: {
            ETag: { $ref: "#/components/headers/ETag" },
            "Cache-Control": { $ref: "#/components/headers/CacheControl" },
            "Holdfast-Cache": { $ref: "#/components/headers/HoldfastCache" },
          },
        },
        304: { description: "The public view has not changed since the `If-None-Match` ETag" },
        ...problems(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const { sku } = c.req.valid("param");
      const read = () => callObject(c.env, () => c.env.SKU.getByName(sku).snapshot());
      if (c.var.principal?.kind === "merchant") {
        const snapshot = await callObject(c.env, () => c.env.SKU.getByName(sku).merchantSnapshot(scopeOf(c)));
        if (!snapshot) throw new ProblemError("not_found", `No SKU "${sku}".`);
        c.header("cache-control", "private, no-store");
        c.header("etag", versionTag(snapshot.version));
        return c.json(merchantView(snapshot), 200);
      }
      // Everyone else sees the same public view, so the edge may answer for the object.
      return cachedPublic(c, "sku", sku, async () => {
        const snapshot = await read();
        rememberViewVerdict(c, sku, snapshot && publicView(snapshot));
        return snapshot
          ? { status: 200, body: publicView(snapshot) }
          : { status: 404, body: problemBody("not_found", `No SKU "${sku}".`), contentType: PROBLEM_CONTENT_TYPE };
      }) as never;
    },
  );

export const skuStatsRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/v1/skus/{sku}/stats",
    operationId: "getSkuStats",
    summary: "Counters a merchant watches during a sale",
    security: READ,
    request: { params },
    responses: { 200: jsonResponse(Stats, "The SKU's counters"), ...problems(400, 401, 403, 404, 503) },
  }),
  async (c) => {
    const { sku } = c.req.valid("param");
    const stats = await callObject(c.env, () => c.env.SKU.getByName(sku).stats());
    if (!stats) throw new ProblemError("not_found", `No SKU "${sku}".`);
    c.header("cache-control", "private, no-store");
    return c.json(stats, 200);
  },
);
