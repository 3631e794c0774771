import { createExecutionContext, createMessageBatch } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { checkout } from "../../src/orders/checkout";
import { handlePayments, PAYMENT_QUEUES } from "../../src/payments/consumer";
import {
  ADMIN,
  call,
  checkoutAs,
  createSku,
  expectProblem,
  getOrder,
  hold,
  levels,
  putSale,
  shopperToken,
  unique,
  waitForOrder,
  waitForStatus,
} from "../support/helpers";
import { TEST_SECRETS } from "../support/secrets";
import { installFakeStripe, signStripePayload, stripeEnv, stripeEvent, uninstallFakeStripe, type FakeStripe } from "../support/fake-stripe";

/**
 * Issue 7: nothing a client can send is a 500 or changes state it should not.
 * Each test here failed on the code before its fix.
 */

type Res = Awaited<ReturnType<typeof call>>;
const skuBody = { name: "Hardened", price: { amount: 1000, currency: "usd" } };
const raw = (path: string, method: string, body: string, contentType: string, auth: string) =>
  call(path, { method, rawBody: body, auth, headers: { "content-type": contentType } });
const row = (orderId: string) => env.DB.prepare("SELECT status, version FROM orders WHERE order_id = ?").bind(orderId).first();

describe("request bodies", () => {
  it("parses only application/json: +json and other types are 415 and change nothing", async () => {
    const sku = await createSku({ stock: 5 });
    const fresh = unique("fresh");
    const customer = unique("cust");
    const shopper = await shopperToken(customer);
    const before = await call(`/v1/skus/${sku}`, { auth: ADMIN });
    const refused: Res[] = [
      await raw(`/v1/skus/${sku}`, "PUT", JSON.stringify({ ...skuBody, name: "Patched" }), "application/json-patch+json", ADMIN),
      await raw(`/v1/skus/${fresh}`, "PUT", JSON.stringify(skuBody), "application/merge-patch+json", ADMIN),
      await raw(`/v1/skus/${fresh}`, "PUT", JSON.stringify(skuBody), "text/plain", ADMIN),
      await raw(`/v1/skus/${fresh}`, "PUT", JSON.stringify(skuBody), "application/json; charset=iso-8859-1", ADMIN),
      await raw(`/v1/skus/${sku}/holds`, "POST", `{"quantity":1}`, "application/vnd.api+json", shopper),
      await raw(`/v1/skus/${sku}/adjustments`, "POST", `{"delta":1,"reason":"restock"}`, "application/json-patch+json", ADMIN),
      await raw("/v1/checkout", "POST", `{"items":[{"sku":"${sku}","quantity":1}],"paymentMethod":"pm_card_visa"}`, "text/plain", shopper),
    ];
    for (const res of refused) expectProblem(res, 415, "unsupported_media_type");
    expect(await call(`/v1/skus/${sku}`, { auth: ADMIN })).toMatchObject({ status: 200, body: before.body });
    expect((await call(`/v1/skus/${fresh}`, { auth: ADMIN })).status).toBe(404);
    expect(await levels(sku)).toMatchObject({ onHand: 5, reserved: 0, received: 5 });

    const ok = await raw(`/v1/skus/${sku}/holds`, "POST", `{"quantity":1}`, "Application/JSON; charset=UTF-8", shopper);
    expect(ok.status).toBe(201);
  });

  it("refuses strings with a lone surrogate instead of storing U+FFFD", async () => {
    const sku = await createSku({ stock: 1 });
    const fresh = unique("fresh");
    const refused = [
      await raw(`/v1/skus/${fresh}`, "PUT", `{"name":"tee \\ud800","price":{"amount":1,"currency":"usd"}}`, "application/json", ADMIN),
      await raw(`/v1/skus/${fresh}`, "PUT", `{"name":"\\udc00 tee","price":{"amount":1,"currency":"usd"}}`, "application/json", ADMIN),
      await raw(`/v1/skus/${sku}/adjustments`, "POST", `{"delta":1,"reason":"restock","reference":"x\\uDBFF"}`, "application/json", ADMIN),
      await raw(`/v1/skus/${sku}/adjustments`, "POST", `{"delta":1,"reason":"restock","\\ud800":[[{"a":1}]]}`, "application/json", ADMIN),
    ];
    for (const res of refused) expectProblem(res, 400, "invalid_request");
    expect((await call(`/v1/skus/${fresh}`, { auth: ADMIN })).status).toBe(404);
    expect(await levels(sku)).toMatchObject({ onHand: 1, received: 1 });

    // Invalid UTF-8 is refused the same way, not decoded to U+FFFD.
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`{"name":"tee `),
      0xed,
      0xa0,
      0x80,
      ...new TextEncoder().encode(`","price":{"amount":1,"currency":"usd"}}`),
    ]);
    const res = await exports.default.fetch(
      new Request(`https://holdfast.test/v1/skus/${fresh}`, {
        method: "PUT",
        body: bytes,
        headers: { authorization: ADMIN, "content-type": "application/json" },
      }),
    );
    expect({ status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({ status: 400, code: "invalid_request" });

    // A surrogate pair is one well-formed character and is kept as sent.
    const pair = await raw(
      `/v1/skus/${fresh}`,
      "PUT",
      `{"name":"tee \\ud83d\\ude00","price":{"amount":1,"currency":"usd"}}`,
      "application/json",
      ADMIN,
    );
    expect(pair.status).toBe(201);
    expect((await call(`/v1/skus/${fresh}`, { auth: ADMIN })).body.name).toBe("tee \u{1F600}");
  });
});

