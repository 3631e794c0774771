import type { MerchantActor } from "./roles";
import type { Allocation, LocationLevels, LocationProfile, Routing } from "./locations";
/** Shapes shared by the SKU object, the routes and the tests (spec §§2-4). */

export interface Money {
  /** Integer amount in the currency's minor unit (cents for usd). */
  amount: number;
  /** ISO 4217 code, lower case as Stripe writes it. */
  currency: string;
}

/** spec §2. All integers; `available` is derived as `onHand - reserved`. */
export interface Levels {
  onHand: number;
  reserved: number;
  available: number;
  sold: number;
  received: number;
  /** Cumulative units that came back from refunded orders (they left `sold`). */
  returned: number;
}

export type HoldStatus = "held" | "checkout" | "committed" | "released" | "expired" | "returned";
export const LIVE_HOLD_STATUSES = ["held", "checkout"] as const satisfies readonly HoldStatus[];

export interface Hold {
  holdId: string;
  sku: string;
  customerId: string;
  quantity: number;
  status: HoldStatus;
  /** The unit price the hold was taken at, so checkout charges what the shopper saw. */
  unitPrice: Money;
  saleId: string | null;
  createdAt: string;
  expiresAt: string;
  orderId?: string;
  /** Where the units come from, on a located SKU only (spec §11). */
  allocations?: Allocation[];
}

export type SkuStatus = "upcoming" | "live" | "sold_out" | "ended" | "off_sale";

/** One SKU's terms inside one sale, as pushed to the SKU's object (spec §4). */
export interface SaleRule {
  saleId: string;
  /** Monotonic per sale: an object ignores a rule older than the one it has. */
  revision: number;
  name: string;
  startsAtMs: number;
  endsAtMs: number;
  price: Money;
  perCustomerLimit: number;
  maxPerOrder: number | null;
  holdSeconds: number | null;
  /** Holds one customer may take per rolling minute in this sale; null: only the edge limits apply. */
  holdsPerMinute: number | null;
  paymentSeconds: number | null;
  /** Which sale prices the SKU while several are live: higher first, then the later start (see offer.ts). */
  priority?: number | null | undefined;
  /** The sale has a waiting room: its object takes a hold only with an admission the edge verified (spec §9). */
  queued?: boolean | undefined;
  /** The merchant's key that wrote this revision (spec §12): its `sale_rule.applied` event names it. */
  actor?: MerchantActor | undefined;
}

export interface SkuConfig {
  name: string;
  price: Money;
  alwaysOn: boolean;
  /** Stock shards (spec §8): 1 is an unsharded SKU; absent on an update, the count stays. */
  shards?: number | undefined;
  /** Who asked (spec §12): recorded in the sku.created/sku.updated event, not kept with the SKU. */
  actor?: MerchantActor | undefined;
  /** Spec §11: how a hold picks its location; absent on an update, the setting stays. */
  routing?: Routing | undefined;
  split?: boolean | undefined;
}

/** Where a sale's window stands at the instant of a view. */
export type SaleState = "upcoming" | "live" | "ended";

export interface SaleSummary {
  saleId: string;
  /** Only a `live` sale prices a hold; an upcoming or ended one is shown for information. */
  state: SaleState;
  name: string;
  startsAt: string;
  endsAt: string;
  price: Money;
  perCustomerLimit: number;
  maxPerOrder: number | null;
}

export interface SkuSnapshot {
  sku: string;
  name: string;
  price: Money;
  alwaysOn: boolean;
  status: SkuStatus;
  /** The price a hold taken now would get (the live sale's, else the list price when alwaysOn); null when no hold may be taken. */
  currentPrice: Money | null;
  /** The sale that prices this SKU now, else the next one to start, else the last that ended; `state` says which. */
  sale: SaleSummary | null;
  levels: Levels;
  liveHolds: number;
  shards: number;
  updatedAt: string;
  /** +1 per merchant write that changes the SKU (spec §11). */
  version: number;
  routing: Routing;
  split: boolean;
  /** Each location's levels, on a located SKU only. */
  locations?: LocationLevels[];
}

export type AdjustmentReason = "received" | "restock" | "correction" | "shrinkage" | "damaged" | "other";

export interface Adjustment {
  /** Who asked (spec §12): recorded in the stock.adjusted event. */
  actor?: MerchantActor | undefined;
  delta: number;
  reason: AdjustmentReason;
  reference?: string | undefined;
  /** The location the units arrive at or leave (spec §11); may be omitted while the SKU has at most one. */
  location?: string | undefined;
}

/** What a merchant write to a SKU may carry beyond its body (spec §11). */
export interface MerchantWrite {
  /** `If-Match`: the version the writer last saw; a stale one is refused `version_conflict`. */
  ifMatch?: number | null | undefined;
  /** The registry's profile of the location the write names (the route read it from D1). */
  profile?: LocationProfile | null | undefined;
}
