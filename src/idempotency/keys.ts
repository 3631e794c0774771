/**
 * How a caller's Idempotency-Key is stored: scoped to its owner and the
 * operation, so another caller's or another operation's use of the same
 * string is another key. The SKU object reads hold keys back (a customer's
 * moved keys, spec §8), so writing and reading the encoding live together.
 */

const SHOPPER = "shopper:";

/** The owner part of a stored key: the merchant, or one shopper. */
export function ownerScope(owner: { kind: "merchant" } | { kind: "shopper"; customerId: string }): string {
  return owner.kind === "merchant" ? "merchant" : `${SHOPPER}${owner.customerId}`;
}

export function scopedKey(owner: string, operation: string, key: string): string {
  return `${owner}|${operation}|${key}`;
}

/** The operation a hold on `sku` is keyed under. */
export function holdOperation(sku: string): string {
  return `hold:${sku}`;
}

/** The shopper whose hold on `sku` a stored key was scoped to (scopedKey read back), or null for any other key. */
export function holdKeyCustomer(scoped: string, sku: string): string | null {
  if (!scoped.startsWith(SHOPPER)) return null;
  const end = scoped.indexOf(`|${holdOperation(sku)}|`, SHOPPER.length);
  return end < 0 ? null : scoped.slice(SHOPPER.length, end);
}
