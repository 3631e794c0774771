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

export interface PaymentProvider {
  readonly name: "stripe" | "simulated";
  /** Creates and confirms the payment; keyed by order and attempt (chargeKey), so a retried job never charges twice. */
  charge(req: ChargeRequest): Promise<ChargeResult>;
  /** Refunds the whole payment; idempotent per order. */
  refund(intentId: string, orderId: string): Promise<{ refundId: string }>;
  /** Cancels a payment that has not succeeded; best effort. */
  cancel(intentId: string, orderId: string): Promise<void>;
}

/** A failure worth retrying later (network, provider outage, rate limit); everything else is final. */
export class TransientPaymentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransientPaymentError";
  }
}
