import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { useStripeHttpClient } from "../../src/payments/stripe";
import {
  decodeForm,
  FakeAccount,
  routeStripe,
  type FakeCharge,
  type FakeEvent,
  type FakeIntent,
  type FakeRefund,
  type FormParams,
} from "./fake-stripe-account";
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

export type { FakeCharge, FakeEvent, FakeIntent, FakeRefund, FormParams } from "./fake-stripe-account";
export { stripeEvent } from "./fake-stripe-account";

export interface FakeRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: FormParams;
}

/** "500": Stripe answers 500; "network": the connection fails; "lost": Stripe handles the request but the answer never arrives. */
type Injected = "500" | "network" | "lost";

/** Stripe prunes an idempotency key once it is at least 24 hours old (docs.stripe.com/api/idempotent_requests). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface FakeStripe {
  readonly requests: FakeRequest[];
  readonly intents: Map<string, FakeIntent>;
  readonly charges: Map<string, FakeCharge>;
  readonly refunds: FakeRefund[];
  /** Every event the account emitted, in order (deliver them with test/support/stripe-deliveries.ts). */
  readonly events: FakeEvent[];
  /** PaymentIntents actually created (idempotent replays do not count). */
  intentsCreated(): number;
  /** The next requests fail like an outage, one failure per request, in order. */
  failNext(...failures: Injected[]): void;
  /** Requests that match are handled only once the returned release is called: a charge that takes as long as the test says. */
  stall(matches: (request: FakeRequest) => boolean): () => void;
  /** The customer completed 3-D Secure: the intent succeeds. */
  completeAction(intentId: string): FakeIntent;
  /** The customer failed 3-D Secure: the intent goes back to requires_payment_method, confirmable again. */
  failAction(intentId: string): FakeIntent;
  /** Moves the fake's clock on: idempotency keys older than 24 h are forgotten. */
  elapse(ms: number): void;
  /** As if a day had passed for every idempotency key. */
  forgetIdempotencyKeys(): void;
  /** A refund made in Stripe's dashboard, of the whole charge or `amount` of it (emits charge.refunded). */
  refundFromDashboard(intentId: string, amount?: number): FakeRefund;
  /** A dispute opened by the cardholder (emits charge.dispute.created). */
  dispute(intentId: string): FakeCharge;
  /** The bank decides the charge's dispute (emits charge.dispute.closed with status won or lost). */
  closeDispute(intentId: string, status: "won" | "lost"): FakeCharge;
  fetch(url: string | URL | Request, init?: RequestInit): Promise<Response>;
}

export function createFakeStripe(): FakeStripe {
  const requests: FakeRequest[] = [];
  let offsetMs = 0;
  const nowMs = () => Date.now() + offsetMs;
  const account = new FakeAccount(() => Math.floor(nowMs() / 1000));
  /** The first answer under each key, serialized as it was sent: a replay is that text, not today's object. */
  const replies = new Map<string, { fingerprint: string; status: number; text: string; atMs: number }>();
  const injected: Injected[] = [];
  const stalls: Array<{ matches: (request: FakeRequest) => boolean; released: Promise<void> }> = [];

  function intent(id: string): FakeIntent {
    const found = account.intents.get(id);
    if (!found) throw new Error(`fake Stripe: no intent ${id}`);
    return found;
  }

  return {
    requests,
    intents: account.intents,
    charges: account.charges,
    refunds: account.refunds,
    events: account.events,
    intentsCreated: () => account.intents.size,
    elapse: (ms) => {
      offsetMs += ms;
    },
    forgetIdempotencyKeys: () => {
      offsetMs += IDEMPOTENCY_KEY_TTL_MS;
    },
    failNext: (...failures) => injected.push(...failures),
    stall: (matches) => {
      let release = () => {};
      stalls.push({ matches, released: new Promise<void>((resolve) => (release = resolve)) });
      return release;
    },
    completeAction: (intentId) => account.succeed(intent(intentId)),
    failAction: (intentId) => account.failAuthentication(intent(intentId)),
    refundFromDashboard: (intentId, amount) => account.refundFromDashboard(intentId, amount),
    dispute: (intentId) => account.dispute(intentId),
    closeDispute: (intentId, status) => account.closeDispute(intentId, status),
    async fetch(input, init) {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const body = request.method === "GET" ? "" : new TextDecoder().decode(await request.arrayBuffer());
      const params = decodeForm(request.method === "GET" ? url.search.slice(1) : body);
      const idempotencyKey = request.headers.get("idempotency-key");
      const seen = { method: request.method, path: url.pathname, idempotencyKey, params };
      requests.push(seen);
      for (const s of stalls) if (s.matches(seen)) await s.released;

      const failure = injected.shift();
      if (failure === "network") throw new TypeError("fake Stripe: connection reset");
      if (failure === "500") return json(500, { error: { type: "api_error", message: "fake Stripe: internal error" } });
      if (url.hostname !== "api.stripe.com")
        return json(400, { error: { type: "invalid_request_error", message: `unexpected host ${url.hostname}` } });
      if (!/^Bearer sk_test_\w+$/.test(request.headers.get("authorization") ?? "")) {
        return json(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
      }

      const fingerprint = `${request.method} ${url.pathname} ${body}`;
      const keyed = idempotencyKey !== null && request.method === "POST";
      if (keyed) {
        const prior = replies.get(idempotencyKey);
        if (prior && nowMs() - prior.atMs >= IDEMPOTENCY_KEY_TTL_MS) replies.delete(idempotencyKey);
        else if (prior && prior.fingerprint !== fingerprint) {
          return json(400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with.`,
            },
          });
        } else if (prior) return text(prior.status, prior.text, { "idempotent-replayed": "true" });
      }
      const reply = routeStripe(account, request.method, url.pathname, params);
      const sent = JSON.stringify(reply.body);
      // Stripe stores the first answer (success or error) under the key and replays exactly that.
      if (keyed) replies.set(idempotencyKey, { fingerprint, status: reply.status, text: sent, atMs: nowMs() });
      if (failure === "lost") throw new TypeError("fake Stripe: connection reset after the request was handled");
      return text(reply.status, sent);
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

/** A real Stripe-Signature header for the payload, as Stripe computes it. */
export function signStripePayload(payload: string, opts: { secret?: string; timestamp?: number } = {}): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: opts.secret ?? TEST_SECRETS.STRIPE_WEBHOOK_SECRET,
    ...(opts.timestamp !== undefined && { timestamp: opts.timestamp }),
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
}

function json(status: number, body: unknown): Response {
  return text(status, JSON.stringify(body));
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "application/json", "request-id": `req_${crypto.randomUUID().slice(0, 12)}`, ...headers },
  });
}
