import { expect } from "vitest";
import { ADMIN, call, checkoutAs, createSku, hold, putSale, unique, waitForOrder } from "../helpers";

/**
 * Realistic state for the fuzzer to hit, so valid requests reach real code
 * paths and invalid ones have something they could wrongly change.
 */
export interface World {
  /** alwaysOn SKUs with stock; `skus[0]` carries the live hold and the orders. */
  skus: string[];
  /** Not alwaysOn: sold only through the live sale. */
  saleSku: string;
  saleId: string;
  /** [an alwaysOn SKU for the valid batch to sell, a SKU it may reconfigure freely]. */
  playground: string[];
  /** A sale id the valid batch may create and replace. */
  scratchSale: string;
  /** A hold in `held`, owned by customers[0]. */
  hold: { holdId: string; sku: string; customerId: string };
  /** customers[1]'s paid order and customers[2]'s order awaiting 3-D Secure. */
  paidOrder: string;
  pendingOrder: string;
  pendingAmount: number;
  customers: string[];
  /** Valid ids nobody created. */
  freshSku: string;
  freshSale: string;
}

export async function buildWorld(): Promise<World> {
  const skus = [await createSku({ stock: 40 }), await createSku({ stock: 25, price: 4999 })];
  const saleSku = await createSku({ stock: 30, alwaysOn: false });
  const playground = [await createSku({ stock: 100 }), await createSku({ stock: 100, alwaysOn: false })];
  const saleId = unique("fuzz-sale");
  const sale = await putSale(saleId, [{ sku: saleSku, price: { amount: 1500, currency: "usd" }, perCustomerLimit: 5 }]);
  expect(sale.status).toBe(201);
  // One id as an identity provider spells it (spec §12): `|` must never let two callers share a stored key.
  const customers = [unique("cust"), unique("cust"), `idp|${unique("cust")}|checkout`];

  const h = await hold(skus[0]!, customers[0]!, 2);
  expect(h.status).toBe(201);

  const paid = await checkoutAs(customers[1]!, { items: [{ sku: skus[0]!, quantity: 1 }], paymentMethod: "pm_card_visa" });
  expect(paid.status).toBe(202);
  await waitForOrder(paid.body.orderId, (o) => o.status === "paid");

  const pending = await checkoutAs(customers[2]!, {
    items: [
      { sku: skus[1]!, quantity: 1 },
      { sku: saleSku, quantity: 1 },
    ],
    paymentMethod: "pm_card_authenticationRequired",
  });
  expect(pending.status).toBe(202);
  const awaiting = await waitForOrder(pending.body.orderId, (o) => o.payment.status === "requires_action");

  return {
    skus,
    saleSku,
    saleId,
    playground,
    scratchSale: unique("scratch-sale"),
    hold: { holdId: h.body.holdId, sku: skus[0]!, customerId: customers[0]! },
    paidOrder: paid.body.orderId,
    pendingOrder: pending.body.orderId,
    pendingAmount: awaiting.total,
    customers,
    freshSku: unique("fresh"),
    freshSale: unique("fresh-sale"),
  };
}

async function pages(path: string): Promise<unknown[]> {
  const out: unknown[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await call(`${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { auth: ADMIN });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    out.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

/** Every page of GET /v1/audit/verify, following `nextCursor` until the walk is complete. */
export async function verifyAll(): Promise<Array<{ ok: boolean; complete: boolean; firstBadEvent?: unknown }>> {
  const out: Array<{ ok: boolean; complete: boolean; firstBadEvent?: unknown }> = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const res = await call(`/v1/audit/verify${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { auth: ADMIN });
    expect(res.status).toBe(200);
    out.push(res.body);
    if (res.body.complete) return out;
    cursor = res.body.nextCursor;
  }
  throw new Error("audit verify did not complete in 100 pages");
}

/** Everything a refused request could have changed, as the merchant sees it. */
async function snapshot(w: World) {
  const skuIds = [...w.skus, w.saleSku, ...w.playground, w.freshSku];
  const views = await Promise.all(skuIds.map((s) => call(`/v1/skus/${s}`, { auth: ADMIN })));
  const [heldHold, sale, freshSale] = await Promise.all([
    call(`/v1/skus/${w.hold.sku}/holds/${w.hold.holdId}`, { auth: ADMIN }),
    call(`/v1/sales/${w.saleId}`, { auth: ADMIN }),
    call(`/v1/sales/${w.freshSale}`, { auth: ADMIN }),
  ]);
  return {
    skus: Object.fromEntries(skuIds.map((s, i) => [s, { status: views[i]!.status, body: views[i]!.body }])),
    hold: heldHold.body,
    sale: { status: sale.status, revision: sale.body?.revision, items: sale.body?.items },
    freshSale: freshSale.status,
    inventory: await pages("/v1/skus"),
    orders: await pages("/v1/orders"),
    audit: await verifyAll(),
  };
}

/** A snapshot once background work (payments, shipping to D1) has settled: the same twice in a row. */
export async function settledSnapshot(w: World, timeoutMs = 15_000): Promise<Awaited<ReturnType<typeof snapshot>>> {
  const deadline = Date.now() + timeoutMs;
  let last = await snapshot(w);
  for (;;) {
    await new Promise((r) => setTimeout(r, 400));
    const next = await snapshot(w);
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    if (Date.now() > deadline) throw new Error("state did not settle");
    last = next;
  }
}

/** What differs between two snapshots, as readable paths. */
export function diff(a: unknown, b: unknown, path = "", out: string[] = []): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
    return out;
  }
  out.push(`${path}: ${JSON.stringify(a)?.slice(0, 200)} -> ${JSON.stringify(b)?.slice(0, 200)}`);
  return out;
}