describe("query numbers", () => {
  it("reads limit only as plain decimal digits", async () => {
    for (const path of ["/v1/orders", "/v1/skus", "/v1/audit"]) {
      for (const limit of ["0x10", "1e1", "%205", "+5", "%2B5", "5.0", "", "0", "201", "5&limit=6"]) {
        expectProblem(await call(`${path}?limit=${limit}`, { auth: ADMIN }), 400, "invalid_request");
      }
      expect((await call(`${path}?limit=5`, { auth: ADMIN })).status).toBe(200);
      expect((await call(path, { auth: ADMIN })).status).toBe(200);
    }
  });
});

describe("authorization", () => {
  const b64url = (bytes: Uint8Array) =>
    btoa(String.fromCharCode(...bytes))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replaceAll("=", "");
  const part = (v: unknown) => b64url(new TextEncoder().encode(JSON.stringify(v)));
  async function jwt(header: Record<string, unknown>, sub: string) {
    const input = `${part(header)}.${part({ sub, exp: Math.floor(Date.now() / 1000) + 3600 })}`;
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(TEST_SECRETS.SHOPPER_JWT_SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return `${input}.${b64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input))))}`;
  }

  it("matches the Bearer scheme case-insensitively", async () => {
    const sku = await createSku({ stock: 5 });
    const token = (await shopperToken(unique("cust"))).slice("Bearer ".length);
    for (const scheme of ["bearer", "BEARER", "bEaReR"]) {
      expect((await call(`/v1/skus/${sku}/holds`, { auth: `${scheme} ${token}`, body: { quantity: 1 } })).status).toBe(201);
    }
    expect((await call(`/v1/skus/${sku}`, { auth: `bearer ${TEST_SECRETS.ADMIN_TOKEN}` })).body.onHand).toBe(5);
    expect(await levels(sku)).toMatchObject({ reserved: 3 });
  });

  it("refuses a JWT with a crit header, or alg none, and holds nothing", async () => {
    const sku = await createSku({ stock: 5 });
    const customer = unique("cust");
    const refused = [
      await jwt({ alg: "HS256", typ: "JWT", crit: ["exp"] }, customer),
      await jwt({ alg: "HS256", crit: [] }, customer),
      await jwt({ alg: "HS256", b64: false, crit: ["b64"] }, customer),
      `${part({ alg: "none", typ: "JWT" })}.${part({ sub: customer, exp: Math.floor(Date.now() / 1000) + 3600 })}.`,
    ];
    for (const token of refused) {
      expectProblem(await call(`/v1/skus/${sku}/holds`, { auth: `Bearer ${token}`, body: { quantity: 1 } }), 401, "unauthorized");
    }
    expect(await levels(sku)).toMatchObject({ reserved: 0 });
    // The same signing without `crit` is a good token: the refusal is for `crit` alone.
    expect(
      (await call(`/v1/skus/${sku}/holds`, { auth: `Bearer ${await jwt({ alg: "HS256", typ: "JWT" }, customer)}`, body: { quantity: 1 } }))
        .status,
    ).toBe(201);
  });
});

describe("Stripe webhook", () => {
  let stripe: FakeStripe;
  let o: { orderId: string; sku: string; intent: Record<string, any> };
  beforeAll(async () => {
    stripe = installFakeStripe();
    const sku = await createSku({ stock: 5 });
    const customer = unique("cust");
    const { env: keyed, jobs } = stripeEnv();
    const h = (await hold(sku, customer, 2)).body;
    const out = await checkout(keyed, customer, { holdIds: [h.holdId], paymentMethod: "pm_card_authenticationRequired" }, null, Date.now());
    if (!out.ok) throw new Error(out.detail);
    await handlePayments(
      createMessageBatch(PAYMENT_QUEUES.main, [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: jobs[0] }]),
      keyed,
    );
    const intent = [...stripe.intents.values()].find((i) => i.metadata.orderId === out.value.orderId)!;
    o = { orderId: out.value.orderId, sku, intent };
  });
  afterAll(() => uninstallFakeStripe());

  const post = async (payload: string, contentType = "application/json") =>
    call("/v1/webhooks/stripe", {
      method: "POST",
      rawBody: payload,
      headers: { "content-type": contentType, "stripe-signature": await signStripePayload(payload) },
    });
  const send = (event: unknown) => post(JSON.stringify(event));
  const snapshot = async () => ({ order: (await getOrder(o.orderId)).body, levels: await levels(o.sku) });

  it("answers 400 to signed events it cannot read, and changes nothing", async () => {
    const before = await snapshot();
    expect(before.order).toMatchObject({ status: "pending_payment", payment: { status: "requires_action" } });
    const succeeded = (object: unknown) => ({ ...stripeEvent("payment_intent.succeeded", {}), data: { object } });
    const ours = { ...o.intent, status: "succeeded", amount_received: o.intent.amount };
    const unreadable: unknown[] = [
      {},
      [],
      null,
      "payment_intent.succeeded",
      { id: "evt_1", type: "payment_intent.succeeded" },
      { ...stripeEvent("payment_intent.succeeded", {}), data: null },
      { ...stripeEvent("payment_intent.succeeded", {}), data: {} },
      succeeded(null),
      succeeded([]),
      succeeded("pi_1"),
      { ...succeeded(ours), type: 42 },
      { ...succeeded(ours), id: null },
      succeeded({ ...ours, metadata: "orderId" }),
      succeeded({ ...ours, metadata: [o.orderId] }),
      succeeded({ ...ours, metadata: { orderId: 7 } }),
      succeeded({ ...ours, amount: "2000" }),
      succeeded({ ...ours, amount_received: "2000" }),
      succeeded({ ...ours, currency: null }),
      succeeded({ ...ours, id: undefined }),
      { ...stripeEvent("payment_intent.payment_failed", { ...ours, last_payment_error: "declined" }) },
    ];
    for (const event of unreadable) expectProblem(await send(event), 400, "invalid_request");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses bodies that are not application/json before reading them", async () => {
    const before = await snapshot();
    const event = stripeEvent("payment_intent.succeeded", { ...o.intent, status: "succeeded", amount_received: o.intent.amount });
    for (const type of ["text/plain", "application/json-patch+json"]) {
      expectProblem(await post(JSON.stringify(event), type), 415, "unsupported_media_type");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("acknowledges, without acting, events that do not match the order or are not ours", async () => {
    const before = await snapshot();
    const paid: Record<string, any> = { ...o.intent, status: "succeeded", amount_received: o.intent.amount };
    const ignored = [
      stripeEvent("charge.refunded", { id: "ch_1", object: "charge" }),
      stripeEvent("customer.created", { id: "cus_1", object: "customer", metadata: "not ours to read" }),
      stripeEvent("payment_intent.succeeded", { ...paid, metadata: {} }),
      stripeEvent("payment_intent.succeeded", { ...paid, metadata: null }),
      stripeEvent("payment_intent.succeeded", { ...paid, metadata: { orderId: `ord_${"0".repeat(24)}` } }),
      stripeEvent("payment_intent.succeeded", { ...paid, id: "pi_someone_else" }),
      stripeEvent("payment_intent.succeeded", { ...paid, amount_received: paid.amount - 1 }),
      stripeEvent("payment_intent.succeeded", { ...paid, amount: paid.amount + 1, amount_received: paid.amount + 1 }),
      stripeEvent("payment_intent.succeeded", { ...paid, amount_received: 0 }),
      stripeEvent("payment_intent.succeeded", { ...paid, currency: "eur" }),
      stripeEvent("payment_intent.payment_failed", { ...o.intent, amount: 1, status: "requires_payment_method" }),
      stripeEvent("payment_intent.canceled", { ...o.intent, id: "pi_someone_else", status: "canceled" }),
      stripeEvent("payment_intent.requires_action", { ...o.intent, currency: "gbp" }),
    ];
    for (const event of ignored) {
      expect(await send(event)).toMatchObject({ status: 200, body: { received: true, outcome: "ignored" } });
    }
    expect(await snapshot()).toEqual(before);
    // Deduplicated by event id as before.
    expect((await send(ignored[5])).body.outcome).toBe("duplicate");

    const applied = await send(stripeEvent("payment_intent.succeeded", stripe.completeAction(o.intent.id)));
    expect(applied).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect((await getOrder(o.orderId)).body).toMatchObject({ status: "paid", payment: { intentId: o.intent.id } });
  });
});

describe("server-side conditions a client causes", () => {
  async function placeOrder(customer: string, sku: string, paymentMethod: string) {
    const h = await hold(sku, customer, 1);
    const res = await checkoutAs(customer, { holdIds: [h.body.holdId], paymentMethod }, { "Idempotency-Key": unique("idem") });
    expect(res.status).toBe(202);
    return res.body.orderId as string;
  }

  it("answers 409 when the order's compare-and-swap keeps losing, and the retry then succeeds", async () => {
    const sku = await createSku({ stock: 2 });
    const orderId = await placeOrder(unique("cust"), sku, "pm_card_visa");
    await waitForStatus(orderId, "paid");
    const stored = (await row(orderId)) as { status: string; version: number };
    // Another writer's event at the next seq: every attempt of this one conflicts.
    const squat = env.DB.prepare(
      "INSERT INTO audit_events (stream, seq, type, at_ms, data, prev_hash, hash) VALUES (?, ?, 'test.squat', 0, '{}', 'x', 'y')",
    );
    await squat.bind(`order:${orderId}`, stored.version + 1).run();

    const res = await call(`/v1/orders/${orderId}/fulfill`, {
      method: "POST",
      auth: ADMIN,
      headers: { "Idempotency-Key": unique("idem") },
    });
    expectProblem(res, 409, "invalid_order_state");
    expect(res.body.detail).toMatch(/concurrently/);
    expect(await row(orderId)).toEqual(stored);

    await env.DB.prepare("DELETE FROM audit_events WHERE stream = ? AND type = 'test.squat'").bind(`order:${orderId}`).run();
    const retry = await call(`/v1/orders/${orderId}/fulfill`, {
      method: "POST",
      auth: ADMIN,
      headers: { "Idempotency-Key": unique("idem") },
    });
    expect(retry).toMatchObject({ status: 200, body: { status: "fulfilled" } });
  });

  it("answers 503 with Retry-After when a SKU object is overloaded during a sale's fan-out", async () => {
    const sku = await createSku({ stock: 3, alwaysOn: false });
    const saleId = unique("sale");
    const overloaded = Object.assign(new Error("Durable Object is overloaded. Requests queued for too long."), { overloaded: true });
    const SKU = new Proxy(env.SKU, {
      get(ns, prop) {
        if (prop !== "getByName") return Reflect.get(ns, prop);
        return (name: string) => {
          const stub = ns.getByName(name);
          return new Proxy(stub, {
            get: (s, p) => (p === "applySaleRule" ? async () => Promise.reject(overloaded) : Reflect.get(s, p)),
          });
        };
      },
    });
    const now = Date.now();
    const body = JSON.stringify({
      name: "Overloaded",
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      items: [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }],
    });
    const res = await createApp().fetch(
      new Request(`https://holdfast.test/v1/sales/${saleId}`, {
        method: "PUT",
        body,
        headers: { authorization: ADMIN, "content-type": "application/json" },
      }),
      { ...env, SKU },
      createExecutionContext(),
    );
    expect({ status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({ status: 503, code: "unavailable" });
    expect(res.headers.get("retry-after")).toBe("1");

    // Repeating the PUT pushes the terms again.
    const healed = await putSale(saleId, [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }]);
    expect(healed.status).toBe(200);
    expect((await hold(sku, unique("cust"), 1)).status).toBe(201);
  });

  it("shows a lapsed pending order as expired without writing anything", async () => {
    const sku = await createSku({ stock: 2 });
    const customer = unique("cust");
    const orderId = await placeOrder(customer, sku, "pm_card_authenticationRequired");
    await waitForOrder(orderId, (order) => order.payment.status === "requires_action");
    await env.DB.prepare("UPDATE orders SET expires_at_ms = ? WHERE order_id = ?")
      .bind(Date.now() - 1_000, orderId)
      .run();
    const stored = await row(orderId);
    const stock = await levels(sku);
    const audit = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE stream = ?").bind(`order:${orderId}`).first("n");

    for (const auth of [ADMIN, await shopperToken(customer)]) {
      const res = await getOrder(orderId, auth);
      expect(res).toMatchObject({ status: 200, body: { orderId, status: "expired" } });
    }
    expect(await row(orderId)).toEqual({ status: "pending_payment", version: (stored as { version: number }).version });
    expect(await levels(sku)).toEqual(stock);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE stream = ?").bind(`order:${orderId}`).first("n")).toBe(audit);
  });
});
