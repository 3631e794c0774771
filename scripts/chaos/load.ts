/**
 * The workload: a catalog set up through the API, then virtual shoppers
 * (holds, releases, checkouts paid with Stripe's test cards, against the chaos
 * run's fake Stripe, stripe-server.ts)
 * and one merchant (refunds with and without restock, fulfilments, restocks),
 * every mutating request with an Idempotency-Key, every answer recorded in
 * the ledger. Each actor draws its choices from its own seeded stream.
 */
import type { Api } from "../dev/api.ts";
import type { Client, Request } from "./client.ts";
import type { Ledger, OpKind } from "./ledger.ts";
import { rng } from "./random.ts";
import { sleep } from "./runtime.ts";
import { LOCATED_SKU, stockLocations, transferStep } from "./locations.ts";

export const SALE_ID = "chaos-sale";

/**
 * Three SKUs with different lives: a sale item with long holds and a
 * per-customer hold rate, an `alwaysOn` item at list price, and a scarce sale
 * item whose holds last 20 s and whose payment window is a minute, so that
 * expiry (the objects' alarms) happens across kills and the item keeps
 * selling out (the edge's sold-out cut answers retries too).
 */
export const CATALOG = [
  {
    sku: "chaos-tee",
    body: { name: "Chaos tee", price: { amount: 2500, currency: "usd" }, alwaysOn: false },
    stock: 300,
    sale: {
      price: { amount: 1900, currency: "usd" },
      perCustomerLimit: 60,
      maxPerOrder: 3,
      holdSeconds: 900,
      paymentSeconds: 900,
      holdsPerMinute: 30,
    },
  },
  {
    sku: "chaos-mug",
    body: { name: "Chaos mug", price: { amount: 1200, currency: "usd" }, alwaysOn: true },
    stock: 300,
    sale: null,
  },
  {
    sku: "chaos-cap",
    body: { name: "Chaos cap", price: { amount: 1500, currency: "usd" }, alwaysOn: false },
    stock: 60,
    sale: { price: { amount: 900, currency: "usd" }, perCustomerLimit: 60, maxPerOrder: 2, holdSeconds: 20, paymentSeconds: 60 },
  },
] as const;

const SKUS = CATALOG.map((c) => c.sku);
/** Stripe's test cards (the chaos run's fake Stripe): 70% paid, 15% declined, 15% 3-D Secure (answered by money.ts). */
const PAYMENT_METHODS = [
  ...Array<string>(14).fill("pm_card_visa"),
  ...Array<string>(3).fill("pm_card_chargeDeclined"),
  ...Array<string>(3).fill("pm_card_authenticationRequired"),
];
const MAX_QTY: Record<string, number> = { "chaos-tee": 3, "chaos-mug": 3, "chaos-cap": 2 };
/** The merchant tops a SKU up by `delta` units when fewer than `below` are available. */
const RESTOCK: Record<string, { below: number; delta: number }> = {
  "chaos-tee": { below: 40, delta: 60 },
  "chaos-mug": { below: 40, delta: 60 },
  "chaos-cap": { below: 3, delta: 12 },
};

/** Creates the SKUs, their stock and a live sale; runs before any kill. */
export async function setUp(api: Api, admin: string, ledger: Ledger, now_ms: number): Promise<void> {
  const auth = { token: admin };
  for (const item of CATALOG) {
    await api.expect([200, 201], "PUT", `/v1/skus/${item.sku}`, { ...auth, body: item.body });
    await api.expect([200], "POST", `/v1/skus/${item.sku}/adjustments`, {
      ...auth,
      headers: { "idempotency-key": `setup-restock-${item.sku}` },
      body: { delta: item.stock, reason: "received", reference: "chaos setup" },
    });
    ledger.adjust(item.sku, item.stock);
  }
  // One SKU stocks three locations; its units so far are location default's, moved on by transfers.
  await stockLocations(api, admin);
  await api.expect([200, 201], "PUT", `/v1/sales/${SALE_ID}`, {
    ...auth,
    body: {
      name: "Chaos sale",
      startsAt: new Date(now_ms - 60_000).toISOString(),
      endsAt: new Date(now_ms + 86_400_000).toISOString(),
      items: CATALOG.flatMap((c) => (c.sale ? [{ sku: c.sku, ...c.sale }] : [])),
    },
  });
}

export interface Actor {
  client: Client;
  ledger: Ledger;
  /** True while new operations may start. */
  loading: () => boolean;
}

/** Runs one request to a definite answer (or records it unresolved) and applies the answer. */
export async function run(
  a: Actor,
  kind: OpKind,
  req: Request,
  apply: (status: number, body: any) => void = () => undefined,
): Promise<{ status: number; body: any } | null> {
  const result = a.ledger.tally(kind, req, await a.client.send(req));
  if (!result) {
    a.ledger.unresolved.push({ kind, req, resolve: apply });
    return null;
  }
  apply(result.answer.status, result.answer.body);
  return { status: result.answer.status, body: result.answer.body };
}

