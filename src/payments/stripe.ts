import Stripe from "stripe";
import {
  chargeKey,
  REFUNDS_PER_INTENT_MAX,
  TransientPaymentError,
  type ChargeRequest,
  type ChargeResult,
  type IntentPage,
  type IntentPageRequest,
  type IntentRead,
  type PaymentProvider,
  type ProviderRefund,
} from "./provider";

/**
 * The SDK's HTTP client. Production uses fetch; tests swap in a fake through
 * the SDK's own hook (Stripe.createFetchHttpClient(fakeFetch)), the only
 * network the test suite fakes.
 */
let httpClient: Stripe.HttpClient = Stripe.createFetchHttpClient();

export function useStripeHttpClient(client: Stripe.HttpClient): void {
  httpClient = client;
}

export function stripeClient(secretKey: string, apiBase?: string): Stripe {
  return new Stripe(secretKey, { httpClient, maxNetworkRetries: 2, timeout: 10_000, ...localApi(apiBase) });
}

/** A loopback http origin (a local Stripe fake) as the SDK's host, port and protocol; anything else is ignored. */
function localApi(apiBase: string | undefined): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  if (!apiBase) return {};
  const url = URL.parse(apiBase);
  if (url?.protocol !== "http:" || !["127.0.0.1", "localhost"].includes(url.hostname) || !url.port) return {};
  return { host: url.hostname, port: Number(url.port), protocol: "http" };
}

export class StripeProvider implements PaymentProvider {
  readonly name = "stripe" as const;
  private readonly stripe: Stripe;

  constructor(secretKey: string, apiBase?: string) {
    this.stripe = stripeClient(secretKey, apiBase);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: req.amount,
          currency: req.currency,
          payment_method: req.paymentMethod,
          confirm: true,
          automatic_payment_methods: { enabled: true, allow_redirects: "never" },
          metadata: { orderId: req.orderId, customerId: req.customerId, attempt: String(req.attempt) },
        },
        { idempotencyKey: chargeKey(req.orderId, req.attempt) },
      );
      return readIntent(intent) as ChargeResult;
    } catch (e) {
      if (e instanceof Stripe.errors.StripeCardError) {
        return { status: "failed", intentId: e.payment_intent?.id ?? null, reason: e.message };
      }
      // Stripe refused the request itself (amount over its maximum or under its minimum, an unknown
      // payment method): asking again can never succeed, so the attempt fails now with Stripe's reason.
      if (e instanceof Stripe.errors.StripeInvalidRequestError && (e.statusCode ?? 400) < 500) {
        return { status: "failed", intentId: e.payment_intent?.id ?? null, reason: e.message };
      }
      throw classify(e);
    }
  }

  async find(req: ChargeRequest, intentId: string | null): Promise<IntentRead | null> {
    try {
      if (intentId) return readIntent(await this.stripe.paymentIntents.retrieve(intentId));
      // Search is eventually consistent (about a minute); the paths that read this way run minutes after the charge.
      const found = await this.stripe.paymentIntents.search({
        query: `metadata['orderId']:'${searchLiteral(req.orderId)}' AND metadata['attempt']:'${req.attempt}'`,
        limit: 10,
      });
      const intents = found.data.map(readIntent);
      return intents.find((i) => i.status === "succeeded") ?? intents[0] ?? null;
    } catch (e) {
      if (e instanceof Stripe.errors.StripeInvalidRequestError && e.code === "resource_missing") return null;
      throw classify(e);
    }
  }

  async refund(intentId: string, orderId: string): Promise<{ refundId: string }> {
    try {
      // Keyed by intent: an order may owe refunds on more than one intent (a late payment and a stray attempt).
      const refund = await this.stripe.refunds.create(
        { payment_intent: intentId, metadata: { orderId } },
        { idempotencyKey: `refund_${intentId}` },
      );
      return { refundId: refund.id };
    } catch (e) {
      // A refund resumed after Stripe forgot its idempotency key (24 h) finds the money already back: that is done, not failed.
      if (e instanceof Stripe.errors.StripeInvalidRequestError && e.code === "charge_already_refunded") {
        const [existing] = (await this.stripe.refunds.list({ payment_intent: intentId, limit: 1 })).data;
        if (existing) return { refundId: existing.id };
      }
      throw classify(e);
    }
  }

  async cancel(intentId: string, orderId: string): Promise<IntentRead | null> {
    try {
      return readIntent(await this.stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey: `cancel_${orderId}_${intentId}` }));
    } catch (e) {
      // Already succeeded or canceled: not cancellable, so say how it stands (a success must be settled).
      if (e instanceof Stripe.errors.StripeInvalidRequestError) {
        if (e.code === "resource_missing") return null;
        return readIntent(await this.stripe.paymentIntents.retrieve(intentId).catch((r: unknown) => Promise.reject(classify(r))));
      }
      throw classify(e);
    }
  }

  async listIntents(page: IntentPageRequest): Promise<IntentPage> {
    try {
      // The list is strongly consistent (search is not): an intent created a moment ago is on it.
      const list = await this.stripe.paymentIntents.list({
        created: { gte: page.createdFromS },
        limit: page.limit,
        ...(page.startingAfter !== null && { starting_after: page.startingAfter }),
      });
      const ours = list.data.filter((i) => typeof i.metadata?.orderId === "string" && i.metadata.orderId !== "");
      return {
        intents: ours.map((i) => ({
          intentId: i.id,
          orderId: i.metadata.orderId!,
          attempt: /^[0-9]{1,6}$/.test(i.metadata.attempt ?? "") ? Number(i.metadata.attempt) : null,
          succeeded: i.status === "succeeded",
          status: i.status,
          amount: i.amount,
          currency: i.currency,
          createdS: i.created,
        })),
        last: list.data.at(-1)?.id ?? null,
        hasMore: list.has_more,
      };
    } catch (e) {
      throw classify(e);
    }
  }

  async refundsOf(intentId: string): Promise<ProviderRefund[]> {
    try {
      const list = await this.stripe.refunds.list({ payment_intent: intentId, limit: REFUNDS_PER_INTENT_MAX });
      return list.data.map((r) => ({ refundId: r.id, amount: r.amount, status: r.status ?? "succeeded" }));
    } catch (e) {
      throw classify(e);
    }
  }
}

/** What an intent's status means for an order. */
function readIntent(intent: Stripe.PaymentIntent): IntentRead {
  switch (intent.status) {
    case "succeeded":
      return { status: "succeeded", intentId: intent.id };
    case "requires_action":
    case "requires_confirmation":
      return { status: "requires_action", intentId: intent.id, clientSecret: intent.client_secret };
    case "processing":
    case "requires_capture":
      return { status: "processing", intentId: intent.id };
    case "canceled":
      return { status: "canceled", intentId: intent.id };
    default:
      return { status: "failed", intentId: intent.id, reason: intent.last_payment_error?.message ?? `payment ${intent.status}` };
  }
}

/** Stripe's search language quotes values in single quotes; ours never contain one, but an escaped quote keeps it so. */
function searchLiteral(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("'", "\\'");
}

/**
 * Outages and rate limits become a TransientPaymentError (retried from the
 * queue); anything else is a bug or a misconfiguration and stays as it is.
 */
function classify(e: unknown): unknown {
  if (
    e instanceof Stripe.errors.StripeConnectionError ||
    e instanceof Stripe.errors.StripeAPIError ||
    e instanceof Stripe.errors.StripeRateLimitError ||
    (e instanceof Stripe.errors.StripeError && (e.statusCode ?? 0) >= 500)
  ) {
    return new TransientPaymentError(e.message, { cause: e });
  }
  return e;
}
