import { MerchantActor } from "../domain/roles";
import { and, desc, eq, gte, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { z } from "zod";
import { appendEvent } from "../audit/store";
import { auditEvents, orders, type OrderRow } from "../db/schema";
import { canonicalJson } from "../domain/canonical-json";
import { OrderFlow } from "../orders/flow";
import { OrderOutbox } from "../orders/outbox";
import { Refunds } from "../orders/refunds";
import { OrderStore } from "../orders/store";
import { logger } from "../platform/log";
import { paymentProvider, providerName } from "./index";
import { refundCounts, TransientPaymentError, type PaymentProvider, type ProviderIntent } from "./provider";

/** How far back a run looks: payment windows reach a day, and Stripe retries a webhook for three. */
export const RECONCILE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Intents per page of the provider's list (Stripe's maximum). */
const PAGE_LIMIT = 100;
/** Pages one run reads; past them the report says `complete: false` and names where it stopped. */
const PAGES_MAX = 10;
/** Refunded orders one run checks against the provider's refunds (one call each). */
const REFUNDED_ORDERS_MAX = 200;
/** Entries of each drift list a report keeps; the counts are always whole. */
const LISTED_MAX = 100;
/** D1 binds at most 100 parameters per query. */
const IDS_PER_QUERY = 90;

/** The audit stream every run appends its report to; the last one is what GET answers. */
export const RECONCILIATION_STREAM = "payments:reconciliation";
const EVENT_TYPE = "payments.reconciled";

const LateRefund = z.object({
  intentId: z.string(),
  orderId: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  why: z.enum(["order_missing", "order_ended", "other_attempt"]),
  refundId: z.string().nullable(),
});
const Flagged = z.object({
  orderId: z.string(),
  intentId: z.string().nullable(),
  why: z.enum(["no_provider_refund", "no_refund_recorded"]),
});
const Failure = z.object({ id: z.string(), error: z.string() });

export const ReconciliationReport = z.object({
  reconciliationId: z.string(),
  trigger: z.enum(["scheduled", "owner"]),
  /** The merchant's key that ran it (spec §12); absent for the cron. */
  actor: MerchantActor.optional(),
  at: z.string(),
  provider: z.enum(["stripe", "simulated"]),
  window: z.object({ from: z.string(), to: z.string() }),
  complete: z.boolean(),
  checked: z.object({ intents: z.number().int(), succeededIntents: z.number().int(), refundedOrders: z.number().int() }),
  drift: z.object({ lateRefunds: z.number().int(), settled: z.number().int(), flagged: z.number().int(), failures: z.number().int() }),
  lateRefunds: z.array(LateRefund),
  settled: z.array(z.object({ intentId: z.string(), orderId: z.string() })),
  flagged: z.array(Flagged),
  failures: z.array(Failure),
});
export type ReconciliationReport = z.infer<typeof ReconciliationReport>;

type Drift = Pick<ReconciliationReport, "lateRefunds" | "settled" | "flagged" | "failures">;

/**
 * Payments reconciliation: every intent the provider holds for our orders
 * (by metadata `orderId`, created in the window) against the orders in D1.
 *
 * - A succeeded intent that is its order's own and the order never settled
 *   (the webhook and the payments job both lost) is applied as they would:
 *   the order is paid, or, if it ended, the payment is refunded as a late
 *   payment through the order's two-phase refund (src/orders/refunds.ts).
 * - A succeeded intent no order holds (order missing, or another attempt's
 *   intent settled it) with no refund at the provider is refunded
 *   (`late_payment`) under a key of its own, so a re-run refunds nothing more.
 * - An order that says it was refunded without a refund at the provider is
 *   flagged for the merchant: money may still be with us, and only a person
 *   can say whether it went back another way.
 *
 * Each run's report is appended to the audit log (RECONCILIATION_STREAM).
 */
