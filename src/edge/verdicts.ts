import { refuse, type Refusal } from "../domain/problems";
import type { SaleSummary, SkuStatus } from "../domain/types";
import type { AppContext } from "../http/context";
import { notOnSale, saleEnded, saleNotStarted, soldOut } from "../objects/offer";
import { peekPublic, store, ttlSeconds } from "./cache";
import { Memo } from "./memo";

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

/**
 * "No verdict here" is remembered briefly too, so a live sale's holds skip the
 * cache lookup; a verdict another isolate learns reaches this one within that
 * window (the object still refuses correctly meanwhile).
 */
const NO_VERDICT_MS = 250;
const noVerdict = new Memo<true>(2_000);

/** The verdict the object or a public read left at this location, from memory when it can. */
export async function edgeRefusal(sku: string, now_ms = Date.now()): Promise<Refusal | null> {
  if (noVerdict.get(sku, now_ms)) return null;
  const verdict = await peekPublic<Refusal>("hold-verdict", sku);
  if (!verdict) noVerdict.set(sku, true, now_ms + NO_VERDICT_MS);
  return verdict?.body ?? null;
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
  noVerdict.delete(sku);
  const entry = { status: 200, text: JSON.stringify(refusal), headers: { "content-type": "application/json" }, expiresAtMs: Date.now() + ttl * 1000 };
  store(c, "hold-verdict", sku, entry, false);
}

/** A merchant change ended whatever verdict this isolate held. */
export function forgetVerdict(sku: string): void {
  noVerdict.delete(sku);
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
