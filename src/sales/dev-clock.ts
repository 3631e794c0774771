import { accept, refuse, type Outcome } from "../domain/problems";
import { putSale, storedSaleInput, type SaleView } from "./store";

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
  const sale = await storedSaleInput(env, saleId);
  if (!sale) return refuse("not_found", `No sale "${saleId}".`);
  const shift_ms = offsetSeconds * 1000;
  // Every stored term (priorities, the waiting room) is written again as it was; only the window moves.
  const shifted = { ...sale, startsAtMs: sale.startsAtMs - shift_ms, endsAtMs: sale.endsAtMs - shift_ms };
  const written = await putSale(env, saleId, shifted, now_ms);
  return written.ok ? accept(written.value.sale) : written;
}
