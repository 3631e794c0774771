import { createHoldfastClient, type HoldfastClient } from "../client/src/index.ts";
import type { BenchContext } from "./context.ts";
import { perRequest, sampleUsage, usageBetween, type PerRequest } from "./resources.ts";
import { quantile } from "./stats.ts";
import type { Shopper } from "./tokens.ts";

/**
 * Hold, checkout, paid: the whole purchase with the simulated provider,
 * through @holdfast/client as an integrator would call it (an Idempotency-Key
 * per logical operation, retries on network errors, 429 and 503). Statuses
 * and latencies are what the client finally returned, retries included. Each
 * of `checkoutConcurrency` shoppers runs orders one after another:
 *
 *   POST /v1/skus/{sku}/holds {quantity: 1}                         -> 201
 *   POST /v1/checkout {holdIds: [id], paymentMethod: "pm_card_visa"}  -> 202, with an Idempotency-Key
 *   GET  /v1/orders/{orderId} as the owner, every `checkoutPollMs`,  until a final status
 *
 * The payments queue's consumer runs inside workerd (Miniflare's queue
 * broker, with wrangler.toml's batch size and timeout); it charges, commits
 * the hold in the SKU object and marks the order paid in D1. Latency runs
 * from sending the checkout to reading `paid`, so it includes the queue's
 * batching wait and up to one poll interval.
 *
 * Afterwards the merchant views are checked per SKU: units sold equal the
 * units of paid orders listed in D1, the object committed exactly one hold
 * per paid order, received == onHand + sold, and nothing stays reserved but
 * what unfinished orders hold.
 */

const FINAL = new Set(["paid", "fulfilled", "payment_failed", "expired", "cancelled", "refunded"]);

/** Network failures tolerated in the phase before it is abandoned as broken. */
const MAX_NETWORK_ERRORS = 50;

export interface SkuCheck {
  sku: string;
  /** Orders the shoppers saw reach `paid` on this SKU. */
  paidSeen: number;
  /** Paid orders with an item on this SKU, and their units, listed from D1 by the merchant. */
  paidListed: number;
  paidUnits: number;
  /** Holds the SKU object counts as committed. */
  committed: number;
  onHand: number;
  reserved: number;
  sold: number;
  received: number;
  /** What should still be reserved: holds taken here whose order did not reach a final state. */
  expectedReserved: number;
  ok: boolean;
}

export interface CheckoutResult {
  concurrency: number;
  pollMs: number;
  timeoutSeconds: number;
  skus: string[];
  /** Checkouts sent (one order each). */
  orders: number;
  paid: number;
  /** Orders that reached a final status other than paid. */
  failed: number;
  /** Orders not final within the timeout. */
  lost: number;
  finalStatuses: Record<string, number>;
  holdStatuses: Record<number, number>;
  checkoutStatuses: Record<number, number>;
  pollStatuses: Record<number, number>;
  polls: number;
  networkErrors: number;
  /** Sent checkout to observed `paid`, over paid orders. */
  paidMs: { p50: number; p90: number; p95: number; p99: number; max: number };
  /** The 202 of the checkout itself. */
  replyMs: { p50: number; p95: number; p99: number };
  /**
   * Where a paid order's time went, from the order's own timestamps (the
   * Worker's clock; same machine): `createdAt` is taken as the checkout route
   * starts, `updatedAt` when the consumer marks it paid. serverMs: createdAt
   * to paid (the rest of the checkout, the queue's batching wait, the
   * consumer); observeMs: paid to the poll that saw it (poll interval and the
   * poll's own latency).
   */
  serverMs: { p50: number; p95: number; p99: number };
  observeMs: { p50: number; p95: number; p99: number };
  /** One poll request's latency. */
  pollLatencyMs: { p50: number; p95: number; p99: number };
  ordersPerS: number;
  /** Requests of every kind per second over the phase (holds, checkouts, polls). */
  requestsPerS: number;
  /** From the first hold to the last order's end, in seconds. */
  seconds: number;
  /** Runtime and client cost per paid order, every request it took included. */
  costPerOrder: PerRequest;
  perSku: SkuCheck[];
  /** Units sold or holds committed beyond the paid orders, summed over SKUs: must be 0. */
  doubleCommit: number;
  accountingOk: boolean;
}

