import {
  invalid,
  missing,
  ok,
  stripeError,
  unexpectedState,
  type FakeCharge,
  type FakeEvent,
  type FakeIntent,
  type FakeRefund,
  type FormParams,
  type Reply,
} from "./fake-stripe-objects.ts";

export type { FakeCharge, FakeEvent, FakeIntent, FakeRefund, FormParams, Reply } from "./fake-stripe-objects.ts";
export { decodeForm, stripeError, stripeEvent } from "./fake-stripe-objects.ts";

/**
 * The objects of the fake Stripe account and the rules that move them, each
 * from Stripe's documentation (cited where it matters to money):
 *
 * - A confirmation that fails puts the intent back in `requires_payment_method`;
 *   it can be confirmed again (POST /v1/payment_intents/:id/confirm), so an
 *   old attempt may still succeed (docs.stripe.com/payments/paymentintents/lifecycle).
 * - An intent can be canceled only in requires_payment_method,
 *   requires_capture, requires_confirmation, requires_action or processing;
 *   cancelling a succeeded one is `payment_intent_unexpected_state`
 *   (docs.stripe.com/api/payment_intents/cancel).
 * - A succeeded intent has one charge (`latest_charge`); refunds are made
 *   against that charge, partially or fully, never beyond what it collected
 *   (docs.stripe.com/api/refunds/create).
 * - Search (docs.stripe.com/api/payment_intents/search) answers
 *   `metadata['key']:'value'` and `status:'value'` clauses joined by AND.
 * - Every state change emits the event Stripe would send (events.ts of the
 *   fake: delivered by test/support/stripe-deliveries.ts, redelivered,
 *   reordered and duplicated as Stripe does).
 *
 * One model for the tests' fake (./fake-stripe.ts, inside workerd) and the
 * chaos run's Stripe server (scripts/chaos/stripe-server.ts, in Node): so
 * this file and ./fake-stripe-objects.ts import nothing else at run time,
 * name each other with the `.ts` Node resolves, and use only syntax Node's
 * type stripping runs (no parameter properties, enums or namespaces).
 */

/** Stripe's largest amount (eight digits) and smallest charge in USD (50 cents). */
const MAX_AMOUNT = 99_999_999;
const MIN_AMOUNT = 50;
const KNOWN_METHODS = ["pm_card_visa", "pm_card_mastercard", "pm_card_chargeDeclined", "pm_card_authenticationRequired"];
const CANCELABLE: readonly string[] = [
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
  "processing",
];
const CONFIRMABLE: readonly string[] = ["requires_payment_method", "requires_confirmation", "requires_action"];

export class FakeAccount {
  readonly intents = new Map<string, FakeIntent>();
  readonly charges = new Map<string, FakeCharge>();
  readonly refunds: FakeRefund[] = [];
  /** Every event the account emitted, in the order it happened. */
  readonly events: FakeEvent[] = [];
  private serial = 0;
  private readonly nowSeconds: () => number;

  // No parameter properties: Node runs this file as it is (type stripping only), for the chaos run's Stripe.
  constructor(nowSeconds: () => number) {
    this.nowSeconds = nowSeconds;
  }

  nextId(prefix: string): string {
    return `${prefix}_fake${String(++this.serial).padStart(6, "0")}${crypto.randomUUID().slice(0, 8)}`;
  }

