import type { AppContext } from "../http/context";
import { cacheKey } from "./cache";

/**
 * Drops this location's cached views after a merchant change, so the merchant
 * (and every shopper here) sees a restock or a new sale at once, and a cached
 * sold-out verdict does not outlive the restock that ended it. Other
 * locations catch up within the cache TTL.
 */
export function purgeSku(c: AppContext, ...skus: string[]): void {
  purge(c, skus.flatMap((sku) => [cacheKey("sku", sku), cacheKey("hold-verdict", sku)]));
}

export function purgeSale(c: AppContext, saleId: string, skus: readonly string[]): void {
  purge(c, [cacheKey("sale", saleId), ...skus.flatMap((sku) => [cacheKey("sku", sku), cacheKey("hold-verdict", sku)])]);
}

function purge(c: AppContext, keys: Request[]): void {
  c.executionCtx.waitUntil(Promise.all(keys.map((k) => caches.default.delete(k))));
}
