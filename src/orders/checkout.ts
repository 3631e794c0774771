import type { OrderItemRow } from "../db/schema";
import { currentTraceparent } from "../platform/trace";
import { sha256Hex } from "../domain/canonical-json";
import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import type { Hold, Money } from "../domain/types";
import type { IdempotencyKey } from "../idempotency/rule";
import { holdStub, placeOfHold } from "../stock/addressing";
import { reserveFor } from "../stock/shards/hold-routing";
import { providerName } from "../payments";
import { chargeJob, ORDER_OUTBOX, OrderOutbox } from "./outbox";
import { OrderStore } from "./store";
import { orderView, type OrderView } from "./view";

export type CheckoutInput = ({ holdIds: string[] } | { items: Array<{ sku: string; quantity: number }> }) & {
  paymentMethod: string;
  /** The total the shopper was shown; a different one is refused `total_changed`. */
  expectedTotal?: Money | undefined;
};

type Taken = { ok: true; holds: Hold[] } | (Refusal & { sku: string; replayed?: boolean });

/**
 * spec §§3 and 5: turns holds into an order awaiting payment. All or
 * nothing across SKUs: holds are moved to `checkout` concurrently and, if any
 * SKU refuses, every hold this checkout took is released before the refusal
 * is returned. A crash at any point leaves only holds that expire by themselves.
 */