export async function shopper(a: Actor, seed: number, index: number, token: string): Promise<void> {
  const customerId = `chaos-shopper-${index}`;
  const r = rng(seed, `shopper-${index}`);
  const open: string[] = [];
  const orders: string[] = [];
  let n = 0;
  const key = () => `${customerId}-${++n}`;

  while (a.loading() && !a.client.aborted) {
    const p = r.next();
    if (open.length === 0 || p < 0.4) {
      const sku = r.pick(SKUS);
      const quantity = r.int(1, MAX_QTY[sku]!);
      const req: Request = { method: "POST", path: `/v1/skus/${sku}/holds`, token, body: { quantity }, key: key() };
      await run(a, "hold", req, (status, body) => {
        if (status !== 201) return;
        if (body.quantity !== quantity || body.status !== "held" || body.sku !== sku)
          a.ledger.badAcks.push(`${body.holdId}: asked ${quantity}, got ${JSON.stringify(body)}`);
        a.ledger.addHold({
          holdId: body.holdId,
          sku,
          customerId,
          quantity: body.quantity,
          expiresAtMs: Date.parse(body.expiresAt),
          ackedAtMs: Date.now(),
        });
        open.push(body.holdId);
      });
    } else if (p < 0.55) {
      const holdId = open.splice(r.int(0, open.length - 1), 1)[0]!;
      const hold = a.ledger.holds.get(holdId)!;
      const req: Request = { method: "DELETE", path: `/v1/skus/${hold.sku}/holds/${holdId}`, token };
      const done = await run(a, "release", req, (s, body) => {
        if (s !== 200) return;
        hold.fate = "released";
        hold.releasedAs = body.status;
      });
      if (done === null) hold.fate = "unknown";
    } else if (p < 0.75) {
      // Check out one or two of my holds.
      const take = Math.min(open.length, r.chance(0.25) ? 2 : 1);
      const holdIds = Array.from({ length: take }, () => open.splice(r.int(0, open.length - 1), 1)[0]!);
      const paymentMethod = r.pick(PAYMENT_METHODS);
      const req: Request = { method: "POST", path: "/v1/checkout", token, body: { holdIds, paymentMethod }, key: key() };
      const done = await run(a, "checkout_holds", req, (s, body) => {
        if (s === 202) orders.push(a.ledger.addOrder(body, paymentMethod, Date.now()).orderId);
        else for (const id of holdIds) a.ledger.holds.get(id)!.fate = "refused";
      });
      if (done === null) for (const id of holdIds) a.ledger.holds.get(id)!.fate = "unknown";
    } else if (p < 0.92) {
      // Check out straight from items: the checkout takes the holds itself.
      const skus = r.chance(0.3) ? [r.pick(SKUS), r.pick(SKUS)] : [r.pick(SKUS)];
      const items = [...new Set(skus)].map((sku) => ({ sku, quantity: r.int(1, MAX_QTY[sku]!) }));
      const paymentMethod = r.pick(PAYMENT_METHODS);
      const req: Request = { method: "POST", path: "/v1/checkout", token, body: { items, paymentMethod }, key: key() };
      await run(a, "checkout_items", req, (s, body) => {
        if (s === 202) orders.push(a.ledger.addOrder(body, paymentMethod, Date.now()).orderId);
      });
    } else if (orders.length > 0) {
      const orderId = r.pick(orders);
      await run(a, "poll_order", { method: "GET", path: `/v1/orders/${orderId}`, token });
    }
    await sleep(r.int(20, 250));
  }
}

export async function merchant(a: Actor, seed: number, admin: string): Promise<void> {
  const r = rng(seed, "merchant");
  let n = 0;
  let round = 0;
  const key = (what: string) => `merchant-${what}-${++n}`;
  const refund = async (orderId: string, restock: boolean, kind: OpKind = "refund") => {
    const req: Request = { method: "POST", path: `/v1/orders/${orderId}/refund`, token: admin, body: { restock }, key: key("refund") };
    await run(a, kind, req, (status, body) => {
      a.ledger.refunds.push({
        orderId,
        restock,
        status,
        code: body?.code ?? "",
        orderStatus: status === 200 ? body.status : (body?.orderStatus ?? null),
      });
    });
  };
  const fulfil = (orderId: string) =>
    run(a, "fulfil", { method: "POST", path: `/v1/orders/${orderId}/fulfill`, token: admin, key: key("fulfil") });

  while (a.loading() && !a.client.aborted) {
    const sku = SKUS[round++ % SKUS.length]!;
    const view = await run(a, "merchant_view", { method: "GET", path: `/v1/skus/${sku}`, token: admin });
    if (view?.status === 200 && view.body.available < RESTOCK[sku]!.below) {
      const delta = RESTOCK[sku]!.delta;
      const req: Request = {
        method: "POST",
        path: `/v1/skus/${sku}/adjustments`,
        token: admin,
        // The located SKU's restocks arrive at `default` (it has several locations: the adjustment names one).
        body: { delta, reason: "restock", reference: `chaos ${n}`, ...(sku === LOCATED_SKU && { location: "default" }) },
        key: key("restock"),
      };
      await run(a, "restock", req, (s) => {
        if (s === 200) a.ledger.adjust(sku, delta);
      });
    }
    const status = r.chance(0.7) ? "paid" : "fulfilled";
    const list = await run(a, "list_orders", { method: "GET", path: `/v1/orders?status=${status}&limit=50`, token: admin });
    const page: Array<{ orderId: string }> = list?.status === 200 ? list.body.data : [];
    if (page.length > 0) {
      const { orderId } = r.pick(page);
      const p = r.next();
      if (status === "fulfilled" || p < 0.5) await refund(orderId, r.chance(0.7));
      else if (p < 0.7) await fulfil(orderId);
      else if (p < 0.85) await Promise.all([fulfil(orderId), refund(orderId, r.chance(0.7))]);
    }
    // A few moves of the located SKU's stock a round: new transfers, receipts in part or in full, cancels.
    for (let i = r.int(0, 3); i > 0; i--) await transferStep(a, r, admin, key);
    const done = a.ledger.refunds.filter((x) => x.status === 200);
    if (done.length > 0 && r.chance(0.1)) {
      // The merchant refunds an order twice by mistake, with a fresh key.
      const again = r.pick(done);
      await refund(again.orderId, again.restock, "refund_again");
    }
    await sleep(r.int(100, 500));
  }
}
