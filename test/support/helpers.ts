import { exports } from "cloudflare:workers";
import type { components, paths } from "@holdfast/client";
import { sign } from "hono/jwt";
import { expect } from "vitest";
import { TEST_SECRETS } from "./secrets";

/**
 * Test helpers: real requests through the Worker's own fetch handler. Answers
 * are typed from the OpenAPI document the client is generated from
 * (client/src/schema.d.ts), so a test reads the fields the API documents.
 */

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type Order = Schemas["Order"];

let seq = 0;
/** A name no other test in this file uses: storage is shared across a file's tests. */
export function unique(prefix: string): string {
  seq += 1;
  return `${prefix}-${seq}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * A client address no other test shares (IPv6 documentation prefix, 2001:db8::/32).
 * The rate limiters' counts outlive a test file, so a drawn one-in-200 IPv4 address
 * could inherit a budget another test already spent.
 */
export function clientAddress(): { "cf-connecting-ip": string } {
  const hex = crypto.randomUUID().replaceAll("-", "");
  const groups = Array.from({ length: 6 }, (_, i) => hex.slice(i * 4, i * 4 + 4));
  return { "cf-connecting-ip": `2001:db8:${groups.join(":")}` };
}

export const ADMIN = `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`;

export async function shopperToken(customerId: string, opts: { expiresInSeconds?: number; secret?: string } = {}) {
  const exp = Math.floor(Date.now() / 1000) + (opts.expiresInSeconds ?? 3600);
  return `Bearer ${await sign({ sub: customerId, exp }, opts.secret ?? TEST_SECRETS.SHOPPER_JWT_SECRET, "HS256")}`;
}

export interface Call {
  method?: string;
  auth?: string | undefined;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * One answer of the Worker: its status, headers, and its body parsed as JSON
 * (the text when it is not JSON). `call` answers any path, documented or not,
 * so its body is read as the test expects it; the helpers below, and a test
 * that names a type (`Reply<Order>`), read it as the API documents it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the one untyped read, for arbitrary paths; see Reply's comment.
export interface Reply<Body = any> {
  status: number;
  headers: Headers;
  body: Body;
}

export async function call(path: string, init: Call = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth) headers.authorization = init.auth;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await exports.default.fetch(
    new Request(`https://holdfast.test${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body }),
  );
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // leave as text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** A refusal's body, as the problem document the API answers with (spec §6). */
export const problemOf = (res: Reply<unknown>) => res.body as Problem;
/** A granted hold's body (201). */
export const holdOf = (res: Reply<unknown>) => res.body as Schemas["Hold"];

export function expectProblem(res: Reply<unknown>, status: number, code: string) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const problem = problemOf(res);
  expect({ status: res.status, code: problem.code }).toEqual({ status, code });
  expect(problem.status).toBe(status);
  expect(typeof problem.detail).toBe("string");
}

/** Creates a SKU with `stock` units on hand, sold at list price unless `alwaysOn` is false. */
export async function createSku(opts: { stock?: number; alwaysOn?: boolean; price?: number; sku?: string } = {}) {
  const sku = opts.sku ?? unique("sku");
  const put = await call(`/v1/skus/${sku}`, {
    method: "PUT",
    auth: ADMIN,
    body: { name: `Test ${sku}`, price: { amount: opts.price ?? 1999, currency: "usd" }, alwaysOn: opts.alwaysOn ?? true },
  });
  expect(put.status).toBe(201);
  if (opts.stock) await restock(sku, opts.stock);
  return sku;
}

type Adjusted = paths["/v1/skus/{sku}/adjustments"]["post"]["responses"][200]["content"]["application/json"];

export async function restock(sku: string, delta: number): Promise<Adjusted> {
  const res = await call(`/v1/skus/${sku}/adjustments`, { auth: ADMIN, body: { delta, reason: "restock" } });
  expect(res.status).toBe(200);
  return res.body;
}

/** The merchant view of a SKU. */
/** As ADMIN_TOKEN, an unscoped key: the SKU-wide counters a scoped key's view omits are there. */
async function merchantView(sku: string): Promise<Schemas["MerchantSku"] & { received: number; returned: number; liveHolds: number }> {
  const res = await call(`/v1/skus/${sku}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body;
}

/** The SKU's levels (spec §2) from the merchant view. */
export async function levels(sku: string): Promise<Omit<Schemas["Levels"], "returned">> {
  const { onHand, reserved, available, sold, received } = await merchantView(sku);
  return { onHand, reserved, available, sold, received };
}

export async function hold(sku: string, customerId: string, quantity: number, headers: Record<string, string> = {}) {
  return call(`/v1/skus/${sku}/holds`, { auth: await shopperToken(customerId), body: { quantity }, headers });
}

/** A sale window relative to now, in ms. */
export async function putSale(
  saleId: string,
  items: Array<Record<string, unknown>>,
  window: { startsInMs?: number; endsInMs?: number } = {},
) {
  const now = Date.now();
  return call(`/v1/sales/${saleId}`, {
    method: "PUT",
    auth: ADMIN,
    body: {
      name: `Sale ${saleId}`,
      startsAt: new Date(now + (window.startsInMs ?? -60_000)).toISOString(),
      endsAt: new Date(now + (window.endsInMs ?? 3_600_000)).toISOString(),
      items,
    },
  });
}

// --- Orders and checkout -----------------------------------------------------

export async function checkoutAs(customerId: string, body: unknown, headers: Record<string, string> = {}) {
  return call("/v1/checkout", { auth: await shopperToken(customerId), body, headers });
}

export async function getOrder(orderId: string, auth: string = ADMIN) {
  return call(`/v1/orders/${orderId}`, { auth });
}

/** Polls the order (as the merchant) until `done` holds; Miniflare's queue consumer settles payments within a second or two. */
export async function waitForOrder(orderId: string, done: (order: Order) => boolean, timeoutMs = 10_000): Promise<Order> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res: Reply<Order> = await getOrder(orderId);
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline)
      throw new Error(
        `order ${orderId} still ${JSON.stringify(res.body.status)} / ${JSON.stringify(res.body.payment)} after ${timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const waitForStatus = (orderId: string, status: Order["status"]) => waitForOrder(orderId, (o) => o.status === status);

/** Holds `quantity` for the customer and checks the hold out (keyed); the payment runs on Miniflare's queue. */
export async function placeOrder(customerId: string, sku: string, quantity: number, paymentMethod = "pm_card_visa") {
  const h: Reply<Schemas["Hold"]> = await hold(sku, customerId, quantity);
  expect(h.status).toBe(201);
  const res: Reply<Order> = await checkoutAs(
    customerId,
    { holdIds: [h.body.holdId], paymentMethod },
    { "Idempotency-Key": unique("idem") },
  );
  expect(res.status).toBe(202);
  return { orderId: res.body.orderId, holdId: h.body.holdId };
}

/** An order paid by the simulated card. */
export async function paidOrder(customerId: string, sku: string, quantity: number) {
  const o = await placeOrder(customerId, sku, quantity);
  await waitForStatus(o.orderId, "paid");
  return o;
}

/** Units that came back from refunded orders (spec §2 `returned`), from the merchant view. */
export async function returnedUnits(sku: string): Promise<number> {
  return (await merchantView(sku)).returned;
}

/** spec §2, invariant 2: received == onHand + sold. */
export function expectConserved(l: { onHand: number; sold: number; received: number; reserved: number }) {
  expect(l.received).toBe(l.onHand + l.sold);
  expect(l.reserved).toBeGreaterThanOrEqual(0);
  expect(l.reserved).toBeLessThanOrEqual(l.onHand);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
