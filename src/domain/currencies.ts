/**
 * Active ISO 4217 currency codes (the list maintained by SIX, amendment 179),
 * without funds codes, precious metals and testing codes: what a price may be
 * in. Lower case, as the API stores and Stripe writes them.
 */
const ACTIVE_CODES = `
aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd btn bwp byn bzd
cad cdf chf clp cny cop crc cup cve czk djf dkk dop dzd egp ern etb eur fjd fkp gbp gel ghs gip gmd
gnf gtq gyd hkd hnl htg huf idr ils inr iqd irr isk jmd jod jpy kes kgs khr kmf kpw krw kwd kyd kzt
lak lbp lkr lrd lsl lyd mad mdl mga mkd mmk mnt mop mru mur mvr mwk mxn myr mzn nad ngn nio nok npr
nzd omr pab pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sdg sek sgd shp sle sll sos srd
ssp stn svc syp szl thb tjs tmt tnd top try ttd twd tzs uah ugx usd uyu uzs ves vnd vuv wst xaf xcd
xcg xof xpf yer zar zmw zwg
`;

const CODES: ReadonlySet<string> = new Set(ACTIVE_CODES.trim().split(/\s+/));

/** Whether `code` (any case) is an active ISO 4217 currency. */
export function isCurrency(code: string): boolean {
  return CODES.has(code.toLowerCase());
}
