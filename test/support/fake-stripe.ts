import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { useStripeHttpClient } from "../../src/payments/stripe";
import { TEST_SECRETS } from "./secrets";

/**
 * A fake of Stripe's HTTP API, plugged in through the SDK's own hook
 * (`Stripe.createFetchHttpClient(fakeFetch)` via `useStripeHttpClient`): the
 * SDK, its form encoding, idempotency headers, retries and error classes are
 * all real; only the network answers from here. It keeps what the tests assert
 * on: every request, the intents it created and the refunds it issued.
 *
 * Test PaymentMethods behave like Stripe's test cards:
 * - `pm_card_visa` (and `pm_card_mastercard`): the intent succeeds;
 * - `pm_card_chargeDeclined`: HTTP 402 `card_error` / `card_declined`, with the failed intent;
 * - `pm_card_authenticationRequired`: the intent `requires_action`, with a client secret;
 * - anything else: 400 `resource_missing`.
 */

/** Stripe's form encoding, decoded one level deep (see decodeForm). */
export type FormParams = Record<string, string | Record<string, string>>;

export interface FakeRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: FormParams;
}

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
  created: number;
  livemode: boolean;
}

/** The Refund fields this fake keeps (Stripe.Refund). */
export interface FakeRefund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  payment_intent: string;
  status: "succeeded";
  reason: null;
  created: number;
}

/** "500": Stripe answers 500; "network": the connection fails; "lost": Stripe handles the request but the answer never arrives. */
type Injected = "500" | "network" | "lost";

export interface FakeStripe {
  readonly requests: FakeRequest[];
  readonly intents: Map<string, FakeIntent>;
  readonly refunds: FakeRefund[];
  /** PaymentIntents actually created (idempotent replays do not count). */
  intentsCreated(): number;
  /** The next requests fail like an outage, one failure per request, in order. */
  failNext(...failures: Injected[]): void;
  /** The customer completed 3-D Secure: the intent succeeds. */
  completeAction(intentId: string): FakeIntent;
  /** Stripe keeps idempotency keys about 24 h: forget every one, as if a day had passed. */
  forgetIdempotencyKeys(): void;
  /** The customer failed 3-D Secure: the intent goes back to requires_payment_method. */
  failAction(intentId: string): FakeIntent;
  fetch(url: string | URL | Request, init?: RequestInit): Promise<Response>;
}

