/**
 * The cost phase: what each operation costs where the platform bills it, at
 * list prices (bench/README.md has the price table and its date). Operations
 * run one at a time so each object's counters (its costs() RPC, summed from
 * its SQL cursors) belong to the operation that ran; D1 rows and queue
 * messages come from the bench worker's counted env (bench/platform-meter.ts).
 */
import type { BenchContext } from "./context.ts";
import { makeCustomers, type Shopper } from "./tokens.ts";

/** Cloudflare's published list prices (Workers Paid, beyond the included usage), USD; checked 2026-12-06. */
export const PRICES = {
  worker_request: 0.3 / 1e6,
  worker_cpu_ms: 0.02 / 1e6,
  do_request: 0.15 / 1e6,
  do_row_read: 0.001 / 1e6,
  do_row_written: 1.0 / 1e6,
  d1_row_read: 0.001 / 1e6,
  d1_row_written: 1.0 / 1e6,
  /** A queue message is three operations (write, read, delete) of up to 64 KB each. */
  queue_message: (3 * 0.4) / 1e6,
} as const;

type OpCost = { calls: number; units: number; rows_read: number; rows_written: number; statements: number };
type Meter = { d1_queries: number; d1_rows_read: number; d1_rows_written: number; queue_messages: Record<string, number> };

export interface CostResult {
  /** Per operation: rows read and written per unit (a hold, an expired hold, a shipped event...). */
  ops: Record<string, { units: number; rows_read: number; rows_written: number }>;
  orders: number;
  d1RowsReadPerOrder: number;
  d1RowsWrittenPerOrder: number;
  queueMessagesPerOrder: number;
  d1RowsWrittenPerHold: number;
  usdPerMillionHolds: number;
  usdPerThousandOrders: number;
}

