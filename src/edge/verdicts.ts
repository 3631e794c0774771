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

interface PublicSkuView {
  status: SkuStatus;
  sale: SaleSummary | null;
}

export async function edgeRefusal(sku: string): Promise<Refusal | null> {
  const verdict = await peekPublic<Refusal>("hold-verdict", sku);
  if (verdict) return verdict.body;
  const view = await peekPublic<PublicSkuView>("sku", sku);
  if (!view) return null;
  if (view.status === 404) return refuse("not_found", "No such SKU.");
  return refusalFor(view.body);
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
