import fc from "fast-check";
import { TEST_SECRETS } from "../secrets";
import type { FuzzRequest, Operation, Sent } from "./api";

/**
 * Stripe webhook requests. /openapi.json documents only the Stripe-Signature
 * header (the body is Stripe's), so events are built here, signed the way
 * Stripe signs them (`generateTestHeaderStringAsync`, at send time).
 *
 * spec §6: a signed event of an unexpected shape is answered 400 or
 * acknowledged and ignored; it never changes state and never yields a 5xx.
 * Issue 7: events act only when intent id, amount and currency match the order.
 */

export interface WebhookTargets {
  /** An order awaiting 3-D Secure: intent `pi_sim_<orderId>`, `amount`, usd. */
  pendingOrder: string;
  pendingAmount: number;
  /** A paid order. */
  paidOrder: string;
}

const OURS = TEST_SECRETS.STRIPE_WEBHOOK_SECRET;
const now = () => Math.floor(Date.now() / 1000);

function event(type: unknown, object: unknown, extra: Record<string, unknown> = {}) {
  return {
    id: `evt_fuzz${crypto.randomUUID().replaceAll("-", "")}`,
    object: "event",
    api_version: "2025-10-29.clover",
    created: now(),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
    ...extra,
  };
}

function intent(orderId: unknown, patch: Record<string, unknown> = {}) {
  return {
    id: typeof orderId === "string" ? `pi_sim_${orderId}` : "pi_sim_x",
    object: "payment_intent",
    amount: 1000,
    currency: "usd",
    status: "succeeded",
    metadata: { orderId },
    ...patch,
  };
}

const signedJson = (op: Operation, payload: unknown, extra: Partial<FuzzRequest>): FuzzRequest => ({
  op,
  path: {},
  query: [],
  headers: {},
  auth: { kind: "none" },
  body: { raw: JSON.stringify(payload) },
  stripeSign: { secret: OURS },
  ...extra,
});

/** Acknowledged without effect (200 ignored/duplicate) or refused (400). */
const ignoredOrRefused = (s: Sent): string | null => {
  if (s.status === 400) return null;
  const outcome = (s.json as { outcome?: unknown } | undefined)?.outcome;
  return s.status === 200 && (outcome === "ignored" || outcome === "duplicate")
    ? null
    : `webhook-not-ignored:${s.status}:${String(outcome)}`;
};

const acknowledged = (s: Sent): string | null => {
  const outcome = (s.json as { outcome?: unknown } | undefined)?.outcome;
  return s.status === 200 && (outcome === "ignored" || outcome === "duplicate")
    ? null
    : `webhook-not-acknowledged:${s.status}:${String(outcome)}`;
};

/** Well-formed, correctly signed events the service has no business acting on: 200, ignored. */
export function validWebhooks(op: Operation): fc.Arbitrary<FuzzRequest> {
  const types = fc.constantFrom(
    "customer.created",
    "charge.succeeded",
    "invoice.paid",
    "payment_intent.created",
    "payment_intent.processing",
  );
  return fc.oneof(
    types.map((t) => signedJson(op, event(t, { id: "obj_1", object: "thing" }), { check: acknowledged })),
    fc
      .constantFrom("payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled")
      .map((t) => signedJson(op, event(t, intent(undefined, { metadata: {} })), { check: acknowledged })),
  );
}

