/** What the payment flow needs from a provider: Stripe, or the simulated one. */

export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
}

export type ChargeResult =
  | { status: "succeeded"; intentId: string }
  | { status: "requires_action"; intentId: string; clientSecret: string | null }
  | { status: "processing"; intentId: string }
  | { status: "failed"; intentId: string | null; reason: string };

export interface PaymentProvider {
  readonly name: "stripe" | "simulated";
  /** Creates and confirms the payment; the order id is the idempotency key, so a retry never charges twice. */
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
