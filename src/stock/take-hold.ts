import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import type { Hold, SaleRule } from "../domain/types";
import type { Allocation, Destination, Routing } from "../domain/locations";
import { allocate, shardShortage } from "./allocate";
import { locatedAvailable } from "./locations";
import { levelsAfter } from "./stocking";
import { checkSaleLimits, recordAdded } from "./sale-limits";
import { resolveOffer, soldOut } from "./offer";
import { holdView, priceOf, type HoldRow } from "./rows";
import { keyedHoldId, newHoldId } from "./addressing";
import type { SkuTables } from "./tables";
import { keyDigest } from "../idempotency/sql-replies";
import type { IdempotencyKey } from "../idempotency/rule";

/** A shard's allotment is short; transient, so never stored under a key (see `SkuLedger.reserve`). */
export const SHORTAGE: Refusal = refuse("unavailable", "This shard's allotment is short; it refills from the pool.", { shortage: true });

/**
 * How a hold may end short of units: "final" refuses (an unsharded SKU, or a
 * shard the pool could not refill); "ask" answers SHORTAGE so a shard refills;
 * "route" (a located shard's new hold, once) also when its own allotment could
 * fill it but not at the location the policy prefers; "placed" refuses for the
 * hold's destination, never SKU-wide `sold_out` (the pool proved that no object
 * has a free unit where this hold may be served, while it has some elsewhere).
 */
export type Shortage = "route" | "ask" | "final" | "placed";

export function isShortage(outcome: Outcome<unknown>): boolean {
  return !outcome.ok && outcome.extra?.shortage === true;
}

/** A hold request as the object receives it. */
export interface HoldInput {
  customerId: string;
  quantity: number;
  /** Sales whose admission the edge verified for this customer (spec §9); a queued sale's hold needs its own. */
  admittedTo?: readonly string[] | undefined;
  /** Where the units go (spec §11): the body's shipTo/pickupAt, else the edge's geography; used on a located SKU only. */
  destination?: Destination | null | undefined;
}

/**
 * The object's own check of the waiting room, behind the edge's: a hold under
 * a queued sale needs that sale's verified admission. Transient, so never
 * stored under the key: the retry that carries the admission takes the hold.
 */
export function admissionRefusal(rule: SaleRule, input: HoldInput): Refusal | null {
  if (!rule.queued || input.admittedTo?.includes(rule.saleId)) return null;
  return {
    ...refuse("admission_required", `This sale has a waiting room: join it with POST /v1/sales/${rule.saleId}/queue.`, {
      saleId: rule.saleId,
    }),
    transient: true,
  };
}

/**
 * Takes a hold (see `decide`). Under a key, the accepted hold's row carries
 * the reply (`replyKept`), so the ledger stores only refusals apart.
 */
export function takeHold(
  tables: SkuTables,
  input: HoldInput,
  now_ms: number,
  hold_seconds: number,
  shortage: Shortage,
  prior: Readonly<Record<string, number>>,
  idem: IdempotencyKey | null,
): { outcome: Outcome<Hold>; replyKept: boolean } {
  const kept = { replyKept: false };
  const outcome = decide(tables, input, now_ms, hold_seconds, shortage, prior, idem, kept);
  return { outcome, replyKept: kept.replyKept };
}

/**
 * Decides and writes a new hold, inside the ledger's transaction: the offer
 * in force, the sale's per-order, per-customer and rate limits, then the
 * stock. A stock shard's own allotment running short says nothing final while
 * the SKU has units elsewhere: with `shortage: "ask"` it answers SHORTAGE so
 * the object refills and tries again; "final" (an unsharded SKU, or a shard
 * the pool could not refill) refuses for real.
 */
function decide(
  tables: SkuTables,
  input: HoldInput,
  now_ms: number,
  hold_seconds: number,
  shortage: Shortage,
  /** Units the customer holds or bought in the SKU's other objects, by sale. */
  prior: Readonly<Record<string, number>>,
  idem: IdempotencyKey | null,
  kept: { replyKept: boolean },
): Outcome<Hold> {
  const asking = shortage === "ask" || shortage === "route";
  const short = (final: Refusal): Refusal => (asking ? SHORTAGE : final);
  const sku = tables.sku();
  if (!sku) return refuse("not_found", "No such SKU.");
  const decision = resolveOffer(tables.saleRules(), priceOf(sku), sku.always_on === 1, now_ms);
  if (!decision.ok) return decision;
  const unadmitted = decision.offer.kind === "sale" ? admissionRefusal(decision.offer.rule, input) : null;
  if (unadmitted) return unadmitted;
  const located = tables.locations.located() ? tables.locations.rows() : null;
  const available = located ? locatedAvailable(located) : sku.on_hand - sku.reserved;
  const policy = { routing: sku.routing as Routing, split: sku.split === 1 };
  // An object that refills (a shard, or a SKU's own object whose old shards may still hold units) asks for
  // the locations its hold may come from before it refuses (stock shards on a located SKU, spec §8, §11).
  const onShard = located !== null && asking;
  if (available <= 0 && !onShard && shortage !== "placed") return short(soldOut());

  const { quantity, customerId } = input;
  const rule = decision.offer.kind === "sale" ? decision.offer.rule : null;
  const limits = rule ? checkSaleLimits(tables, rule, customerId, { orderUnits: quantity, units: quantity }, prior, now_ms) : null;
  if (limits && !limits.ok) return limits;
  let allocations: Allocation[] | null = null;
  if (located) {
    const allocated = allocate(located, policy, input.destination ?? null, quantity);
    const ask = onShard ? shardShortage(located, policy, input.destination ?? null, allocated, shortage === "route") : null;
    if (ask) return ask;
    if (!allocated.ok) return allocated;
    allocations = allocated.value;
  } else if (quantity > available) {
    return short(refuse("insufficient_stock", `Only ${available} units are available.`, { available }));
  }

  const price = rule ? rule.price : priceOf(sku);
  // A keyed hold's id comes from its key, so its row is where its reply is found; a key reused
  // after its reply expired finds that id taken and gets a fresh one (its reply then stored apart).
  const keyedId = idem ? keyedHoldId(sku.sku, sku.shard_index, keyDigest(idem.key)) : null;
  const fold = idem !== null && keyedId !== null && tables.hold(keyedId) === null;
  const row: HoldRow = {
    hold_id: fold ? keyedId : newHoldId(sku.sku, sku.shard_index, now_ms),
    customer_id: customerId,
    quantity,
    status: "held",
    scope: rule ? rule.saleId : "",
    unit_amount: price.amount,
    currency: price.currency,
    created_at_ms: now_ms,
    expires_at_ms: now_ms + (rule?.holdSeconds ?? hold_seconds) * 1000,
    order_id: null,
    allocations: allocations && JSON.stringify(allocations),
  };
  const hold = holdView(sku.sku, row);
  tables.insertHold(row, fold ? { idem_key: idem.key, request_hash: idem.requestHash, reply: JSON.stringify(accept(hold)) } : null);
  kept.replyKept = fold;
  if (allocations) tables.locations.moveAll(allocations, (n) => ({ reserved: n }));
  const after = tables.changeLevels("reserved = reserved + ?, updated_at_ms = ?", quantity, now_ms);
  if (rule && limits) recordAdded(tables, rule, customerId, limits, quantity, prior, now_ms);
  const touched = allocations?.map((a) => a.location) ?? [];
  tables.emit("hold.created", now_ms, { hold, levels: levelsAfter(tables, after, touched) });
  return accept(hold);
}
