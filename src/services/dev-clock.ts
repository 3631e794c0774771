import { accept, refuse, type Outcome } from "../domain/problems";
import { getSale, putSale, type SaleItemInput, type SaleView } from "./sales";

/** How far one call may move a sale's window: a year either way. */
export const MAX_CLOCK_OFFSET_SECONDS = 366 * 86_400;

/**
 * Dev tools' sale clock (DEV_TOOLS=on): `offsetSeconds` of time pass for this
 * sale alone, so its window moves that much earlier (negative: later). A sale
 * starting in an hour starts now with 3600; a live one ends with the seconds it
 * had left. The sale is rewritten through `putSale`, the merchant's own path:
 * a new revision, pushed to every SKU object, audited like any sale change.
 */
export async function shiftSaleClock(env: Env, saleId: string, offsetSeconds: number, now_ms: number): Promise<Outcome<SaleView>> {
  const sale = await getSale(env, saleId, now_ms);
  if (!sale) return refuse("not_found", `No sale "${saleId}".`);
  const shift_ms = offsetSeconds * 1000;
  const items: SaleItemInput[] = sale.items.map((item) => ({
    sku: item.sku,
    price: item.price,
    perCustomerLimit: item.perCustomerLimit,
    maxPerOrder: item.maxPerOrder ?? undefined,
    holdSeconds: item.holdSeconds ?? undefined,
    holdsPerMinute: item.holdsPerMinute ?? undefined,
    paymentSeconds: item.paymentSeconds ?? undefined,
  }));
  const input = { name: sale.name, startsAtMs: Date.parse(sale.startsAt) - shift_ms, endsAtMs: Date.parse(sale.endsAt) - shift_ms, items };
  return accept((await putSale(env, saleId, input, now_ms)).sale);
}