/** Signature failures and signed malformed or mismatched events. */
export function invalidWebhooks(op: Operation, t: WebhookTargets): fc.Arbitrary<FuzzRequest> {
  const good = () => event("payment_intent.succeeded", intent(t.pendingOrder, { amount: t.pendingAmount }));
  const sig = (mutation: string, stripeSign: FuzzRequest["stripeSign"] | undefined, headers: Record<string, string> = {}): FuzzRequest => ({
    op,
    path: {},
    query: [],
    headers,
    auth: { kind: "none" },
    body: { raw: JSON.stringify(good()) },
    ...(stripeSign && { stripeSign }),
    mutation: `webhook.signature.${mutation}`,
    expect: [400],
  });
  const signature = fc.constantFrom(
    sig("missing", undefined),
    sig("empty", undefined, { "stripe-signature": "" }),
    sig("garbage", undefined, { "stripe-signature": "t=1,v1=deadbeef" }),
    sig("v0-only", undefined, { "stripe-signature": `t=${now()},v0=${"0".repeat(64)}` }),
    sig("too-long", undefined, { "stripe-signature": `t=${now()},v1=${"a".repeat(2100)}` }),
    sig("other-secret", { secret: "whsec_not_ours" }),
    sig("expired", { secret: OURS, timestamp: now() - 600 }),
    sig("tampered-body", { secret: OURS, tamper: (p) => p.replace('"livemode":false', '"livemode":true') }),
  );

  const malformed = (label: string, payload: string): FuzzRequest => ({
    op,
    path: {},
    query: [],
    headers: {},
    auth: { kind: "none" },
    body: { raw: payload },
    stripeSign: { secret: OURS },
    mutation: `webhook.malformed.${label}`,
    expect: [200, 400],
    check: ignoredOrRefused,
  });
  const j = (label: string, v: unknown) => malformed(label, JSON.stringify(v));
  const e = good();
  const { data: _data, ...noData } = e;
  const { type: _type, ...noType } = e;
  const { id: _id, ...noId } = e;
  const shapes = fc.constantFrom(
    j("empty-object", {}),
    j("array", []),
    j("null", null),
    j("number", 42),
    j("string", "evt"),
    malformed("not-json", "not json"),
    malformed("empty", ""),
    j("no-data", noData),
    j("no-type", noType),
    j("no-id", noId),
    j("id-number", { ...e, id: 42 }),
    j("type-number", { ...e, type: 42 }),
    j("type-null", { ...e, type: null }),
    j("type-object", { ...e, type: { startsWith: "payment_intent." } }),
    j("data-null", { ...e, data: null }),
    j("data-array", { ...e, data: [] }),
    j("object-null", { ...e, data: { object: null } }),
    j("object-array", { ...e, data: { object: [] } }),
    j("object-string", { ...e, data: { object: "pi_1" } }),
    j("metadata-null", event("payment_intent.succeeded", { ...intent(t.pendingOrder), metadata: null })),
    j("metadata-array", event("payment_intent.succeeded", { ...intent(t.pendingOrder), metadata: [] })),
    j("orderId-number", event("payment_intent.succeeded", intent(42))),
    j("orderId-object", event("payment_intent.succeeded", intent({ $ne: null }))),
    j("orderId-not-an-order-id", event("payment_intent.succeeded", intent("../../v1/orders"))),
    j("orderId-lone-surrogate", event("payment_intent.succeeded", intent("ord_\ud800"))),
    j(
      "failed-error-string",
      event("payment_intent.payment_failed", intent(t.pendingOrder, { id: "pi_other", last_payment_error: "boom" })),
    ),
    j(
      "canceled-reason-object",
      event("payment_intent.canceled", intent(t.pendingOrder, { id: "pi_other", cancellation_reason: { x: 1 } })),
    ),
    j("intent-id-number", event("payment_intent.succeeded", intent(t.pendingOrder, { id: 7 }))),
    j(
      "requires-action-secret-number",
      event("payment_intent.requires_action", intent(t.pendingOrder, { id: "pi_other", client_secret: 5 })),
    ),
    malformed("huge-string", JSON.stringify({ ...e, pad: "x".repeat(200_000) })),
    malformed(
      "deeply-nested",
      `{"id":"evt_deep","type":"payment_intent.succeeded","data":{"object":${"[".repeat(5000)}${"]".repeat(5000)}}}`,
    ),
  );
  const tooBig: FuzzRequest = {
    ...malformed("over-512KiB", JSON.stringify({ ...e, pad: "x".repeat(600 * 1024) })),
    expect: [413],
    check: undefined,
  };

  // Well-formed, signed, but not about this order's payment: acknowledged, never applied.
  const mismatch = (label: string, v: unknown): FuzzRequest => ({
    ...j(label, v),
    mutation: `webhook.mismatch.${label}`,
    expect: [200, 400],
    check: ignoredOrRefused,
  });
  const mismatches = fc.constantFrom(
    mismatch("unknown-order", event("payment_intent.succeeded", intent("ord_0123456789abcdef01234567"))),
    mismatch("other-intent", event("payment_intent.succeeded", intent(t.pendingOrder, { id: "pi_someone_else", amount: t.pendingAmount }))),
    mismatch("wrong-amount", event("payment_intent.succeeded", intent(t.pendingOrder, { amount: 1 }))),
    mismatch("wrong-currency", event("payment_intent.succeeded", intent(t.pendingOrder, { amount: t.pendingAmount, currency: "jpy" }))),
    mismatch(
      "failed-other-intent",
      event("payment_intent.payment_failed", intent(t.pendingOrder, { id: "pi_someone_else", status: "requires_payment_method" })),
    ),
    mismatch(
      "canceled-other-intent",
      event("payment_intent.canceled", intent(t.pendingOrder, { id: "pi_someone_else", status: "canceled" })),
    ),
    mismatch("failed-after-paid", event("payment_intent.payment_failed", intent(t.paidOrder, { status: "requires_payment_method" }))),
    mismatch("canceled-after-paid", event("payment_intent.canceled", intent(t.paidOrder, { status: "canceled" }))),
  );
  return fc.oneof(
    { weight: 3, arbitrary: signature },
    { weight: 5, arbitrary: shapes },
    { weight: 3, arbitrary: mismatches },
    { weight: 1, arbitrary: fc.constant(tooBig) },
  );
}

/** Random bytes and shapes signed correctly: the parser's robustness. */
export function randomSignedWebhooks(op: Operation): fc.Arbitrary<FuzzRequest> {
  return fc
    .oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200, unit: "binary" }),
    )
    .map((raw) => ({
      op,
      path: {},
      query: [],
      headers: {},
      auth: { kind: "none" },
      body: { raw },
      stripeSign: { secret: OURS },
      mutation: "webhook.malformed.random",
      expect: [200, 400],
      check: ignoredOrRefused,
    }));
}
