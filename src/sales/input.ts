import type { MerchantActor } from "../domain/roles";
import type { Money } from "../domain/types";
import type { QueueSettings } from "../waiting-room/config";

export interface SaleItemInput {
  sku: string;
  price: Money;
  perCustomerLimit: number;
  maxPerOrder?: number | undefined;
  holdSeconds?: number | undefined;
  holdsPerMinute?: number | undefined;
  paymentSeconds?: number | undefined;
  priority?: number | undefined;
}

/** A sale as the merchant writes it: what the checks (./checks.ts) judge and the store (./store.ts) writes. */
export interface SaleInput {
  name: string;
  startsAtMs: number;
  endsAtMs: number;
  items: SaleItemInput[];
  /** Waiting room (spec §9); absent: none. */
  queue?: QueueSettings | undefined;
  /** Who writes it (spec §12): not stored with the sale, named in its SKUs' `sale_rule.applied` events. */
  actor?: MerchantActor | undefined;
}