export async function checkout(
  env: Env,
  customerId: string,
  input: CheckoutInput,
  idem: IdempotencyKey | null,
  now_ms: number,
  /** Queued sales whose admission the edge verified for this customer: a checkout by items holds under them (spec §9). */
  admittedTo: readonly string[] = [],
): Promise<Outcome<OrderView> & { replayed?: boolean }> {
  const outbox = new OrderOutbox(env);
  const store = new OrderStore(env.DB, env, outbox);
  // A retry under the same key converges on the same order id, so its hold moves are no-ops.
  const orderId = `ord_${idem ? sha256Hex(idem.key).slice(0, 24) : crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
  if (idem) {
    const existing = await existingOrder(outbox, store, orderId, idem, customerId, now_ms);
    if (existing) return existing;
  }
  const taken = await takeHolds(env, { customerId, admittedTo }, orderId, input);
  if (!taken.ok) return taken;

  const currencies = new Set(taken.holds.map((h) => h.unitPrice.currency));
  if (currencies.size !== 1) {
    await releaseHolds(env, orderId, taken.holds);
    return refuse("invalid_request", "All items of an order must be priced in one currency.", { currencies: [...currencies].join(",") });
  }
  const items: OrderItemRow[] = taken.holds.map((h) => ({
    orderId,
    holdId: h.holdId,
    sku: h.sku,
    quantity: h.quantity,
    unitAmount: h.unitPrice.amount,
    allocations: h.allocations ?? null,
  }));
  const total = { amount: items.reduce((sum, i) => sum + i.quantity * i.unitAmount, 0), currency: [...currencies][0]! };
  const expected = input.expectedTotal;
  if (expected && (expected.amount !== total.amount || expected.currency !== total.currency)) {
    await releaseHolds(env, orderId, taken.holds);
    return refuse(
      "total_changed",
      `The order comes to ${total.amount} ${total.currency}, not the ${expected.amount} ${expected.currency} expected.`,
      {
        total: total.amount,
        currency: total.currency,
      },
    );
  }
  const order = {
    orderId,
    customerId,
    status: "pending_payment" as const,
    totalAmount: total.amount,
    currency: total.currency,
    paymentProvider: providerName(env),
    paymentMethod: input.paymentMethod,
    paymentAttempt: 1,
    paymentStatus: null,
    intentId: null,
    clientSecret: null,
    failureReason: null,
    refundId: null,
    refundReason: null,
    restocked: null,
    refundStatus: null,
    refundRestock: null,
    refundIntentId: null,
    refundAttempts: 0,
    refundNextAtMs: null,
    disputeStatus: null,
    refundedAmount: 0,
    idempotencyKey: idem?.key ?? null,
    requestHash: idem?.requestHash ?? null,
    expiresAtMs: Math.min(...taken.holds.map((h) => Date.parse(h.expiresAt))),
    createdAtMs: now_ms,
  };
  const view = orderView({ ...order, version: 1, updatedAtMs: now_ms }, items);
  let created: boolean;
  try {
    created = await store.create(order, items, view, [chargeJob({ ...order, version: 1, updatedAtMs: now_ms })]);
  } catch (e) {
    await releaseHolds(env, orderId, taken.holds).catch(() => undefined);
    throw e;
  }
  if (!created && idem) {
    // A concurrent request with the same key created it first.
    const existing = await existingOrder(outbox, store, orderId, idem, customerId, now_ms);
    if (existing) return existing;
  }
  return accept(view);
}

/**
 * The order an earlier attempt under this key made. The route replays stored
 * replies, so this runs only when that attempt died before its reply was
 * stored: the order as it stands now is the truthful answer, and what its
 * outbox still holds is sent now in case the attempt died before sending it.
 */
async function existingOrder(
  outbox: OrderOutbox,
  store: OrderStore,
  orderId: string,
  idem: IdempotencyKey,
  customerId: string,
  now_ms: number,
) {
  const prior = await store.get(orderId);
  if (!prior) return null;
  // The order remembers its customer: another caller's request never gets it back (issue 22 item 3).
  const sameRequest = prior.order.requestHash === idem.requestHash || prior.order.requestHash === idem.legacyHash;
  if (prior.order.customerId !== customerId || !sameRequest) {
    return refuse("idempotency_key_reused", "This Idempotency-Key was used with a different request.");
  }
  await outbox.sweep(now_ms, ORDER_OUTBOX.sweep_after_move, orderId);
  return { ...accept(orderView(prior.order, prior.items)), replayed: true };
}

async function takeHolds(
  env: Env,
  buyer: { customerId: string; admittedTo: readonly string[] },
  orderId: string,
  input: CheckoutInput,
): Promise<Taken> {
  const { customerId } = buyer;
  const actor = { customerId };
  const requests =
    "holdIds" in input
      ? [...new Set(input.holdIds)].map((holdId) => ({ sku: placeOfHold(holdId)!.sku, holdId }))
      : [...summed(input.items)].map(([sku, quantity]) => ({ sku, quantity }));

  const results = await Promise.allSettled(
    requests.map(async (r): Promise<{ sku: string; outcome: Outcome<Hold> & { replayed?: boolean }; heldId?: string }> => {
      if ("holdId" in r)
        return {
          sku: r.sku,
          outcome: await holdStub(env, r.holdId).beginCheckout(r.holdId, orderId, actor, currentTraceparent()),
          heldId: r.holdId,
        };
      const input = { customerId, quantity: r.quantity, admittedTo: buyer.admittedTo };
      const held = await reserveFor(env, r.sku, input, { key: `checkout|${orderId}|${r.sku}`, requestHash: String(r.quantity) });
      if (!held.ok) return { sku: r.sku, outcome: held };
      const begun = await holdStub(env, held.value.holdId).beginCheckout(held.value.holdId, orderId, actor, currentTraceparent());
      if (begun.ok || !held.replayed || begun.code !== "hold_expired") return { sku: r.sku, outcome: begun, heldId: held.value.holdId };
      // An earlier attempt under this key gave up (refused, failed or crashed) and its hold has ended:
      // a retry runs the request again, so it holds afresh rather than tripping over that dead hold.
      const fresh = await reserveFor(env, r.sku, input, null);
      if (!fresh.ok) return { sku: r.sku, outcome: fresh };
      return {
        sku: r.sku,
        outcome: await holdStub(env, fresh.value.holdId).beginCheckout(fresh.value.holdId, orderId, actor, currentTraceparent()),
        heldId: fresh.value.holdId,
      };
    }),
  );

  const holds: Hold[] = [];
  const strays: Array<{ sku: string; holdId: string }> = [];
  let refusal: (Refusal & { sku: string; replayed?: boolean }) | null = null;
  let failure: unknown = null;
  for (const r of results) {
    if (r.status === "rejected") failure ??= r.reason;
    else if (r.value.outcome.ok) holds.push(r.value.outcome.value);
    else {
      // A refusal replayed by a SKU is the one the first attempt answered with: it wins, so a retry answers the same.
      if (refusal === null || (r.value.outcome.replayed && !refusal.replayed)) {
        refusal = { ...r.value.outcome, sku: r.value.sku, extra: { ...r.value.outcome.extra, sku: r.value.sku } };
      }
      // An items-mode hold that was taken but could not enter checkout still needs releasing.
      if (r.value.heldId && !("holdIds" in input)) strays.push({ sku: r.value.sku, holdId: r.value.heldId });
    }
  }
  if (refusal === null && failure === null) return { ok: true, holds };
  await Promise.allSettled([
    releaseHolds(env, orderId, holds),
    ...strays.map((s) => holdStub(env, s.holdId).release(s.holdId, "merchant", undefined, currentTraceparent())),
  ]);
  if (failure !== null) throw failure;
  return refusal!;
}

/**
 * Voids the order's holds in every SKU; voiding is idempotent, so callers may
 * repeat it. True when some hold was already committed: a payment got that far.
 */
export async function releaseHolds(env: Env, orderId: string, holds: ReadonlyArray<{ sku: string; holdId: string }>): Promise<boolean> {
  const results = await Promise.all(holds.map((h) => holdStub(env, h.holdId).voidCheckout(h.holdId, orderId)));
  const stuck = results.filter((r) => !r.ok && r.code !== "hold_not_releasable" && r.code !== "not_found");
  if (stuck.length > 0) throw new Error(`could not void holds of ${orderId}: ${JSON.stringify(stuck)}`);
  return results.some((r) => !r.ok && r.code === "hold_not_releasable");
}

function summed(items: ReadonlyArray<{ sku: string; quantity: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(i.sku, (out.get(i.sku) ?? 0) + i.quantity);
  return out;
}
