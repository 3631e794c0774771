import type Stripe from "stripe";

/**
 * The objects of the fake Stripe account (./fake-stripe-account.ts) as they
 * travel: their fields, Stripe's form encoding, event envelopes and error
 * replies. Loaded by workerd (the tests) and by Node (the chaos run's
 * server) alike: no runtime imports, erasable syntax only.
 */

/** Stripe's form encoding, decoded one level deep (see decodeForm). */
export type FormParams = Record<string, string | Record<string, string>>;

/** The PaymentIntent fields this fake keeps, named and typed as Stripe sends them (Stripe.PaymentIntent). */
export interface FakeIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: Stripe.PaymentIntent.Status;
  client_secret: string;
  metadata: Record<string, string>;
  payment_method: string;
  last_payment_error: Record<string, unknown> | null;
  cancellation_reason: string | null;
  next_action: Record<string, unknown> | null;
  latest_charge: string | null;
  created: number;
  livemode: boolean;
}

/** The Charge fields this fake keeps (Stripe.Charge). */
export interface FakeCharge {
  id: string;
  object: "charge";
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  currency: string;
  payment_intent: string;
  metadata: Record<string, string>;
  disputed: boolean;
}

/** The Refund fields this fake keeps (Stripe.Refund). */
export interface FakeRefund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: "succeeded";
  reason: null;
  created: number;
}

export interface FakeEvent {
  id: string;
  type: string;
  object: object;
}

export type Reply = { status: number; body: unknown };

/** A Stripe event as it is delivered to webhooks. */
export function stripeEvent(type: string, object: object, id = `evt_${crypto.randomUUID().replaceAll("-", "")}`) {
  return {
    id,
    object: "event",
    api_version: "2025-10-29.clover",
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: structuredClone(object) },
  };
}

/** Decodes Stripe's form encoding one level deep: `metadata[orderId]=x` -> `{ metadata: { orderId: "x" } }`. */
export function decodeForm(text: string): FormParams {
  const out: FormParams = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const m = /^([^[]+)\[([^\]]*)\]$/.exec(key);
    if (m) {
      const nested = (out[m[1]!] ?? {}) as Record<string, string>;
      out[m[1]!] = nested;
      nested[m[2]!] = value;
    } else out[key] = value;
  }
  return out;
}

export function ok(body: unknown): Reply {
  return { status: 200, body: structuredClone(body) };
}

export function stripeError(status: number, error: Record<string, unknown>): Reply {
  return { status, body: { error } };
}

export function invalid(code: string, param: string, message: string): Reply {
  return stripeError(400, { type: "invalid_request_error", code, param, message });
}

export function missing(what: string, id: string): Reply {
  return stripeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}: '${id}'` });
}

export function unexpectedState(intent: FakeIntent, message: string): Reply {
  return stripeError(400, {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message,
    payment_intent: structuredClone(intent),
  });
}