export async function reconcilePayments(
  env: Env,
  now_ms: number,
  trigger: ReconciliationReport["trigger"],
  actor?: MerchantActor,
): Promise<ReconciliationReport> {
  const name = providerName(env);
  const provider = paymentProvider(env, name);
  const from_ms = now_ms - RECONCILE_WINDOW_MS;
  const drift: Drift = { lateRefunds: [], settled: [], flagged: [], failures: [] };
  const counts = { lateRefunds: 0, settled: 0, flagged: 0, failures: 0 };
  const note = <K extends keyof Drift>(kind: K, entry: Drift[K][number]) => {
    counts[kind] += 1;
    if (drift[kind].length < LISTED_MAX) (drift[kind] as Array<Drift[K][number]>).push(entry);
  };
  const seenOrders = new Set<string>();
  const flow = new OrderFlow(env);
  const refunds = new Refunds(env, new OrderStore(env.DB, env, new OrderOutbox(env)));

  const intentPass = await forEachIntentPage(provider, Math.floor(from_ms / 1000), async (intents) => {
    const byId = await ordersById(
      env,
      intents.map((i) => i.orderId),
    );
    for (const intent of intents) {
      if (!intent.succeeded) continue;
      try {
        await checkIntent(intent, byId.get(intent.orderId) ?? null);
      } catch (e) {
        note("failures", { id: intent.intentId, error: String(e) });
      }
    }
  });

  async function checkIntent(intent: ProviderIntent, order: OrderRow | null): Promise<void> {
    const own = order !== null && isOwnIntent(order, intent);
    if (order && own) {
      seenOrders.add(order.orderId);
      if (order.refundStatus === "pending" || order.status === "paid" || order.status === "fulfilled") return;
      if (order.refundStatus === "succeeded") return checkRefunded(order);
      // Neither the payments job nor the webhook settled this success: apply it as they would.
      await flow.paymentSucceeded(order.orderId, intent.intentId, now_ms);
      const after = (await new OrderStore(env.DB, null).get(order.orderId))?.order;
      if (after?.status === "paid") return note("settled", { intentId: intent.intentId, orderId: order.orderId });
      return note("lateRefunds", { ...lateOf(intent, "order_ended"), refundId: after?.refundId ?? null });
    }
    if ((await provider.refundsOf(intent.intentId)).some(refundCounts)) return;
    const { refundId } = await refunds.refundStray(name, intent.intentId, intent.orderId);
    note("lateRefunds", { ...lateOf(intent, order ? "other_attempt" : "order_missing"), refundId });
  }

  async function checkRefunded(order: OrderRow): Promise<void> {
    if (order.intentId === null || order.refundId === null) {
      return note("flagged", { orderId: order.orderId, intentId: order.intentId, why: "no_refund_recorded" });
    }
    // The simulated provider keeps no ledger: its refunds can only be checked in D1.
    if (provider.name === "simulated" || order.paymentProvider !== provider.name) return;
    if (!(await provider.refundsOf(order.intentId)).some(refundCounts)) {
      note("flagged", { orderId: order.orderId, intentId: order.intentId, why: "no_provider_refund" });
    }
  }

  if (intentPass.error !== undefined) note("failures", { id: "payment_intents.list", error: intentPass.error });

  // The other way round: refunded orders whose intent the pass above did not meet (older, or none at all).
  const refunded = await drizzle(env.DB)
    .select()
    .from(orders)
    .where(and(eq(orders.refundStatus, "succeeded"), gte(orders.updatedAtMs, from_ms)))
    .orderBy(desc(orders.updatedAtMs))
    .limit(REFUNDED_ORDERS_MAX + 1);
  for (const order of refunded.slice(0, REFUNDED_ORDERS_MAX)) {
    if (seenOrders.has(order.orderId) || order.paymentStatus !== "succeeded") continue;
    try {
      await checkRefunded(order);
    } catch (e) {
      note("failures", { id: order.orderId, error: String(e) });
    }
  }

  const report: ReconciliationReport = {
    reconciliationId: `rec_${crypto.randomUUID().replaceAll("-", "")}`,
    trigger,
    ...(actor && { actor }),
    at: new Date(now_ms).toISOString(),
    provider: name,
    window: { from: new Date(from_ms).toISOString(), to: new Date(now_ms).toISOString() },
    complete: intentPass.complete && refunded.length <= REFUNDED_ORDERS_MAX,
    checked: {
      intents: intentPass.intents,
      succeededIntents: intentPass.succeeded,
      refundedOrders: Math.min(refunded.length, REFUNDED_ORDERS_MAX),
    },
    drift: counts,
    ...drift,
  };
  const stored = await appendEvent(drizzle(env.DB), {
    stream: RECONCILIATION_STREAM,
    type: EVENT_TYPE,
    atMs: now_ms,
    data: canonicalJson(report),
  });
  if (!stored) logger(env).warn("payments_reconciliation_unaudited", { reconciliationId: report.reconciliationId });
  if (counts.lateRefunds + counts.settled + counts.flagged + counts.failures > 0) {
    logger(env).warn("payments_drift", { reconciliationId: report.reconciliationId, ...counts });
  }
  return report;
}

