import { refuse, type Refusal } from "../domain/problems";
import type { SaleSummary, SkuStatus } from "../domain/types";
import type { AppContext } from "../http/context";
import { notOnSale, saleEnded, saleNotStarted, soldOut } from "../objects/offer";
import { cacheKey, peekPublic, ttlSeconds } from "./cache";

/**
 * The sold-out cut (SPEC section 8): while the edge's cached state of a SKU
 * says no shopper can hold it (sold out, sale not started or ended, not on
 * sale, no such SKU), holds are refused here with the problem the object
 * would give. Only refusals that do not depend on the shopper qualify, and a
 * cached verdict lives no longer than the cache TTL, so stock that comes back
 * is offered again within it; the edge never grants anything.
 */
const SHOPPER_INDEPENDENT = new Set(["sold_out", "sale_not_started", "sale_ended", "not_on_sale", "not_found"]);

export interface PublicSkuView {
  status: SkuStatus;
  sale: SaleSummary | null;
}

/** One cache lookup on the hold path: the verdict the object or a public read left here. */
export async function edgeRefusal(sku: string): Promise<Refusal | null> {
  return (await peekPublic<Refusal>("hold-verdict", sku))?.body ?? null;
}

/** A public read that shows no shopper can hold the SKU leaves the same verdict the object would give. */
export function rememberViewVerdict(c: AppContext, sku: string, view: PublicSkuView | null): void {
  const refusal = view === null ? refuse("not_found", "No such SKU.") : refusalFor(view);
  if (refusal) rememberVerdict(c, sku, refusal);
}

/** Remembers a shopper-independent refusal from the object for the cache TTL. */
export function rememberVerdict(c: AppContext, sku: string, refusal: Refusal): void {
  const ttl = ttlSeconds(c.env);
  if (ttl <= 0 || !SHOPPER_INDEPENDENT.has(refusal.code)) return;
  const stored = new Response(JSON.stringify(refusal), {
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${ttl}` },
  });
  c.executionCtx.waitUntil(caches.default.put(cacheKey("hold-verdict", sku), stored));
}

function refusalFor(view: PublicSkuView): Refusal | null {
  switch (view.status) {
    case "sold_out":
      return soldOut();
    case "upcoming":
      return view.sale ? saleNotStarted(view.sale) : null;
    case "ended":
      return view.sale ? saleEnded(view.sale) : null;
    case "off_sale":
      return notOnSale();
    default:
      return null;
  }
}
