/**
 * The Stripe that `npm run chaos` charges through: a small HTTP server on
 * 127.0.0.1 implementing the few endpoints the Worker calls, reached by the
 * Worker's real Stripe SDK (STRIPE_API_BASE sets the SDK's host, port and
 * protocol). It lives in the chaos process, so it survives the runtime's
 * kills and keeps the provider's ledger: every intent and every refund, which
 * the money audit (money-audit.ts) compares with the orders.
 *
 * It injects, from the run's seed: 500s before a request is handled, lost
 * responses (handled, then the connection drops), and answers slower than
 * the SDK's 10 s timeout, around charges and refunds; and it delivers
 * signed webhooks (payment_intent.*) late, duplicated and out of order,
 * redelivering until the Worker answers 2xx, as Stripe does.
 *
 * The account behind it is the tests' fake account
 * (test/support/fake-stripe-account.ts), whose rules follow Stripe's
 * documentation where money depends on it (a declined intent returns to
 * `requires_payment_method` and can still succeed; a succeeded intent cannot
 * be canceled; never a refund beyond what the charge collected). This file
 * adds what the network does: an idempotency key replays its first answer,
 * the faults above, and the webhooks' delivery.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import Stripe from "stripe";
import {
  decodeForm,
  FakeAccount,
  routeStripe,
  stripeError,
  stripeEvent,
  type FakeEvent,
  type FormParams,
  type Reply,
} from "../../test/support/fake-stripe-account.ts";
import { rng, type Rng } from "./random.ts";
import { sleep } from "./runtime.ts";

/**
 * The events the Worker acts on that the chaos run delivers: the intent's
 * outcomes. The account's others (payment_intent.created, charge.refunded
 * for the Worker's own refunds) are not sent, as before the account was shared.
 */
const DELIVERED: ReadonlySet<string> = new Set([
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.requires_action",
  "payment_intent.canceled",
]);

/** Fault rates per request kind, each drawn once per request. */
const FAULTS = {
  charge: { fail500: 0.06, lost: 0.05, slow: 0.01 },
  refund: { fail500: 0.12, lost: 0.06, slow: 0.01 },
  other: { fail500: 0.03, lost: 0.02, slow: 0 },
} as const;
/** Longer than the SDK's 10 s timeout: the answer comes after the client gave up. */
const SLOW_MS = 11_000;
/** Each event goes out this many times (Stripe's at-least-once delivery), each after its own delay (reordering). */
const COPIES_MAX = 3;
const DELIVERY_DELAY_MAX_MS = 4_000;
const REDELIVERY_MS = 1_500;

type Kind = keyof typeof FAULTS;

export class FakeStripeServer {
  private readonly account = new FakeAccount(() => Math.floor(Date.now() / 1000));
  /** Every intent the account created, and its refunds (the money audit reads both). */
  readonly intents = this.account.intents;
  readonly refunds = this.account.refunds;
  readonly faults: Record<string, number> = {};
  webhooks = { sent: 0, delivered: 0, failedAttempts: 0, pending: 0 };
  /** The Worker's origin for webhooks, and the secret they are signed with (deliverTo). */
  private target = "";
  private webhookSecret = "";
  private readonly replies = new Map<string, { fingerprint: string; reply: Reply }>();
  /** Intents whose refunds answer 500 until the given time: a refund that meets an outage. */
  private readonly refundOutage = new Map<string, number>();
  private readonly outbox: Array<{ payload: string; dueMs: number }> = [];
  private readonly r: Rng;
  private server: Server | null = null;
  /** How many of the account's events went to the outbox. */
  private queuedEvents = 0;
  private stopped = false;

  constructor(seed: number) {
    this.r = rng(seed, "stripe");
  }

  /** Webhooks go to this origin from now on (held until then), signed with this secret. */
  deliverTo(origin: string, webhookSecret: string): void {
    this.target = origin;
    this.webhookSecret = webhookSecret;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const addr = this.server.address();
    if (!addr || typeof addr !== "object") throw new Error("fake Stripe: no address");
    void this.deliverLoop();
    return `http://127.0.0.1:${addr.port}`;
  }

  stop(): void {
    this.stopped = true;
    this.server?.closeAllConnections();
    this.server?.close();
  }

  /** Webhooks not yet answered 2xx. */
  undelivered(): number {
    return this.outbox.length;
  }

  /** The shopper's 3-D Secure: succeeded (the money is taken) or failed (back to requires_payment_method). */
  authenticate(intentId: string, ok: boolean): void {
    const intent = this.intents.get(intentId);
    if (intent?.status !== "requires_action") return;
    if (ok) this.account.succeed(intent);
    else this.account.failAuthentication(intent);
    this.queueEvents();
  }