export function createFakeStripe(): FakeStripe {
  const requests: FakeRequest[] = [];
  const intents = new Map<string, FakeIntent>();
  const refunds: FakeRefund[] = [];
  const replies = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  const injected: Injected[] = [];
  let serial = 0;
  const nextId = (prefix: string) => `${prefix}_fake${String(++serial).padStart(6, "0")}${crypto.randomUUID().slice(0, 8)}`;

  function createIntent(params: FormParams): { status: number; body: unknown } {
    const pm = String(params.payment_method ?? "");
    const known = ["pm_card_visa", "pm_card_mastercard", "pm_card_chargeDeclined", "pm_card_authenticationRequired"];
    if (!known.includes(pm)) {
      return stripeError(400, {
        type: "invalid_request_error",
        code: "resource_missing",
        param: "payment_method",
        message: `No such PaymentMethod: '${pm}'`,
      });
    }
    const id = nextId("pi");
    const intent: FakeIntent = {
      id,
      object: "payment_intent",
      amount: Number(params.amount),
      amount_received: 0,
      currency: String(params.currency),
      status: "requires_confirmation",
      client_secret: `${id}_secret_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`,
      metadata: typeof params.metadata === "object" ? params.metadata : {},
      payment_method: pm,
      last_payment_error: null,
      cancellation_reason: null,
      next_action: null,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
    };
    intents.set(id, intent);
    if (params.confirm !== "true") return { status: 200, body: intent };
    if (pm === "pm_card_chargeDeclined") {
      const lastError = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
      Object.assign(intent, { status: "requires_payment_method", last_payment_error: lastError });
      return stripeError(402, { ...lastError, payment_intent: intent });
    }
    if (pm === "pm_card_authenticationRequired") {
      Object.assign(intent, {
        status: "requires_action",
        next_action: { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } },
      });
      return { status: 200, body: intent };
    }
    Object.assign(intent, { status: "succeeded", amount_received: intent.amount });
    return { status: 200, body: intent };
  }

  function createRefund(params: FormParams): { status: number; body: unknown } {
    const intent = intents.get(String(params.payment_intent));
    if (!intent) {
      return stripeError(400, {
        type: "invalid_request_error",
        code: "resource_missing",
        param: "payment_intent",
        message: `No such payment_intent: '${params.payment_intent}'`,
      });
    }
    if (intent.status !== "succeeded") {
      return stripeError(400, {
        type: "invalid_request_error",
        code: "charge_not_refundable",
        message: `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
      });
    }
    if (refunds.some((r) => r.payment_intent === intent.id)) {
      return stripeError(400, {
        type: "invalid_request_error",
        code: "charge_already_refunded",
        message: "Charge has already been refunded.",
      });
    }
    const refund: FakeRefund = {
      id: nextId("re"),
      object: "refund",
      amount: intent.amount,
      currency: intent.currency,
      payment_intent: intent.id,
      status: "succeeded",
      reason: null,
      created: Math.floor(Date.now() / 1000),
    };
    refunds.push(refund);
    return { status: 200, body: refund };
  }

  function cancelIntent(id: string): { status: number; body: unknown } {
    const intent = intents.get(id);
    if (!intent)
      return stripeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such payment_intent: '${id}'` });
    if (!["requires_payment_method", "requires_confirmation", "requires_action", "processing"].includes(intent.status)) {
      return stripeError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
        payment_intent: intent,
      });
    }
    Object.assign(intent, { status: "canceled", cancellation_reason: "requested_by_customer", next_action: null });
    return { status: 200, body: intent };
  }

  /**
   * GET /v1/payment_intents as Stripe pages it: newest first, `created[gte]`,
   * `limit` (1-100, default 10), `starting_after` an id of the previous page, `has_more`.
   */
  function listIntents(params: FormParams): { status: number; body: unknown } {
    const created = typeof params.created === "object" ? params.created : {};
    const gte = created.gte === undefined ? Number.NEGATIVE_INFINITY : Number(created.gte);
    const limit = params.limit === undefined ? 10 : Number(params.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return stripeError(400, { type: "invalid_request_error", param: "limit", message: "Invalid integer: limit" });
    }
    // Insertion order breaks ties within a second, as Stripe's ids do.
    const newestFirst = [...intents.values()].reverse().filter((i) => i.created >= gte);
    let from = 0;
    if (typeof params.starting_after === "string") {
      from = newestFirst.findIndex((i) => i.id === params.starting_after) + 1;
      if (from === 0) {
        return stripeError(400, {
          type: "invalid_request_error",
          code: "resource_missing",
          param: "starting_after",
          message: `No such payment_intent: '${params.starting_after}'`,
        });
      }
    }
    const data = newestFirst.slice(from, from + limit);
    return { status: 200, body: { object: "list", url: "/v1/payment_intents", has_more: from + limit < newestFirst.length, data } };
  }

  function route(method: string, path: string, params: FormParams): { status: number; body: unknown } {
    if (method === "POST" && path === "/v1/payment_intents") return createIntent(params);
    if (method === "POST" && path === "/v1/refunds") return createRefund(params);
    const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
    if (method === "POST" && cancel) return cancelIntent(cancel[1]!);
    if (method === "GET" && path === "/v1/refunds") {
      const data = refunds.filter((r) => r.payment_intent === params.payment_intent);
      return { status: 200, body: { object: "list", url: "/v1/refunds", has_more: false, data } };
    }
    if (method === "GET" && path === "/v1/payment_intents") return listIntents(params);
    const read = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === "GET" && read) {
      const intent = intents.get(read[1]!);
      return intent
        ? { status: 200, body: intent }
        : stripeError(404, { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent" });
    }
    return stripeError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` });
  }

  return {
    requests,
    intents,
    refunds,
    intentsCreated: () => intents.size,
    forgetIdempotencyKeys: () => replies.clear(),
    failNext: (...failures) => injected.push(...failures),
    completeAction(intentId) {
      const intent = intents.get(intentId)!;
      return Object.assign(intent, { status: "succeeded", amount_received: intent.amount, next_action: null });
    },
    failAction(intentId) {
      const intent = intents.get(intentId)!;
      const lastError = {
        type: "card_error",
        code: "payment_intent_authentication_failure",
        message: "The provided PaymentMethod has failed authentication.",
      };
      return Object.assign(intent, { status: "requires_payment_method", next_action: null, last_payment_error: lastError });
    },
    async fetch(input, init) {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const body = request.method === "GET" ? "" : new TextDecoder().decode(await request.arrayBuffer());
      const params = decodeForm(request.method === "GET" ? url.search.slice(1) : body);
      const idempotencyKey = request.headers.get("idempotency-key");
      requests.push({ method: request.method, path: url.pathname, idempotencyKey, params });

      const failure = injected.shift();
      if (failure === "network") throw new TypeError("fake Stripe: connection reset");
      if (failure === "500") return json(500, { error: { type: "api_error", message: "fake Stripe: internal error" } });
      if (url.hostname !== "api.stripe.com")
        return json(400, { error: { type: "invalid_request_error", message: `unexpected host ${url.hostname}` } });
      if (!/^Bearer sk_test_\w+$/.test(request.headers.get("authorization") ?? "")) {
        return json(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
      }

      const fingerprint = `${request.method} ${url.pathname} ${body}`;
      if (idempotencyKey && request.method === "POST") {
        const prior = replies.get(idempotencyKey);
        if (prior && prior.fingerprint !== fingerprint) {
          return json(400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with.`,
            },
          });
        }
        if (prior) return json(prior.status, prior.body, { "idempotent-replayed": "true" });
      }
      const reply = route(request.method, url.pathname, params);
      // Stripe stores the first answer (success or 4xx) under the key and replays it.
      if (idempotencyKey && request.method === "POST") replies.set(idempotencyKey, { fingerprint, ...reply });
      if (failure === "lost") throw new TypeError("fake Stripe: connection reset after the request was handled");
      return json(reply.status, reply.body);
    },
  };
}

