import { z } from "@hono/zod-openapi";
import type { SkuSnapshot } from "../domain/types";
import type { ScopedSnapshot } from "../stock/location-scope";
import { MAX_SHARDS } from "../stock/addressing";
import { LocationId, LocationLevels, Routing } from "../domain/locations";
import { Levels, Money } from "./schemas";

/** The SKU routes' bodies and answers (./skus.ts), and the views that build the answers from a snapshot. */

export const SkuBody = z
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

export const AdjustmentBody = z
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
export const PublicSku = SkuBase.extend({ view: z.literal("public") }).openapi("Sku");

export const MerchantSku = SkuBase.extend({
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

export const Stats = z
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

export function publicView(s: SkuSnapshot | ScopedSnapshot): z.infer<typeof PublicSku> {
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

export function merchantView(s: ScopedSnapshot): z.infer<typeof MerchantSku> {
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