export async function runCheckouts(ctx: BenchContext, skuPrefix: string): Promise<CheckoutResult> {
  const cfg = ctx.cfg;
  const skus = Array.from({ length: cfg.checkoutSkus }, (_, i) => `${skuPrefix}-${i}`);
  for (const sku of skus) {
    await ctx.api.createSku(sku);
    // Enough for every order of the phase on one SKU, so none sells out.
    await ctx.api.restock(sku, cfg.checkoutOrders + 1_000);
  }

  const holdStatuses: Record<number, number> = {};
  const checkoutStatuses: Record<number, number> = {};
  const pollStatuses: Record<number, number> = {};
  const finalStatuses: Record<string, number> = {};
  const holdsTaken = new Map<string, number>(skus.map((s) => [s, 0]));
  const finished = new Map<string, number>(skus.map((s) => [s, 0]));
  const paidBySku = new Map<string, Set<string>>(skus.map((s) => [s, new Set()]));
  const paidMs: number[] = [];
  const replyMs: number[] = [];
  const serverMs: number[] = [];
  const observeMs: number[] = [];
  const pollLatencyMs: number[] = [];
  let starts = 0;
  let orders = 0;
  let lost = 0;
  let polls = 0;
  let requests = 0;
  let networkErrors = 0;
  let lastError: unknown = null;
  const bump = (m: Record<string | number, number>, k: string | number) => (m[k] = (m[k] ?? 0) + 1);

  const timeoutMs = cfg.checkoutTimeoutSeconds * 1000;
  const started = performance.now();
  const deadline = started + cfg.checkoutSeconds * 1000;
  const before = sampleUsage(ctx.runtimePids);

  const clients = new Map<string, HoldfastClient>();
  const clientOf = (shopper: Shopper) => {
    let client = clients.get(shopper.customerId);
    if (!client) {
      client = createHoldfastClient({ baseUrl: ctx.baseUrl, token: shopper.authorization.slice("Bearer ".length) });
      clients.set(shopper.customerId, client);
    }
    return client;
  };

  const oneOrder = async (shopper: Shopper, loop: number, n: number, sku: string): Promise<void> => {
    const hf = clientOf(shopper);
    const hold = await hf.POST("/v1/skus/{sku}/holds", { params: { path: { sku } }, body: { quantity: 1 } });
    requests++;
    bump(holdStatuses, hold.response.status);
    if (!hold.data) return;
    const { holdId } = hold.data;
    holdsTaken.set(sku, holdsTaken.get(sku)! + 1);

    const t0 = performance.now();
    const res = await hf.POST("/v1/checkout", {
      params: { header: { "idempotency-key": `bench-checkout-${loop}-${n}` } },
      body: { holdIds: [holdId], paymentMethod: "pm_card_visa" },
    });
    requests++;
    orders++;
    bump(checkoutStatuses, res.response.status);
    replyMs.push(performance.now() - t0);
    if (!res.data) return;
    const order: OrderBody = res.data;
    let status = order.status;
    let updatedAt = order.updatedAt;
    const path = { params: { path: { orderId: order.orderId } } };
    while (!FINAL.has(status) && performance.now() - t0 < timeoutMs && !ctx.signal.aborted) {
      await sleep(cfg.checkoutPollMs);
      try {
        const sent = performance.now();
        const poll = await hf.GET("/v1/orders/{orderId}", path);
        polls++;
        requests++;
        bump(pollStatuses, poll.response.status);
        if (poll.data) ({ status, updatedAt } = poll.data);
        pollLatencyMs.push(performance.now() - sent);
      } catch (e) {
        networkErrors++;
        lastError = e;
        if (networkErrors >= MAX_NETWORK_ERRORS) throw e;
      }
    }
    if (!FINAL.has(status)) {
      lost++;
      return;
    }
    bump(finalStatuses, status);
    finished.set(sku, finished.get(sku)! + 1);
    if (status === "paid") {
      paidMs.push(performance.now() - t0);
      serverMs.push(Date.parse(updatedAt) - Date.parse(order.createdAt));
      observeMs.push(Date.now() - Date.parse(updatedAt));
      paidBySku.get(sku)!.add(order.orderId);
    }
  };

  const shopperLoop = async (loop: number) => {
    const shopper = ctx.shoppers[loop % ctx.shoppers.length]!;
    for (let n = 0; starts < cfg.checkoutOrders && performance.now() < deadline && !ctx.signal.aborted; n++) {
      if (networkErrors >= MAX_NETWORK_ERRORS) break;
      starts++;
      try {
        await oneOrder(shopper, loop, n, skus[(loop + n) % skus.length]!);
      } catch (e) {
        networkErrors++;
        lastError = e;
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.checkoutConcurrency }, (_, loop) => shopperLoop(loop)));
  const seconds = (performance.now() - started) / 1000;
  const usage = usageBetween(before, sampleUsage(ctx.runtimePids));
  if (networkErrors >= MAX_NETWORK_ERRORS) {
    throw new Error(`checkout phase abandoned after ${networkErrors} network errors; last: ${String(lastError)}`);
  }

  // The merchant's views, per SKU, once every order is final (or given up on).
  const perSku: SkuCheck[] = [];
  for (const sku of skus) {
    const levels = await ctx.api.levels(sku);
    const committed = await ctx.api.committedHolds(sku);
    const listed = await ctx.api.ordersOf(sku, "paid");
    const seen = paidBySku.get(sku)!;
    const paidUnits = listed.reduce((n, o) => n + o.items.filter((i) => i.sku === sku).reduce((u, i) => u + i.quantity, 0), 0);
    const paidHolds = listed.reduce((n, o) => n + o.items.filter((i) => i.sku === sku).length, 0);
    const expectedReserved = holdsTaken.get(sku)! - finished.get(sku)!;
    const sameOrders = listed.length === seen.size && listed.every((o) => seen.has(o.orderId));
    perSku.push({
      sku,
      paidSeen: seen.size,
      paidListed: listed.length,
      paidUnits,
      committed,
      onHand: levels.onHand,
      reserved: levels.reserved,
      sold: levels.sold,
      received: levels.received,
      expectedReserved,
      ok:
        sameOrders &&
        levels.sold === paidUnits &&
        committed === paidHolds &&
        levels.received === levels.onHand + levels.sold &&
        levels.reserved === expectedReserved,
    });
  }
  const doubleCommit = perSku.reduce((n, s) => n + Math.max(0, s.sold - s.paidUnits, s.committed - s.paidListed), 0);

  const paid = paidMs.length;
  const sortedPaid = Float64Array.from(paidMs).sort();
  const sortedReply = Float64Array.from(replyMs).sort();
  const finalCount = Object.values(finalStatuses).reduce((a, b) => a + b, 0);
  return {
    concurrency: cfg.checkoutConcurrency,
    pollMs: cfg.checkoutPollMs,
    timeoutSeconds: cfg.checkoutTimeoutSeconds,
    skus,
    orders,
    paid,
    failed: finalCount - paid,
    lost,
    finalStatuses,
    holdStatuses,
    checkoutStatuses,
    pollStatuses,
    polls,
    networkErrors,
    paidMs: {
      p50: quantile(sortedPaid, 0.5),
      p90: quantile(sortedPaid, 0.9),
      p95: quantile(sortedPaid, 0.95),
      p99: quantile(sortedPaid, 0.99),
      max: sortedPaid.length ? sortedPaid[sortedPaid.length - 1]! : Number.NaN,
    },
    replyMs: { p50: quantile(sortedReply, 0.5), p95: quantile(sortedReply, 0.95), p99: quantile(sortedReply, 0.99) },
    serverMs: quantiles(serverMs),
    observeMs: quantiles(observeMs),
    pollLatencyMs: quantiles(pollLatencyMs),
    ordersPerS: seconds > 0 ? paid / seconds : 0,
    requestsPerS: seconds > 0 ? requests / seconds : 0,
    seconds,
    costPerOrder: perRequest(usage, paid),
    perSku,
    doubleCommit,
    accountingOk: perSku.every((s) => s.ok),
  };
}

interface OrderBody {
  orderId: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

function quantiles(samples: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = Float64Array.from(samples).sort();
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