  createIntent(params: FormParams): Reply {
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount > MAX_AMOUNT) {
      return invalid("amount_too_large", "amount", `Amount must be no more than $999,999.99`);
    }
    if (amount < MIN_AMOUNT) return invalid("amount_too_small", "amount", "Amount must be at least $0.50 usd");
    const pm = String(params.payment_method ?? "");
    if (!KNOWN_METHODS.includes(pm)) return invalid("resource_missing", "payment_method", `No such PaymentMethod: '${pm}'`);
    const id = this.nextId("pi");
    const intent: FakeIntent = {
      id,
      object: "payment_intent",
      amount,
      amount_received: 0,
      currency: String(params.currency),
      status: "requires_confirmation",
      client_secret: `${id}_secret_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`,
      metadata: typeof params.metadata === "object" ? { ...params.metadata } : {},
      payment_method: pm,
      last_payment_error: null,
      cancellation_reason: null,
      next_action: null,
      latest_charge: null,
      created: this.nowSeconds(),
      livemode: false,
    };
    this.intents.set(id, intent);
    this.emit("payment_intent.created", intent);
    return params.confirm === "true" ? this.confirm(id, {}) : ok(intent);
  }

  /** Confirms with the intent's payment method, or the one given. */
  confirm(id: string, params: FormParams): Reply {
    const intent = this.intents.get(id);
    if (!intent) return missing("payment_intent", id);
    if (!CONFIRMABLE.includes(intent.status)) {
      return unexpectedState(intent, `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`);
    }
    if (typeof params.payment_method === "string") {
      if (!KNOWN_METHODS.includes(params.payment_method)) {
        return invalid("resource_missing", "payment_method", `No such PaymentMethod: '${params.payment_method}'`);
      }
      intent.payment_method = params.payment_method;
    }
    if (intent.payment_method === "pm_card_chargeDeclined") {
      const lastError = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
      Object.assign(intent, { status: "requires_payment_method", last_payment_error: lastError, next_action: null });
      this.emit("payment_intent.payment_failed", intent);
      return { status: 402, body: { error: { ...lastError, payment_intent: structuredClone(intent) } } };
    }
    if (intent.payment_method === "pm_card_authenticationRequired" && intent.status !== "requires_action") {
      Object.assign(intent, {
        status: "requires_action",
        last_payment_error: null,
        next_action: { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } },
      });
      this.emit("payment_intent.requires_action", intent);
      return ok(intent);
    }
    return ok(this.succeed(intent));
  }

  /** The intent collects its amount: one charge, the succeeded event. */
  succeed(intent: FakeIntent): FakeIntent {
    const charge: FakeCharge = {
      id: this.nextId("ch"),
      object: "charge",
      amount: intent.amount,
      amount_refunded: 0,
      refunded: false,
      currency: intent.currency,
      payment_intent: intent.id,
      metadata: { ...intent.metadata },
      disputed: false,
    };
    this.charges.set(charge.id, charge);
    Object.assign(intent, {
      status: "succeeded",
      amount_received: intent.amount,
      next_action: null,
      last_payment_error: null,
      latest_charge: charge.id,
    });
    this.emit("payment_intent.succeeded", intent);
    return intent;
  }

  /** 3-D Secure failed: back to requires_payment_method, confirmable again. */
  failAuthentication(intent: FakeIntent): FakeIntent {
    const lastError = {
      type: "card_error",
      code: "payment_intent_authentication_failure",
      message: "The provided PaymentMethod has failed authentication.",
    };
    Object.assign(intent, { status: "requires_payment_method", next_action: null, last_payment_error: lastError });
    this.emit("payment_intent.payment_failed", intent);
    return intent;
  }

  cancel(id: string): Reply {
    const intent = this.intents.get(id);
    if (!intent) return missing("payment_intent", id);
    if (!CANCELABLE.includes(intent.status)) {
      return unexpectedState(intent, `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`);
    }
    Object.assign(intent, { status: "canceled", cancellation_reason: "requested_by_customer", next_action: null });
    this.emit("payment_intent.canceled", intent);
    return ok(intent);
  }

  /** A refund of a charge (given, or the intent's latest); the whole remainder unless an amount is given. */
  refund(params: FormParams): Reply {
    let charge: FakeCharge | undefined;
    if (typeof params.charge === "string") {
      charge = this.charges.get(params.charge);
      if (!charge) return missing("charge", params.charge);
    } else {
      const intent = this.intents.get(String(params.payment_intent));
      if (!intent) return missing("payment_intent", String(params.payment_intent));
      charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
      if (!charge) {
        return invalid(
          "charge_not_refundable",
          "payment_intent",
          `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
        );
      }
    }
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining === 0) return invalid("charge_already_refunded", "charge", `Charge ${charge.id} has already been refunded.`);
    const amount = params.amount === undefined ? remaining : Number(params.amount);
    if (!Number.isInteger(amount) || amount <= 0 || amount > remaining) {
      return invalid("amount_too_large", "amount", `Refund amount is greater than unrefunded amount on charge (${remaining}).`);
    }
    const refund: FakeRefund = {
      id: this.nextId("re"),
      object: "refund",
      amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      status: "succeeded",
      reason: null,
      created: this.nowSeconds(),
    };
    this.refunds.push(refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit("charge.refunded", charge);
    return ok(refund);
  }

  /** A refund made in the dashboard: no request of ours, only its event. */
  refundFromDashboard(intentId: string, amount?: number): FakeRefund {
    const reply = this.refund({ payment_intent: intentId, ...(amount !== undefined && { amount: String(amount) }) });
    if (reply.status !== 200) throw new Error(`fake Stripe: dashboard refund of ${intentId} failed`);
    return reply.body as FakeRefund;
  }

  /** The cardholder disputes the charge (charge.dispute.created). */
  dispute(intentId: string): FakeCharge {
    return this.emitDispute(intentId, "charge.dispute.created", "needs_response");
  }

  /** The bank decides the dispute (charge.dispute.closed); a lost one withdraws the money. */
  closeDispute(intentId: string, status: "won" | "lost"): FakeCharge {
    return this.emitDispute(intentId, "charge.dispute.closed", status);
  }

  private emitDispute(intentId: string, type: string, status: string): FakeCharge {
    const charge = this.charges.get(this.intents.get(intentId)?.latest_charge ?? "");
    if (!charge) throw new Error(`fake Stripe: ${intentId} has no charge to dispute`);
    charge.disputed = true;
    // One dispute per charge, as at Stripe: its id is derived from the charge's.
    this.emit(type, {
      id: `dp_${charge.id}`,
      object: "dispute",
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      status,
      reason: "fraudulent",
    });
    return charge;
  }

  listRefunds(params: FormParams): Reply {
    const data = this.refunds.filter(
      (r) =>
        (params.payment_intent === undefined || r.payment_intent === params.payment_intent) &&
        (params.charge === undefined || r.charge === params.charge),
    );
    return ok({ object: "list", url: "/v1/refunds", has_more: false, data });
  }

  retrieve(id: string): Reply {
    const intent = this.intents.get(id);
    return intent ? ok(intent) : missing("payment_intent", id);
  }

  /** `metadata['k']:'v'` and `status:'v'` clauses joined by AND; anything else is refused as Stripe refuses a bad query. */
  search(params: FormParams): Reply {
    const query = String(params.query ?? "");
    const tests: Array<(i: FakeIntent) => boolean> = [];
    for (const clause of query.split(/\s+AND\s+/)) {
      const meta = /^metadata\['([^']+)'\]:'([^']*)'$/.exec(clause.trim());
      const status = /^status:'([^']*)'$/.exec(clause.trim());
      if (meta) tests.push((i) => i.metadata[meta[1]!] === meta[2]);
      else if (status) tests.push((i) => i.status === status[1]);
      else return invalid("parameter_invalid", "query", `fake Stripe cannot parse the search query: ${query}`);
    }
    const data = [...this.intents.values()].filter((i) => tests.every((t) => t(i))).sort((a, b) => b.created - a.created);
    return ok({ object: "search_result", url: "/v1/payment_intents/search", has_more: false, next_page: null, data });
  }

  /**
   * GET /v1/payment_intents as Stripe pages it: newest first, `created[gte]`,
   * `limit` (1-100, default 10), `starting_after` an id of the previous page, `has_more`.
   */
  list(params: FormParams): Reply {
    const created = typeof params.created === "object" ? params.created : {};
    const gte = created.gte === undefined ? Number.NEGATIVE_INFINITY : Number(created.gte);
    const limit = params.limit === undefined ? 10 : Number(params.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return invalid("parameter_invalid_integer", "limit", "Invalid integer: limit");
    // Insertion order breaks ties within a second, as Stripe's ids do.
    const newestFirst = [...this.intents.values()].reverse().filter((i) => i.created >= gte);
    let from = 0;
    if (typeof params.starting_after === "string") {
      from = newestFirst.findIndex((i) => i.id === params.starting_after) + 1;
      if (from === 0) return missing("payment_intent", params.starting_after);
    }
    const data = newestFirst.slice(from, from + limit);
    return ok({ object: "list", url: "/v1/payment_intents", has_more: from + limit < newestFirst.length, data });
  }

  private emit(type: string, object: object): void {
    this.events.push({ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, type, object: structuredClone(object) });
  }
}

/** Stripe's HTTP API over an account: the endpoints the Worker calls, answered as Stripe answers them. */
export function routeStripe(account: FakeAccount, method: string, path: string, params: FormParams): Reply {
  if (method === "POST" && path === "/v1/payment_intents") return account.createIntent(params);
  if (method === "POST" && path === "/v1/refunds") return account.refund(params);
  if (method === "GET" && path === "/v1/refunds") return account.listRefunds(params);
  if (method === "GET" && path === "/v1/payment_intents/search") return account.search(params);
  if (method === "GET" && path === "/v1/payment_intents") return account.list(params);
  const action = /^\/v1\/payment_intents\/([^/]+)\/(cancel|confirm)$/.exec(path);
  if (method === "POST" && action) return action[2] === "cancel" ? account.cancel(action[1]!) : account.confirm(action[1]!, params);
  const read = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
  if (method === "GET" && read) return account.retrieve(read[1]!);
  return stripeError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` });
}
