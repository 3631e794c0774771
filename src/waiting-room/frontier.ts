/**
 * How far the admission frontier moves on one tick (spec §9): admitted shoppers
 * who have not yet held should roughly cover the units still available, so
 * admissions follow the stock rather than a fixed rate. Pure, so the maths is
 * tested apart from the object that applies it.
 */

/** The sale's SKUs added up (each SKU's whole, shards included). */
export interface StockSignals {
  available: number;
  reserved: number;
  liveHolds: number;
}

/** Admissions counted over the admission window (`admitSeconds`) and before it. */
export interface AdmissionBook {
  /** Admitted within the window: their admissions are still valid. */
  admittedRecent: number;
  /** Of those, how many have held. */
  usedRecent: number;
  /** Admitted before the window: their admissions ran out. */
  admittedExpired: number;
  /** Of those, how many held in time. */
  usedExpired: number;
}

/** Below this many expired admissions, the sale has taught nothing yet: assume every admitted shopper holds. */
export const CONVERSION_MIN_SAMPLE = 20;
/** Never assume fewer than one in five admitted shoppers hold: it bounds how far admissions may run ahead of stock. */
export const CONVERSION_FLOOR = 0.2;

/** The share of admitted shoppers who go on to hold, learned from admissions that ran out. */
export function conversion(book: AdmissionBook): number {
  if (book.admittedExpired < CONVERSION_MIN_SAMPLE) return 1;
  return Math.min(1, Math.max(CONVERSION_FLOOR, book.usedExpired / book.admittedExpired));
}

/** Units one holding shopper takes, from the live holds (1 until there are some). */
export function unitsPerShopper(stock: StockSignals): number {
  return stock.liveHolds > 0 ? Math.max(1, stock.reserved / stock.liveHolds) : 1;
}

/** Admitted shoppers who may still come to hold. */
export function outstanding(book: AdmissionBook): number {
  return Math.max(0, book.admittedRecent - book.usedRecent);
}

/** How many more shoppers to admit now, at most `batch_max`. */
export function admitCount(stock: StockSignals, book: AdmissionBook, batch_max: number): number {
  if (stock.available <= 0) return 0;
  const coverable = Math.floor(stock.available / (conversion(book) * unitsPerShopper(stock)));
  return Math.max(0, Math.min(batch_max, coverable - outstanding(book)));
}

/** No unit can come back: every unit is sold and none is held. */
export function soldOutForGood(stock: StockSignals): boolean {
  return stock.available <= 0 && stock.reserved <= 0;
}
