// Money for every page and for the API (src/domain/currencies.ts imports this
// file): one table of each currency's minor units, one formatter. Amounts are
// integers in the currency's minor unit (spec §4), so 1900 is ¥1,900 but $19.00.

/**
 * Active ISO 4217 codes (SIX list, amendment 179; no funds codes, precious
 * metals or testing codes) by exponent: the digits after the decimal point.
 * Lower case, as the API stores and Stripe writes them.
 */
const BY_EXPONENT = {
  0: "bif clp djf gnf isk jpy kmf krw pyg rwf ugx vnd vuv xaf xof xpf",
  2: `aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bmd bnd bob brl bsd btn bwp byn bzd
      cad cdf chf cny cop crc cup cve czk dkk dop dzd egp ern etb eur fjd fkp gbp gel ghs gip gmd
      gtq gyd hkd hnl htg huf idr ils inr irr jmd kes kgs khr kpw kyd kzt
      lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mru mur mvr mwk mxn myr mzn nad ngn nio nok npr
      nzd pab pen pgk php pkr pln qar ron rsd rub sar sbd scr sdg sek sgd shp sle sll sos srd
      ssp stn svc syp szl thb tjs tmt top try ttd twd tzs uah usd uyu uzs ves wst xcd
      xcg yer zar zmw zwg`,
  3: "bhd iqd jod kwd lyd omr tnd",
};

/** @type {ReadonlyMap<string, number>} */
export const MINOR_UNITS = new Map(
  Object.entries(BY_EXPONENT).flatMap(([exponent, codes]) =>
    codes
      .trim()
      .split(/\s+/)
      .map((code) => [code, Number(exponent)]),
  ),
);

/** The currency's minor units (ISO 4217 exponent), or undefined for a code that is not an active currency. */
export function minorUnits(currency) {
  return MINOR_UNITS.get(String(currency).toLowerCase());
}

/**
 * The amount as a decimal string in major units, exactly (no floating point):
 * 1900 jpy is "1900", 19000 kwd "19.000", 1900 usd "19.00".
 */
export function majorUnits({ amount, currency }) {
  const digits = minorUnits(currency) ?? 2;
  const sign = amount < 0 ? "-" : "";
  const text = String(Math.abs(Math.trunc(amount))).padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * A price in the currency's own format for `locale` (the browser's when
 * omitted): Intl picks the symbol and grouping, the ISO table the digits.
 */
export function formatMoney(money, locale = undefined) {
  if (!money) return "—";
  const digits = minorUnits(money.currency) ?? 2;
  const format = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: money.currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // A decimal string keeps every digit of large amounts exact.
  return format.format(majorUnits(money));
}