async function json(ctx: BenchContext, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${ctx.baseUrl}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const post = (auth: string, body: unknown, key = crypto.randomUUID()): RequestInit => ({
  method: "POST",
  headers: { authorization: auth, "content-type": "application/json", "idempotency-key": key },
  body: JSON.stringify(body),
});

async function expectStatus(ctx: BenchContext, status: number, path: string, init: RequestInit = {}): Promise<any> {
  const res = await json(ctx, path, init);
  if (res.status !== status)
    throw new Error(`${init.method ?? "GET"} ${path} returned ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const meter = (ctx: BenchContext): Promise<Meter> => expectStatus(ctx, 200, "/__bench/meter");
const costsOf = (ctx: BenchContext, sku: string): Promise<Record<string, OpCost>> =>
  expectStatus(ctx, 200, `/__bench/costs/${encodeURIComponent(sku)}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const messages = (m: Meter) => Object.values(m.queue_messages).reduce((a, b) => a + b, 0);

/** Waits until the order reaches `status` (bounded). */
async function waitFor(ctx: BenchContext, auth: string, orderId: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const order = await expectStatus(ctx, 200, `/v1/orders/${orderId}`, { headers: { authorization: auth } });
    if (order.status === status && order.refund?.status !== "pending") return;
    await sleep(50);
  }
  throw new Error(`order ${orderId} never reached ${status}`);
}

/** Outbox events ship from the alarm within about a second; the meter is read once they have. */
const SETTLE_MS = 2_500;

/** Creates a SKU with a sale on it now (holds live `holdSeconds`), stocked with `units`. */
async function saleSku(ctx: BenchContext, sku: string, units: number, holdSeconds: number): Promise<void> {
  await ctx.api.createSku(sku);
  await ctx.api.restock(sku, units);
  const now = Date.now();
  await ctx.api.createSale(`${sku}-sale`, {
    name: `Bench ${sku}`,
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
    items: [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 10, holdSeconds }],
  });
}

export async function measureCosts(
  ctx: BenchContext,
  skus: { main: string; expiry: string; sale: string },
  holds: number,
  orders: number,
): Promise<CostResult> {
  const admin = `Bearer ${ctx.api.adminToken}`;
  const shoppers = ctx.shoppers.slice(0, 4);
  const shopper = (i: number): Shopper => shoppers[i % shoppers.length]!;
  await ctx.api.createSku(skus.main);
  await ctx.api.restock(skus.main, holds + orders + 100);
  await sleep(SETTLE_MS);

  const m0 = await meter(ctx);
  const ids: { id: string; auth: string }[] = [];
  for (let i = 0; i < holds; i++) {
    const s = shopper(i);
    const body = await expectStatus(ctx, 201, `/v1/skus/${skus.main}/holds`, post(s.authorization, { quantity: 1 }));
    ids.push({ id: body.holdId, auth: s.authorization });
  }
  await sleep(SETTLE_MS);
  const m1 = await meter(ctx);
  for (const h of ids.slice(0, Math.ceil(holds / 4))) {
    await expectStatus(ctx, 200, `/v1/skus/${skus.main}/holds/${h.id}`, { method: "DELETE", headers: { authorization: h.auth } });
  }
  await sleep(SETTLE_MS);

  // Whole orders: hold, checkout, paid (payments queue), then a refund with restock.
  const m2 = await meter(ctx);
  for (let i = 0; i < orders; i++) {
    const s = shopper(i);
    const h = await expectStatus(ctx, 201, `/v1/skus/${skus.main}/holds`, post(s.authorization, { quantity: 1 }));
    const placed = await expectStatus(
      ctx,
      202,
      "/v1/checkout",
      post(s.authorization, { holdIds: [h.holdId], paymentMethod: "pm_card_visa" }),
    );
    await waitFor(ctx, s.authorization, placed.orderId, "paid");
    await expectStatus(ctx, 200, `/v1/orders/${placed.orderId}/refund`, post(admin, { restock: true }));
    await waitFor(ctx, s.authorization, placed.orderId, "refunded");
  }
  await sleep(SETTLE_MS);
  const m3 = await meter(ctx);
  // Read now: the counters live in the object's memory, and an object left idle may be evicted.
  const main = await costsOf(ctx, skus.main);

  // Holds under a sale, as a crowd takes them: each a customer new to the SKU (a usage row each).
  const crowd = makeCustomers(Math.min(holds, 100), ctx.shopperSecret, "bench-cost-crowd-");
  await saleSku(ctx, skus.sale, crowd.length, 600);
  for (const c of crowd) await expectStatus(ctx, 201, `/v1/skus/${skus.sale}/holds`, post(c.authorization, { quantity: 1 }));
  const sale = await costsOf(ctx, skus.sale);

  // Expiry: holds under a sale that keeps them one second; the alarm expires them.
  await saleSku(ctx, skus.expiry, 1000, 1);
  for (const c of crowd) await expectStatus(ctx, 201, `/v1/skus/${skus.expiry}/holds`, post(c.authorization, { quantity: 1 }));
  await sleep(SETTLE_MS + 1_000);
  const expiry = await costsOf(ctx, skus.expiry);
  const ops: CostResult["ops"] = {};
  const put = (name: string, c: OpCost | undefined) => {
    if (c && c.units > 0) ops[name] = { units: c.units, rows_read: c.rows_read / c.units, rows_written: c.rows_written / c.units };
  };
  // An op that runs no SQL of its own (group_commit: its units are the changes it carried) has no rows to price.
  for (const [op, c] of Object.entries(main)) if (c.statements > 0) put(op, c);
  put("expire", expiry.expire);
  put("hold_under_sale", sale.hold);

  const hold = ops.hold ?? { rows_read: 0, rows_written: 0 };
  const d1PerHold = (m1.d1_rows_written - m0.d1_rows_written) / holds;
  const d1ReadPerHold = (m1.d1_rows_read - m0.d1_rows_read) / holds;
  // A hold: the Worker's request, one RPC, its rows, and the D1 rows its audit event costs when shipped.
  const perHold =
    PRICES.worker_request +
    PRICES.do_request +
    hold.rows_read * PRICES.do_row_read +
    hold.rows_written * PRICES.do_row_written +
    d1ReadPerHold * PRICES.d1_row_read +
    d1PerHold * PRICES.d1_row_written;
  const d1w = (m3.d1_rows_written - m2.d1_rows_written) / orders;
  const d1r = (m3.d1_rows_read - m2.d1_rows_read) / orders;
  const qm = (messages(m3) - messages(m2)) / orders;
  const rowsOf = (op: string) => (ops[op]?.rows_written ?? 0) * PRICES.do_row_written + (ops[op]?.rows_read ?? 0) * PRICES.do_row_read;
  // An order: its hold, the object's checkout, commit and return, the D1 rows and queue messages it caused, and its requests.
  const perOrder =
    perHold +
    rowsOf("checkout") +
    rowsOf("commit") +
    rowsOf("return") +
    3 * PRICES.do_request +
    d1w * PRICES.d1_row_written +
    d1r * PRICES.d1_row_read +
    qm * PRICES.queue_message +
    2 * PRICES.worker_request;
  return {
    ops,
    orders,
    d1RowsReadPerOrder: d1r,
    d1RowsWrittenPerOrder: d1w,
    queueMessagesPerOrder: qm,
    d1RowsWrittenPerHold: d1PerHold,
    usdPerMillionHolds: perHold * 1e6,
    usdPerThousandOrders: perOrder * 1e3,
  };
}

const r2 = (n: number) => Math.round(n * 100) / 100;

export function costSummary(c: CostResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, v] of Object.entries(c.ops)) {
    out[`rows_read_per_${op}`] = r2(v.rows_read);
    out[`rows_written_per_${op}`] = r2(v.rows_written);
  }
  out.d1_rows_written_per_hold = r2(c.d1RowsWrittenPerHold);
  out.d1_rows_read_per_order = r2(c.d1RowsReadPerOrder);
  out.d1_rows_written_per_order = r2(c.d1RowsWrittenPerOrder);
  out.queue_messages_per_order = r2(c.queueMessagesPerOrder);
  out.usd_per_million_holds = r2(c.usdPerMillionHolds);
  out.usd_per_thousand_orders = Math.round(c.usdPerThousandOrders * 10_000) / 10_000;
  return out;
}

export function renderCosts(c: CostResult): string {
  const lines = [
    "Cost per operation (rows from the object's SQL cursors; one operation at a time)",
    "operation           units  rows read  rows written",
  ];
  for (const [op, v] of Object.entries(c.ops)) {
    lines.push(
      `${op.padEnd(18)} ${String(v.units).padStart(6)} ${v.rows_read.toFixed(2).padStart(10)} ${v.rows_written.toFixed(2).padStart(12)}`,
    );
  }
  lines.push(
    `D1 rows written per hold (audit shipping) ${c.d1RowsWrittenPerHold.toFixed(2)}`,
    `per order (hold, checkout, paid, refund with restock; ${c.orders} orders): D1 rows read ${c.d1RowsReadPerOrder.toFixed(1)}, written ${c.d1RowsWrittenPerOrder.toFixed(1)}, queue messages ${c.queueMessagesPerOrder.toFixed(2)}`,
    `USD per million holds ${c.usdPerMillionHolds.toFixed(2)}, per thousand orders ${c.usdPerThousandOrders.toFixed(4)} (list prices, bench/README.md)`,
  );
  return lines.join("\n");
}
