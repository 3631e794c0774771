import type { Hold, HoldStatus, Levels, Money, SaleRule } from "../domain/types";
import type { Allocation } from "../domain/locations";
import { iso } from "./offer";

/** Row shapes of the object's tables (src/stock/schema.ts) and their API views. */

export type SkuRow = {
  sku: string;
  name: string;
  price_amount: number;
  currency: string;
  always_on: number;
  on_hand: number;
  reserved: number;
  sold: number;
  received: number;
  returned: number;
  moved_in: number;
  moved_out: number;
  shards: number;
  /** Null on the SKU's own object; the shard's index on a stock shard. */
  shard_index: number | null;
  shard_span: number;
  /** JSON array of every shard count the SKU had before the current one. */
  shard_history: string;
  /** Changes of the shard count so far: a customer's home under an older epoch is fenced by their newer one. */
  shard_epoch: number;
  updated_at_ms: number;
  /** +1 per merchant write that changes the SKU (spec §11); holds never move it. */
  version: number;
  /** Units sent out of this SKU's locations by transfers, not yet received nor cancelled. */
  in_transit: number;
  routing: string;
  split: number;
  /** Kept by triggers on holds, independently of `reserved` (invariant 3). */
  live_units: number;
  live_holds: number;
  holds_created: number;
  holds_released: number;
  holds_expired: number;
  holds_committed: number;
  holds_returned: number;
};

export type HoldRow = {
  hold_id: string;
  customer_id: string;
  quantity: number;
  status: HoldStatus;
  scope: string;
  unit_amount: number;
  currency: string;
  created_at_ms: number;
  expires_at_ms: number;
  order_id: string | null;
  /** JSON Allocation[] on a located SKU (spec §11); null on an unlocated one. */
  allocations: string | null;
};

export type SaleRuleRow = {
  sale_id: string;
  revision: number;
  name: string;
  starts_at_ms: number;
  ends_at_ms: number;
  price_amount: number;
  currency: string;
  per_customer_limit: number;
  max_per_order: number | null;
  hold_seconds: number | null;
  holds_per_minute: number | null;
  payment_seconds: number | null;
  priority: number | null;
  queued: number;
};

export const HOLD_COLUMNS =
  "hold_id, customer_id, quantity, status, scope, unit_amount, currency, created_at_ms, expires_at_ms, order_id, allocations";

export function isLive(status: HoldStatus): boolean {
  return status === "held" || status === "checkout";
}

export function holdView(sku: string, row: HoldRow): Hold {
  const hold: Hold = {
    holdId: row.hold_id,
    sku,
    customerId: row.customer_id,
    quantity: row.quantity,
    status: row.status,
    unitPrice: { amount: row.unit_amount, currency: row.currency },
    saleId: row.scope === "" ? null : row.scope,
    createdAt: iso(row.created_at_ms),
    expiresAt: iso(row.expires_at_ms),
  };
  if (row.order_id !== null) hold.orderId = row.order_id;
  const allocations = allocationsOf(row);
  if (allocations !== null) hold.allocations = allocations;
  return hold;
}

export function saleRuleFromRow(row: SaleRuleRow): SaleRule {
  return {
    saleId: row.sale_id,
    revision: row.revision,
    name: row.name,
    startsAtMs: row.starts_at_ms,
    endsAtMs: row.ends_at_ms,
    price: { amount: row.price_amount, currency: row.currency },
    perCustomerLimit: row.per_customer_limit,
    maxPerOrder: row.max_per_order,
    holdSeconds: row.hold_seconds,
    holdsPerMinute: row.holds_per_minute,
    paymentSeconds: row.payment_seconds,
    priority: row.priority,
    queued: row.queued === 1,
  };
}

/** A located hold's allocation; null on an unlocated SKU. */
export function allocationsOf(row: HoldRow): Allocation[] | null {
  return row.allocations === null ? null : (JSON.parse(row.allocations) as Allocation[]);
}

/** The SKU's levels; on a located SKU `available` is the sum of its locations' (safety stock withheld). */
export function levelsOf(row: SkuRow, locatedAvailable: number | null = null): Levels {
  return {
    onHand: row.on_hand,
    reserved: row.reserved,
    available: locatedAvailable ?? row.on_hand - row.reserved,
    sold: row.sold,
    received: row.received,
    returned: row.returned,
  };
}

export function priceOf(row: SkuRow): Money {
  return { amount: row.price_amount, currency: row.currency };
}