  /** The payment succeeds anyway, after a failed attempt (e.g. the bank approves on a second try). */
  succeedLate(intentId: string): void {
    const intent = this.intents.get(intentId);
    if (intent?.status !== "requires_payment_method") return;
    this.account.succeed(intent);
    this.queueEvents();
  }

  /** Refunds of this intent answer 500 for `ms`: the refund meets an outage. */
  failRefundsOf(intentId: string, ms: number): void {
    this.refundOutage.set(intentId, Date.now() + ms);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stripe.local");
    const method = req.method ?? "GET";
    const params = decodeForm(method === "GET" ? url.search.slice(1) : body);
    const kind: Kind =
      method === "POST" && url.pathname === "/v1/payment_intents"
        ? "charge"
        : method === "POST" && url.pathname === "/v1/refunds"
          ? "refund"
          : "other";
    const f = FAULTS[kind];
    const p = this.r.next();
    const fault = p < f.fail500 ? "500" : p < f.fail500 + f.lost ? "lost" : p < f.fail500 + f.lost + f.slow ? "slow" : null;
    if (fault) this.faults[`${kind}_${fault}`] = (this.faults[`${kind}_${fault}`] ?? 0) + 1;
    if (fault === "500") return send(res, { status: 500, body: { error: { type: "api_error", message: "fake Stripe: internal error" } } });
    if (!/^Bearer sk_test_\w+$/.test(req.headers.authorization ?? "")) {
      return send(res, { status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided." } } });
    }
    const key = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
    const fingerprint = `${method} ${url.pathname} ${body}`;
    let reply: Reply;
    const prior = key && method === "POST" ? this.replies.get(key) : undefined;
    if (prior && prior.fingerprint !== fingerprint) {
      reply = {
        status: 400,
        body: { error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters." } },
      };
    } else if (prior) {
      reply = prior.reply;
    } else {
      reply = this.route(method, url.pathname, params);
      // Stripe stores the first answer (success or 4xx, not 5xx) under the key and replays it.
      if (key && method === "POST" && reply.status < 500) this.replies.set(key, { fingerprint, reply });
    }
    if (fault === "lost") return void res.socket?.destroy();
    if (fault === "slow") await sleep(SLOW_MS);
    send(res, reply);
  }

  private route(method: string, path: string, params: FormParams): Reply {
    const outage = method === "POST" && path === "/v1/refunds" && (this.refundOutage.get(String(params.payment_intent)) ?? 0) > Date.now();
    if (outage) {
      this.faults.refund_outage = (this.faults.refund_outage ?? 0) + 1;
      return stripeError(500, { type: "api_error", message: "fake Stripe: refunds unavailable" });
    }
    const reply = routeStripe(this.account, method, path, params);
    this.queueEvents();
    return reply;
  }

  /** The account's new events, those the run delivers, go to the outbox. */
  private queueEvents(): void {
    const fresh = this.account.events.slice(this.queuedEvents);
    this.queuedEvents = this.account.events.length;
    for (const e of fresh) if (DELIVERED.has(e.type)) this.emit(e);
  }

  /** Queues the event 1-3 times, each copy after its own random delay: duplicated and reordered. */
  private emit(e: FakeEvent): void {
    const payload = JSON.stringify(stripeEvent(e.type, e.object, e.id));
    const copies = this.r.int(1, COPIES_MAX);
    this.webhooks.sent += copies;
    for (let i = 0; i < copies; i++) this.outbox.push({ payload, dueMs: Date.now() + this.r.int(0, DELIVERY_DELAY_MAX_MS) });
  }

  /** Delivers due webhooks; a copy not answered 2xx comes back later, as Stripe retries. */
  private async deliverLoop(): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      const due = this.outbox.filter((d) => d.dueMs <= now).slice(0, 16);
      await Promise.all(
        due.map(async (d) => {
          d.dueMs = Number.POSITIVE_INFINITY;
          const ok = this.target !== "" && (await this.post(d.payload));
          if (ok) {
            this.webhooks.delivered++;
            this.outbox.splice(this.outbox.indexOf(d), 1);
          } else {
            this.webhooks.failedAttempts++;
            d.dueMs = Date.now() + REDELIVERY_MS;
          }
        }),
      );
      this.webhooks.pending = this.outbox.length;
      await sleep(100);
    }
  }

  private async post(payload: string): Promise<boolean> {
    try {
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: this.webhookSecret });
      const res = await fetch(`${this.target}/v1/webhooks/stripe`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { "content-type": "application/json", "request-id": `req_${randomUUID().slice(0, 12)}` });
  res.end(JSON.stringify(reply.body));
}