/** Installs a fresh fake as the SDK's HTTP client for every StripeProvider built from now on. */
export function installFakeStripe(): FakeStripe {
  const fake = createFakeStripe();
  useStripeHttpClient(Stripe.createFetchHttpClient(fake.fetch));
  return fake;
}

/** Puts the SDK's real fetch client back. */
export function uninstallFakeStripe(): void {
  useStripeHttpClient(Stripe.createFetchHttpClient());
}

export const FAKE_STRIPE_KEY = "sk_test_fake";

/**
 * The Worker's env with Stripe configured, for calling checkout() and the
 * payments consumer directly. PAYMENTS records the jobs instead of sending
 * them: the pool's global env has no key, so Miniflare's own consumer cannot
 * charge a "stripe" order (it retries, then dead-letters it as payment_failed)
 * and would race the test.
 */
export function stripeEnv(): { env: Env; jobs: unknown[]; sendOptions: Array<QueueSendOptions | undefined> } {
  return capturingEnv({ STRIPE_SECRET_KEY: FAKE_STRIPE_KEY });
}

/** The same for the simulated provider: the test, not Miniflare, delivers the payment job. */
export function simulatedEnv(): { env: Env; jobs: unknown[]; sendOptions: Array<QueueSendOptions | undefined> } {
  return capturingEnv({});
}

function capturingEnv(overrides: Partial<Env>): { env: Env; jobs: unknown[]; sendOptions: Array<QueueSendOptions | undefined> } {
  const jobs: unknown[] = [];
  const sendOptions: Array<QueueSendOptions | undefined> = [];
  const payments = {
    async send(body: unknown, options?: QueueSendOptions) {
      jobs.push(structuredClone(body));
      sendOptions.push(options);
    },
    async sendBatch(messages: Iterable<{ body: unknown }>) {
      for (const m of messages) jobs.push(structuredClone(m.body));
    },
  };
  return { env: { ...env, ...overrides, PAYMENTS: payments as unknown as Env["PAYMENTS"] }, jobs, sendOptions };
}

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

/** A real Stripe-Signature header for the payload, as Stripe computes it. */
export function signStripePayload(payload: string, opts: { secret?: string; timestamp?: number } = {}): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: opts.secret ?? TEST_SECRETS.STRIPE_WEBHOOK_SECRET,
    ...(opts.timestamp !== undefined && { timestamp: opts.timestamp }),
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
}

function stripeError(status: number, error: Record<string, unknown>) {
  return { status, body: { error } };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "request-id": `req_${crypto.randomUUID().slice(0, 12)}`, ...headers },
  });
}

/** Decodes Stripe's form encoding one level deep: `metadata[orderId]=x` -> `{ metadata: { orderId: "x" } }`. */
function decodeForm(text: string): FormParams {
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
