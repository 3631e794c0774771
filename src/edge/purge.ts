import type { AppContext } from "../http/context";
import { forget } from "./cache";
import { objectName } from "../stock/addressing";
import { knownShards } from "../stock/shards/hold-routing";
import { forgetVerdict } from "./verdicts";
import { purgeQueue } from "../waiting-room/admission";

/**
 * Drops this location's cached views after a merchant change, so the merchant
 * (and every shopper here) sees a restock or a new sale at once, and a cached
 * sold-out verdict does not outlive the restock that ended it. Other
 * locations and isolates catch up within the cache TTL.
 */
export function purgeSku(c: AppContext, ...skus: string[]): void {
  for (const sku of skus) {
    forget(c, "sku", sku);
    // A sharded SKU's shards keep verdicts of their own (as many as this isolate knows of).
    const shards = knownShards(sku);
    for (const name of shards <= 1 ? [sku] : [sku, ...Array.from({ length: shards }, (_, i) => objectName(sku, i))]) {
      forget(c, "hold-verdict", name);
      forgetVerdict(name);
    }
  }
}

/**
 * Every write of a sale (its end and the dev clock included) clears all the
 * edge keeps about it: the sale's view, its SKUs' views and verdicts, its
 * waiting room's state and the SKUs' lists of queued sales (else a hold on an
 * alwaysOn SKU is still sent to the ended sale's waiting room).
 */
export function purgeSale(c: AppContext, saleId: string, skus: readonly string[]): void {
  forget(c, "sale", saleId);
  purgeSku(c, ...skus);
  purgeQueue(c, saleId, skus);
}