/** The last run's report, from the audit log; null before the first run. */
export async function lastReconciliation(env: Env): Promise<ReconciliationReport | null> {
  const [row] = await drizzle(env.DB)
    .select({ data: auditEvents.data })
    .from(auditEvents)
    .where(and(eq(auditEvents.stream, RECONCILIATION_STREAM), eq(auditEvents.type, EVENT_TYPE)))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  if (!row) return null;
  const parsed = ReconciliationReport.safeParse(JSON.parse(row.data));
  return parsed.success ? parsed.data : null;
}

/**
 * The order's own intent: the one it recorded, or, before it recorded any
 * (the charge's answer was lost), the one its current attempt created.
 */
function isOwnIntent(order: OrderRow, intent: ProviderIntent): boolean {
  return order.intentId === null ? intent.attempt === order.paymentAttempt : order.intentId === intent.intentId;
}

function lateOf(intent: ProviderIntent, why: ReconciliationReport["lateRefunds"][number]["why"]) {
  return { intentId: intent.intentId, orderId: intent.orderId, amount: intent.amount, currency: intent.currency, why };
}

/** Reads the provider's list page by page, at most PAGES_MAX pages; `complete` says whether it reached the end. */
async function forEachIntentPage(
  provider: PaymentProvider,
  createdFromS: number,
  visit: (intents: ProviderIntent[]) => Promise<void>,
): Promise<{ complete: boolean; intents: number; succeeded: number; error?: string }> {
  let startingAfter: string | null = null;
  let intents = 0;
  let succeeded = 0;
  for (let page = 0; page < PAGES_MAX; page++) {
    let got: Awaited<ReturnType<PaymentProvider["listIntents"]>>;
    try {
      got = await provider.listIntents({ createdFromS, startingAfter, limit: PAGE_LIMIT });
    } catch (e) {
      // An outage ends the pass where it is: the report says so, and the next run starts over.
      if (e instanceof TransientPaymentError) return { complete: false, intents, succeeded, error: e.message };
      throw e;
    }
    intents += got.intents.length;
    succeeded += got.intents.filter((i) => i.succeeded).length;
    await visit(got.intents);
    if (!got.hasMore || got.last === null) return { complete: true, intents, succeeded };
    startingAfter = got.last;
  }
  return { complete: false, intents, succeeded };
}

async function ordersById(env: Env, ids: readonly string[]): Promise<Map<string, OrderRow>> {
  const unique = [...new Set(ids)];
  const db = drizzle(env.DB);
  const chunks: Array<Promise<OrderRow[]>> = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    chunks.push(
      db
        .select()
        .from(orders)
        .where(inArray(orders.orderId, unique.slice(i, i + IDS_PER_QUERY))),
    );
  }
  return new Map((await Promise.all(chunks)).flat().map((o) => [o.orderId, o]));
}
