import { MINOR_UNITS } from "../../public/shared/money.js";
import { refuse, type Refusal } from "./problems";
import type { Money } from "./types";

/*
 * The currency table lives in public/shared/money.js, the module every page
 * formats prices with, so the API and the pages can never disagree on how many
 * digits a currency has.
 */

/** Whether `code` (any case) is an active ISO 4217 currency. */
export function isCurrency(code: string): boolean {
  return MINOR_UNITS.has(code.toLowerCase());
}

/** Digits after the decimal point (ISO 4217 exponent): 0 for jpy, 2 for usd, 3 for kwd. */
export function minorUnitsOf(currency: string): number {
  return MINOR_UNITS.get(currency.toLowerCase()) ?? 2;
}

/**
 * What the payment provider charges at most, in minor units (Stripe's limit
 * for every currency: eight digits).
 */
export const AMOUNT_MAX = 99_999_999;

/**
 * Whether the provider would charge this price, checked when the merchant sets
 * it rather than when a shopper pays: at least one minor unit, at most
 * AMOUNT_MAX, and for three-decimal currencies a whole number of hundredths
 * (Stripe refuses a last digit other than 0). The refusal names the field
 * (`path`, e.g. `price` or `items.2.price`) or null.
 */
export function unchargeable(price: Money, path: string): Refusal | null {
  const digits = minorUnitsOf(price.currency);
  const problem =
    price.amount < 1
      ? "must be at least 1 (one minor unit)"
      : price.amount > AMOUNT_MAX
        ? `must be at most ${AMOUNT_MAX} (the payment provider's limit)`
        : digits === 3 && price.amount % 10 !== 0
          ? "must end in 0: three-decimal currencies are charged in tens of their minor unit"
          : null;
  if (!problem) return null;
  return refuse(
    "invalid_amount",
    `${price.amount} ${price.currency} cannot be charged: ${problem}. Amounts are in the currency's minor unit (${digits} decimal${digits === 1 ? "" : "s"}).`,
    { minorUnits: digits, errors: [{ in: "json", path: `${path}.amount`, message: problem }] },
  );
}
