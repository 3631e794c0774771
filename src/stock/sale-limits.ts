import { refuse, type Refusal } from "../domain/problems";
import type { SaleRule } from "../domain/types";
import { checkCustomerLimit } from "./invariants";
import { takeHoldToken } from "./hold-rate";
import type { SkuTables } from "./tables";

/**
 * A sale's limits on units a customer adds (spec §4), shared by a new hold
 * and a hold's increase (spec §3), so both refuse alike.
 */
export interface Added {
  /** The hold's quantity once the units are added (a new hold: the quantity). */
  orderUnits: number;
  /** Units added (a new hold: the quantity; an increase: the difference). */
  units: number;
}

/** Granted: the rate bucket's tokens to save (null: the sale has no hold rate). */
export type LimitGrant = { ok: true; rateTokensLeft: number | null };

/**
 * Per order, then per customer (their units here and, by sale, in the SKU's
 * other objects, `prior`), then the hold rate: the first refusal, or the
 * grant to pass to `recordAdded` once the units are written.
 */
export function checkSaleLimits(
  tables: SkuTables,
  rule: SaleRule,
  customerId: string,
  added: Added,
  prior: Readonly<Record<string, number>>,
  now_ms: number,
): LimitGrant | Refusal {
  const used = tables.usage(rule.saleId, customerId);
  const remaining = Math.max(0, rule.perCustomerLimit - used.held - used.bought - (prior[rule.saleId] ?? 0));
  if (rule.maxPerOrder !== null && added.orderUnits > rule.maxPerOrder) {
    const orderRoom = Math.max(0, rule.maxPerOrder - (added.orderUnits - added.units));
    return refuse("limit_exceeded", `At most ${rule.maxPerOrder} per order.`, {
      remaining: Math.min(remaining, orderRoom),
      maxPerOrder: rule.maxPerOrder,
    });
  }
  if (added.units > remaining) {
    return refuse("limit_exceeded", `This sale allows ${rule.perCustomerLimit} per customer.`, {
      remaining,
      perCustomerLimit: rule.perCustomerLimit,
    });
  }
  if (rule.holdsPerMinute === null) return { ok: true, rateTokensLeft: null };
  const token = takeHoldToken({ tokens: used.rate_tokens, at_ms: used.rate_at_ms }, rule.holdsPerMinute, now_ms);
  if (!token.ok) {
    return refuse("rate_limited", `This sale allows ${rule.holdsPerMinute} holds per customer per minute.`, {
      retryAfterSeconds: token.retryAfterSeconds,
      holdsPerMinute: rule.holdsPerMinute,
    });
  }
  return { ok: true, rateTokensLeft: token.tokens };
}

/**
 * After the units are written: the customer's usage of the sale gains them,
 * with the spent rate token, in one upsert; then invariant 4 on what it wrote.
 */
export function recordAdded(
  tables: SkuTables,
  rule: SaleRule,
  customerId: string,
  grant: LimitGrant,
  units: number,
  prior: Readonly<Record<string, number>>,
  now_ms: number,
): void {
  const rate = grant.rateTokensLeft === null ? null : { tokens: grant.rateTokensLeft, at_ms: now_ms };
  const used = tables.addUsage(rule.saleId, customerId, units, rate);
  checkCustomerLimit(customerId, used.held + (prior[rule.saleId] ?? 0), used.bought, rule.perCustomerLimit);
}
