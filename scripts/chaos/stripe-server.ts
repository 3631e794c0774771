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
 * Behaviour follows Stripe's documentation where money depends on it: an
 * idempotency key replays its first answer; a declined intent returns to
 * `requires_payment_method` and can still succeed; a succeeded intent cannot
 * be canceled; one refund per charge (`charge_already_refunded`).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import Stripe from "stripe";
import { rng, type Rng } from "./random.ts";
import { sleep } from "./runtime.ts";

export interface Intent {
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
  livemode: false;
}

export interface Refund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  payment_intent: string;
  status: "succeeded";
  metadata: Record<string, string>;
  created: number;
}

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

type Reply = { status: number; body: unknown };
type Kind = keyof typeof FAULTS;

export class FakeStripeServer {
  readonly intents = new Map<string, Intent>();
  readonly refunds: Refund[] = [];
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
  private serial = 0;
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
    if (ok) this.succeed(intent);
    else {
      Object.assign(intent, {
        status: "requires_payment_method",
        next_action: null,
        last_payment_error: { type: "card_error", code: "payment_intent_authentication_failure", message: "Authentication failed." },
      });
      this.emit("payment_intent.payment_failed", intent);
    }
  }

  /** The payment succeeds anyway, after a failed attempt (e.g. the bank approves on a second try). */
  succeedLate(intentId: string): void {
    const intent = this.intents.get(intentId);
    if (intent?.status === "requires_payment_method") this.succeed(intent);
  }

  /** Refunds of this intent answer 500 for `ms`: the refund meets an outage. */
  failRefundsOf(intentId: string, ms: number): void {
    this.refundOutage.set(intentId, Date.now() + ms);
  }

  private succeed(intent: Intent): void {
    Object.assign(intent, { status: "succeeded", amount_received: intent.amount, next_action: null });
    this.emit("payment_intent.succeeded", intent);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stripe.local");
    const method = req.method ?? "GET";
    const params = new URLSearchParams(method === "GET" ? url.search : body);
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

  private route(method: string, path: string, q: URLSearchParams): Reply {
    if (method === "POST" && path === "/v1/payment_intents") return this.create(q);
    if (method === "GET" && path === "/v1/payment_intents") return this.list(q);
    if (method === "GET" && path === "/v1/payment_intents/search") return this.search(q);
    if (method === "POST" && path === "/v1/refunds") return this.refund(q);
    if (method === "GET" && path === "/v1/refunds") {
      const data = this.refunds.filter((r) => r.payment_intent === q.get("payment_intent"));
      return { status: 200, body: { object: "list", url: "/v1/refunds", has_more: false, data } };
    }
    const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
    if (method === "POST" && cancel) return this.cancel(cancel[1]!);
    const read = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === "GET" && read) {
      const intent = this.intents.get(read[1]!);
      return intent ? { status: 200, body: intent } : missing(`No such payment_intent: '${read[1]}'`);
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` } } };
  }

  private create(q: URLSearchParams): Reply {
    const pm = q.get("payment_method") ?? "";
    if (!["pm_card_visa", "pm_card_mastercard", "pm_card_chargeDeclined", "pm_card_authenticationRequired"].includes(pm)) {
      return missing(`No such PaymentMethod: '${pm}'`);
    }
    const id = this.id("pi");
    const metadata: Record<string, string> = {};
    for (const [k, v] of q) if (k.startsWith("metadata[")) metadata[k.slice(9, -1)] = v;
    const intent: Intent = {
      id,
      object: "payment_intent",
      amount: Number(q.get("amount")),
      amount_received: 0,
      currency: q.get("currency") ?? "usd",
      status: "requires_confirmation",
      client_secret: `${id}_secret_${randomUUID().slice(0, 8)}`,
      metadata,
      payment_method: pm,
      last_payment_error: null,
      cancellation_reason: null,
      next_action: null,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
    };
    this.intents.set(id, intent);
    if (q.get("confirm") !== "true") return { status: 200, body: intent };
    if (pm === "pm_card_chargeDeclined") {
      const error = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
      Object.assign(intent, { status: "requires_payment_method", last_payment_error: error });
      this.emit("payment_intent.payment_failed", intent);
      return { status: 402, body: { error: { ...error, payment_intent: intent } } };
    }
    if (pm === "pm_card_authenticationRequired") {
      Object.assign(intent, { status: "requires_action", next_action: { type: "use_stripe_sdk" } });
      this.emit("payment_intent.requires_action", intent);
      return { status: 200, body: intent };
    }
    this.succeed(intent);
    return { status: 200, body: intent };
  }

  private list(q: URLSearchParams): Reply {
    const gte = Number(q.get("created[gte]") ?? Number.NEGATIVE_INFINITY);
    const limit = Math.min(100, Math.max(1, Number(q.get("limit") ?? 10)));
    const all = [...this.intents.values()].reverse().filter((i) => i.created >= gte);
    const after = q.get("starting_after");
    const from = after ? all.findIndex((i) => i.id === after) + 1 : 0;
    if (after && from === 0) return missing(`No such payment_intent: '${after}'`);
    const data = all.slice(from, from + limit);
    return { status: 200, body: { object: "list", url: "/v1/payment_intents", has_more: from + limit < all.length, data } };
  }

  /** `metadata['orderId']:'ord_x'`, optionally `AND metadata['attempt']:'2'`: the queries the Worker makes. */
  private search(q: URLSearchParams): Reply {
    const clauses = (q.get("query") ?? "").split(" AND ").map((c) => /^metadata\['([A-Za-z]+)'\]:'([^']*)'$/.exec(c.trim()));
    if (clauses.length === 0 || clauses.some((m) => m === null)) {
      return { status: 400, body: { error: { type: "invalid_request_error", message: "unsupported search query" } } };
    }
    const data = [...this.intents.values()].filter((i) => clauses.every((m) => i.metadata[m![1]!] === m![2])).reverse();
    return { status: 200, body: { object: "search_result", url: "/v1/payment_intents/search", has_more: false, next_page: null, data } };
  }

  private refund(q: URLSearchParams): Reply {
    const intent = this.intents.get(q.get("payment_intent") ?? "");
    if (!intent) return missing(`No such payment_intent: '${q.get("payment_intent")}'`);
    if ((this.refundOutage.get(intent.id) ?? 0) > Date.now()) {
      this.faults.refund_outage = (this.faults.refund_outage ?? 0) + 1;
      return { status: 500, body: { error: { type: "api_error", message: "fake Stripe: refunds unavailable" } } };
    }
    if (intent.status !== "succeeded") {
      return {
        status: 400,
        body: { error: { type: "invalid_request_error", code: "charge_not_refundable", message: "No successful charge to refund." } },
      };
    }
    if (this.refunds.some((r) => r.payment_intent === intent.id)) {
      return {
        status: 400,
        body: { error: { type: "invalid_request_error", code: "charge_already_refunded", message: "Charge has already been refunded." } },
      };
    }
    const metadata: Record<string, string> = {};
    for (const [k, v] of q) if (k.startsWith("metadata[")) metadata[k.slice(9, -1)] = v;
    const refund: Refund = {
      id: this.id("re"),
      object: "refund",
      amount: intent.amount,
      currency: intent.currency,
      payment_intent: intent.id,
      status: "succeeded",
      metadata,
      created: Math.floor(Date.now() / 1000),
    };
    this.refunds.push(refund);
    return { status: 200, body: refund };
  }

  private cancel(id: string): Reply {
    const intent = this.intents.get(id);
    if (!intent) return missing(`No such payment_intent: '${id}'`);
    if (!["requires_payment_method", "requires_confirmation", "requires_action", "processing"].includes(intent.status)) {
      return {
        status: 400,
        body: {
          error: {
            type: "invalid_request_error",
            code: "payment_intent_unexpected_state",
            message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
          },
        },
      };
    }
    Object.assign(intent, { status: "canceled", cancellation_reason: "requested_by_customer", next_action: null });
    this.emit("payment_intent.canceled", intent);
    return { status: 200, body: intent };
  }

  /** Queues the event 1-3 times, each copy after its own random delay: duplicated and reordered. */
  private emit(type: string, intent: Intent): void {
    const event = {
      id: this.id("evt"),
      object: "event",
      api_version: "2025-10-29.clover",
      created: Math.floor(Date.now() / 1000),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: structuredClone(intent) },
    };
    const payload = JSON.stringify(event);
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

  private id(prefix: string): string {
    return `${prefix}_chaos${String(++this.serial).padStart(6, "0")}`;
  }
}

function missing(message: string): Reply {
  return { status: 400, body: { error: { type: "invalid_request_error", code: "resource_missing", message } } };
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { "content-type": "application/json", "request-id": `req_${randomUUID().slice(0, 12)}` });
  res.end(JSON.stringify(reply.body));
}
