import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import type { SkuSnapshot } from "../domain/types";
import { merchantActorOf, requireScope, scopeOf } from "../http/auth";
import { LOCATION_SCOPED, router } from "../http/context";
import type { ScopedSnapshot } from "../stock/location-scope";
import { idempotencyKey } from "../http/idempotency";
import { problemOf, sendOutcome } from "../http/outcome";
import { PROBLEM_CONTENT_TYPE, problemBody } from "../http/problem";
import { cachedPublic } from "../edge/cache";
import { callObject } from "../platform/object-call";
import { purgeSku } from "../edge/purge";
import { rememberViewVerdict } from "../edge/verdicts";
import { MAX_SHARDS } from "../stock/addressing";
import { checkSkuCurrency } from "../sales/checks";
import { unchargeable } from "../domain/currencies";
import { LocationId, LocationLevels, Routing } from "../domain/locations";
import { stockedAt } from "../locations/stocked";
import {
  ANYONE,
  IdempotencyHeaders,
  IfMatchHeaders,
  jsonBody,
  jsonResponse,
  Levels,
  MANAGE,
  Money,
  problems,
  READ,
  SkuId,
  versionTag,
} from "./schemas";

const SkuBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    price: Money,
    // Optional without a schema default, so generated clients do not make it required; absent means false.
    alwaysOn: z.boolean().optional().openapi({ description: "Sell at list price when no sale is live. Absent: `false`." }),
    shards: z.number().int().min(1).max(MAX_SHARDS).optional().openapi({
      description:
        "Stock shards (spec §8): split a hot SKU's stock across this many objects, each granting holds from its own allotment. 1 (the default for a new SKU) is an unsharded SKU; omitted on an update, the count stays. May change during a live sale.",
    }),
    routing: Routing.optional().openapi({
      description: "Spec §11: how a hold on a SKU with locations picks one. Absent: unchanged (`nearest` for a new SKU).",
    }),
    split: z.boolean().optional().openapi({
      description: "Spec §11: may one hold take units from several locations. Absent: unchanged (`false` for a new SKU).",
    }),
  })
  .openapi("SkuInput");

const AdjustmentBody = z
  .strictObject({
    delta: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((d) => d !== 0, "must not be 0")
      .openapi({ description: "Units added (positive) or removed (negative)." }),
    reason: z.enum(["received", "restock", "correction", "shrinkage", "damaged", "other"]),
    reference: z.string().trim().min(1).max(200).optional(),
    location: LocationId.optional().openapi({
      description:
        "Spec §11: the location the units arrive at or leave (registered with PUT /v1/locations/{id}, or `default`). May be omitted while the SKU has at most one; naming a first location makes the SKU's stock location `default`'s.",
    }),
  })
  .openapi("AdjustmentInput");

const SaleSummary = z.object({
  saleId: z.string(),
  state: z.enum(["upcoming", "live", "ended"]).openapi({
    description:
      "Where the sale's window stands now: only a `live` sale prices a hold; an upcoming or ended one's `price` is not what a hold costs.",
  }),
  name: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  price: Money,
  perCustomerLimit: z.number().int(),
  maxPerOrder: z.number().int().nullable(),
});

const SkuBase = z.object({
  sku: z.string(),
  name: z.string(),
  price: Money,
  available: z.number().int(),
  status: z.enum(["upcoming", "live", "sold_out", "ended", "off_sale"]),
  // A union rather than .nullable(): the generator would put null beside Money in an allOf, which no null matches.
  currentPrice: z.union([Money, z.null()]).openapi({
    description:
      "What a hold taken now costs per unit: the live sale's price, else the list price when the SKU is `alwaysOn`; null while no hold may be taken. `price` stays the list price.",
  }),
  sale: SaleSummary.nullable().openapi({
    description: "The live sale, else the next to start, else the last that ended (`state` says which).",
  }),
});

/** What anyone sees; `view` tells it apart from the merchant's. */
const PublicSku = SkuBase.extend({ view: z.literal("public") }).openapi("Sku");

const MerchantSku = SkuBase.extend({
  view: z.literal("merchant"),
  alwaysOn: z.boolean(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  sold: z.number().int(),
  // Omitted for a key scoped to locations: SKU-wide counters, not kept per location (spec §12).
  received: z.number().int().optional(),
  returned: z.number().int().optional(),
  shards: z.number().int(),
  liveHolds: z.number().int().optional(),
  scope: z.array(LocationId).optional().openapi({
    description:
      "Spec §12: the calling key's locations. Present only for a scoped key, whose view has only these `locations` and levels summed over them (`received`, `returned` and `liveHolds` omitted).",
  }),
  updatedAt: z.string(),
  version: z.number().int().openapi({ description: "+1 per merchant write that changes the SKU (spec §11); also the `ETag`." }),
  routing: Routing,
  split: z.boolean(),
  locations: z.array(LocationLevels).optional().openapi({ description: "Each location's levels, on a SKU that stocks locations." }),
}).openapi("MerchantSku");

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
      const idem = await idempotencyKey(headers["idempotency-key"], { kind: "merchant" }, `adjust:${sku}`, body);
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

const Stats = z
  .object({
    sku: z.string(),
    levels: Levels,
    holds: z.object({ created: z.number(), released: z.number(), expired: z.number(), committed: z.number(), live: z.number() }),
    refusals: z.record(z.string(), z.number()),
    invariantViolations: z.number().openapi({ description: "Must be 0." }),
    ratios: z.object({
      reservedOfOnHand: z.number().nullable().openapi({ description: "Stock locked by live holds." }),
      expiredOfCreated: z.number().nullable().openapi({ description: "Abandonment: holds that lapsed." }),
    }),
    instance: z.object({ startedAt: z.string(), calls: z.number() }),
    escrow: z
      .object({
        shards: z.number().int(),
        inFlight: z.number().int().openapi({ description: "Units in a transfer between the pool and a shard, not yet credited." }),
        poolCalls: z.number().int().openapi({ description: "Refills the shards asked of the pool since their instances started." }),
        audit: z.object({ ok: z.boolean(), problems: z.array(z.string()) }).openapi({
          description: "The invariants of spec §2 and 8 recomputed across the pool and every shard; `ok` must be true.",
        }),
      })
      .openapi({ description: "Stock shards (spec §8) and the audit of the whole SKU." }),
  })
  .openapi("SkuStats");

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

function publicView(s: SkuSnapshot | ScopedSnapshot): z.infer<typeof PublicSku> {
  return {
    view: "public",
    sku: s.sku,
    name: s.name,
    price: s.price,
    available: s.levels.available,
    status: s.status,
    currentPrice: s.currentPrice,
    sale: s.sale,
  };
}

function merchantView(s: ScopedSnapshot): z.infer<typeof MerchantSku> {
  return {
    ...publicView(s),
    view: "merchant",
    alwaysOn: s.alwaysOn,
    onHand: s.levels.onHand,
    reserved: s.levels.reserved,
    sold: s.levels.sold,
    received: s.levels.received,
    returned: s.levels.returned,
    shards: s.shards,
    liveHolds: s.liveHolds,
    ...(s.scope && { scope: s.scope }),
    updatedAt: s.updatedAt,
    version: s.version,
    routing: s.routing,
    split: s.split,
    ...(s.locations && { locations: s.locations }),
  };
}
