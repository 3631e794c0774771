import { z } from "@hono/zod-openapi";

const LivePrice = z.object({ amount: z.number().int(), currency: z.string() });

/**
 * What `GET /v1/skus/{sku}/live` pushes (spec §10): the public levels
 * only, never a merchant field, so anyone may watch. Storefronts and the
 * console parse exactly this shape.
 */
export const LiveLevels = z
  .object({
    type: z.literal("levels"),
    sku: z.string(),
    available: z.number().int().min(0).openapi({ description: "Units a new hold may take now (the whole SKU, every shard included)." }),
    status: z.enum(["upcoming", "live", "sold_out", "ended", "off_sale"]).openapi({ description: "As `GET /v1/skus/{sku}` has it." }),
    price: LivePrice.nullable().openapi({
      description: "What a hold taken now costs per unit (`currentPrice` of `GET /v1/skus/{sku}`); null while no hold may be taken.",
    }),
    listPrice: LivePrice.openapi({ description: "The SKU's list price (`price` of `GET /v1/skus/{sku}`)." }),
    at: z.string().openapi({ description: "When the object read these levels (ISO 8601)." }),
  })
  .openapi("LiveLevels");

export type LiveLevels = z.infer<typeof LiveLevels>;

/** The part of a message that says whether anything changed (`at` always does). */
export function levelsKey(m: Pick<LiveLevels, "available" | "status" | "price" | "listPrice">): string {
  const money = (p: LiveLevels["listPrice"] | null) => (p ? `${p.amount} ${p.currency}` : "-");
  return `${m.available}|${m.status}|${money(m.price)}|${money(m.listPrice)}`;
}
