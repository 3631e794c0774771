import {
  TransientPaymentError,
  type ChargeRequest,
  type ChargeResult,
  type IntentPage,
  type IntentRead,
  type PaymentProvider,
  type ProviderRefund,
} from "./provider";

/**
 * Behaves like Stripe's test cards so local development and tests need no
 * network (spec §1). `pm_sim_unavailable` is ours: it fails like an
 * outage so retries and the dead-letter queue can be exercised. It keeps no
 * state: an attempt's outcome follows from its payment method alone, so
 * reading an attempt answers what charging it answered.
 */
export class SimulatedProvider implements PaymentProvider {
  readonly name = "simulated" as const;

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const intentId = req.attempt <= 1 ? `pi_sim_${req.orderId}` : `pi_sim_${req.orderId}_${req.attempt}`;
    if (req.amount <= 0) return { status: "failed", intentId: null, reason: "Amount must be greater than zero." };
    switch (req.paymentMethod) {
      case "pm_card_visa":
      case "pm_card_mastercard":
        return { status: "succeeded", intentId };
      case "pm_card_chargeDeclined":
        return { status: "failed", intentId, reason: "Your card was declined." };
      case "pm_card_chargeDeclinedInsufficientFunds":
        return { status: "failed", intentId, reason: "Your card has insufficient funds." };
      case "pm_card_authenticationRequired":
        return { status: "requires_action", intentId, clientSecret: `${intentId}_secret_sim` };
      case "pm_sim_unavailable":
        throw new TransientPaymentError("simulated provider outage");
      default:
        return { status: "failed", intentId: null, reason: `No such PaymentMethod: '${req.paymentMethod}'.` };
    }
  }

  async find(req: ChargeRequest): Promise<IntentRead | null> {
    const result = await this.charge(req);
    return result.intentId ? result : null;
  }

  async refund(intentId: string): Promise<{ refundId: string }> {
    return { refundId: `re_sim_${intentId}` };
  }

  async cancel(): Promise<IntentRead | null> {
    return null;
  }

  /** It keeps no ledger: there is nothing to list, so reconciliation of simulated orders checks D1 alone. */
  async listIntents(): Promise<IntentPage> {
    return { intents: [], last: null, hasMore: false };
  }

  async refundsOf(): Promise<ProviderRefund[]> {
    return [];
  }
}
