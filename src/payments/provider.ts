/** What the payment flow needs from a provider: Stripe, or the simulated one. */

export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  /** 1 for the checkout's charge, then +1 per retry after a decline: each attempt is its own payment. */
  attempt: number;
}

/** The provider's idempotency key of one attempt; the first keeps the key orders always had. */
export function chargeKey(orderId: string, attempt: number): string {
  return attempt <= 1 ? `charge_${orderId}` : `charge_${orderId}_${attempt}`;
}

export type ChargeResult =
  | { status: "succeeded"; intentId: string }
  | { status: "requires_action"; intentId: string; clientSecret: string | null }
  | { status: "processing"; intentId: string }
  | { status: "failed"; intentId: string | null; reason: string };

/** An intent as the provider holds it now: a charge's result, or cancelled. */
export type IntentRead = ChargeResult | { status: "canceled"; intentId: string };

export interface PaymentProvider {
  readonly name: "stripe" | "simulated";
  /**
   * Creates and confirms the payment; keyed by order and attempt (chargeKey), so a retried job never charges twice.
   * A request the provider can never accept (an amount over its maximum, under its minimum) fails at once with its reason.
   */
  charge(req: ChargeRequest): Promise<ChargeResult>;
  /**
   * Reads the intent of one attempt and never creates one: by id when known,
   * else by the metadata we set (order id and attempt). Null when the provider
   * has none. Recovery uses this: a create replayed within 24 h answers its
   * first response, and after that makes a second charge.
   */
  find(req: ChargeRequest, intentId: string | null): Promise<IntentRead | null>;
  /** Refunds the whole payment of one intent; idempotent per intent. */
  refund(intentId: string, orderId: string): Promise<{ refundId: string }>;
  /**
   * Cancels an intent that has not succeeded, so it can never be confirmed
   * again; answers the intent as it now stands (a succeeded one stays
   * succeeded and must be settled), or null when the provider has no such intent.
   */
  cancel(intentId: string, orderId: string): Promise<IntentRead | null>;
  /**
   * One page of the intents the provider holds for our orders (those whose
   * metadata names an `orderId`), created at or after `createdFromS`, newest
   * first; `startingAfter` is the previous page's `last`. Reads the
   * provider's strongly consistent list (not its search), for reconciliation.
   */
  listIntents(page: IntentPageRequest): Promise<IntentPage>;
  /** The refunds the provider holds for one intent (at most `REFUNDS_PER_INTENT_MAX`). */
  refundsOf(intentId: string): Promise<ProviderRefund[]>;
}

export interface IntentPageRequest {
  createdFromS: number;
  startingAfter: string | null;
  limit: number;
}

/** An intent as the provider holds it, reduced to what reconciliation compares. */
export interface ProviderIntent {
  intentId: string;
  orderId: string;
  /** The attempt its metadata names; null when it names none. */
  attempt: number | null;
  succeeded: boolean;
  status: string;
  amount: number;
  currency: string;
  createdS: number;
}

export interface IntentPage {
  intents: ProviderIntent[];
  /** The page's last intent of any kind (the next page's cursor), null when the page was empty. */
  last: string | null;
  hasMore: boolean;
}

/** A refund the provider holds; only `succeeded` and `pending` ones move (or will move) money back. */
export interface ProviderRefund {
  refundId: string;
  amount: number;
  status: string;
}

export const REFUNDS_PER_INTENT_MAX = 100;

/** True when the refund moved, or is moving, the money back. */
export function refundCounts(r: ProviderRefund): boolean {
  return r.status === "succeeded" || r.status === "pending" || r.status === "requires_action";
}

/** A failure worth retrying later (network, provider outage, rate limit); everything else is final. */
export class TransientPaymentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransientPaymentError";
  }
}
