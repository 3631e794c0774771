/**
 * How a caller's Idempotency-Key is stored: scoped to its owner and the
 * operation, so another caller's or another operation's use of the same
 * string is another key. The SKU object reads hold keys back (a customer's
 * moved keys, spec §8), so writing and reading the encoding live together.
 *
 * The parts are joined with `|`, and each part escapes `\` and `|` with a
 * backslash, so the encoding is one-to-one even though customer ids (an
 * identity provider's `auth0|5f7c…`, spec §12) and keys may contain `|`:
 * customer `carol|checkout|x` with key `k` and customer `carol` with key
 * `x|checkout|k` are two keys (issue 22 item 3). A part with neither
 * character is written as it was before the escaping, so stored replies and
 * the order ids derived from keys (orders/checkout.ts) stay the same for them.
 */

const SHOPPER = "shopper:";
const SEPARATOR = "|";

/** The owner part of a stored key: the merchant, or one shopper. */
export function ownerScope(owner: { kind: "merchant" } | { kind: "shopper"; customerId: string }): string {
  return owner.kind === "merchant" ? "merchant" : `${SHOPPER}${owner.customerId}`;
}

const escapePart = (part: string) => part.replaceAll("\\", "\\\\").replaceAll(SEPARATOR, `\\${SEPARATOR}`);

export function scopedKey(owner: string, operation: string, key: string): string {
  return [owner, operation, key].map(escapePart).join(SEPARATOR);
}

/** The parts of a stored key (scopedKey read back); a row stored before the escaping reads back as it was written. */
export function keyParts(scoped: string): string[] {
  const parts: string[] = [];
  let part = "";
  for (let i = 0; i < scoped.length; i++) {
    const ch = scoped[i]!;
    if (ch === "\\" && i + 1 < scoped.length) part += scoped[++i];
    else if (ch === SEPARATOR) {
      parts.push(part);
      part = "";
    } else part += ch;
  }
  parts.push(part);
  return parts;
}

/** The operation a hold on `sku` is keyed under. */
export function holdOperation(sku: string): string {
  return `hold:${sku}`;
}

/** The operation a change of one hold's quantity is keyed under: never a hold's, so it is no moved key (stock/shards). */
export function changeOperation(holdId: string): string {
  return `change:${holdId}`;
}

/** The shopper whose hold on `sku` a stored key was scoped to (scopedKey read back), or null for any other key. */
export function holdKeyCustomer(scoped: string, sku: string): string | null {
  const parts = keyParts(scoped);
  if (parts.length !== 3 || parts[1] !== holdOperation(sku) || !parts[0]!.startsWith(SHOPPER)) return null;
  return parts[0]!.slice(SHOPPER.length);
}
