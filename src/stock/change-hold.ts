import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import { iso, notOnSale, resolveOffer, saleEnded } from "./offer";
import { allocationsOf, holdView, priceOf, type HoldRow } from "./rows";
import type { Allocation, Routing } from "../domain/locations";
import { allocate, askPool, growthOrder } from "./allocate";
import { availableAt, profileOfRow } from "./locations";
import { levelsAfter } from "./stocking";
import { checkSaleLimits, recordAdded } from "./sale-limits";
import { admissionRefusal, SHORTAGE, type Shortage } from "./take-hold";
import type { SkuTables } from "./tables";

/**
 * A cart that changes its mind (spec §3, issue 23): the owner sets a held
 * hold's quantity in place. A decrease gives units back at once; an
 * increase is a new hold's decision for the units added (the offer, the
 * waiting room, the sale's limits, the stock), so no unit is lost to the
 * crowd between a release and a new hold. The hold keeps its id, price and
 * expiry. Quantity 0 is a release (SkuLedger.changeHold).
 */
export interface HoldChange {
  customerId: string;
  /** The quantity the hold should have; 0 releases it. */
  quantity: number;
  /** Sales whose admission the edge verified for this customer (spec §9): an increase under a queued sale needs its own. */
  admittedTo?: readonly string[] | undefined;
}

/** How the object asks: as a shard (`shortage`, see takeHold), with the customer's units elsewhere, and whether this object may add units for them. */
export interface ChangeContext {
  shortage: Shortage;
  /** Units the customer holds or bought in the SKU's other objects, by sale. */
  prior: Readonly<Record<string, number>>;
  /** Not the customer's home now (the shard count changed, or a newer home fenced it): no units may be added here. */
  away: Refusal | null;
}

/** Why a hold in `row`'s status cannot change, or null for a held hold. */
export function unchangeable(row: HoldRow): Refusal | null {
  if (row.status === "held") return null;
  if (row.status === "released" || row.status === "expired") {
    return refuse("hold_expired", "The hold has ended; take a new one.", { holdStatus: row.status });
  }
  return refuse(
    "hold_not_releasable",
    row.status === "checkout" ? "The hold belongs to a checkout in progress; cancel the order to change it." : "The hold is in an order.",
    { holdStatus: row.status },
  );
}

/** Sets a live hold's quantity (at least 1), inside the ledger's transaction; refusals leave it as it was. */
export function changeQuantity(tables: SkuTables, row: HoldRow, change: HoldChange, now_ms: number, ctx: ChangeContext): Outcome<HoldRow> {
  const refused = unchangeable(row);
  if (refused) return refused;
  const added = change.quantity - row.quantity;
  if (added === 0) return accept(row);
  if (added < 0) {
    const fewer = write(tables, row, change.quantity, trimmed(allocationsOf(row), change.quantity), now_ms);
    // The customer's usage of the hold's sale gives the units back with it.
    if (row.scope !== "") tables.addUsage(row.scope, row.customer_id, added, null);
    return fewer;
  }

  if (ctx.away)
    return refuse("insufficient_stock", "This hold's object no longer serves your holds: take a new hold for more units.", {
      available: 0,
    });
  const sku = tables.requireSku();
  const decision = resolveOffer(tables.saleRules(), priceOf(sku), sku.always_on === 1, now_ms);
  if (!decision.ok) return decision;
  const rule = decision.offer.kind === "sale" ? decision.offer.rule : null;
  if ((rule?.saleId ?? "") !== row.scope) return termsChanged(tables, row, now_ms);
  const unadmitted = rule ? admissionRefusal(rule, { ...change, quantity: added }) : null;
  if (unadmitted) return unadmitted;
  const limits = rule
    ? checkSaleLimits(tables, rule, change.customerId, { orderUnits: change.quantity, units: added }, ctx.prior, now_ms)
    : null;
  if (limits && !limits.ok) return limits;
  const allocations = grown(tables, row, added);
  if (allocations && !allocations.ok) {
    // A located shard short where the hold may grow asks the pool for units there, as a new hold would.
    const where = ctx.shortage === "ask" || ctx.shortage === "route" ? growthLocations(tables, row) : [];
    return where.length > 0 ? askPool(where, false) : allocations;
  }
  const available = sku.on_hand - sku.reserved;
  if (!allocations && added > available) {
    if (ctx.shortage === "ask" || ctx.shortage === "route") return SHORTAGE;
    return refuse("insufficient_stock", `Only ${available} more units are available.`, { available });
  }
  const next = write(tables, row, change.quantity, allocations?.value ?? null, now_ms);
  if (rule && limits) recordAdded(tables, rule, change.customerId, limits, added, ctx.prior, now_ms);
  return next;
}

/** The hold's new quantity (and allocation), the levels by the difference (invariants checked), and its one audit event. */
function write(tables: SkuTables, row: HoldRow, quantity: number, allocations: Allocation[] | null, now_ms: number): Outcome<HoldRow> {
  const encoded = allocations && JSON.stringify(allocations);
  tables.changeQuantity(row.hold_id, row.quantity, quantity, encoded);
  const touched = new Set<string>();
  if (allocations) {
    const was = new Map((allocationsOf(row) ?? []).map((a) => [a.location, a.quantity]));
    const now = new Map(allocations.map((a) => [a.location, a.quantity]));
    for (const location of new Set([...was.keys(), ...now.keys()])) {
      const delta = (now.get(location) ?? 0) - (was.get(location) ?? 0);
      if (delta !== 0) tables.locations.move(location, { reserved: delta });
      touched.add(location);
    }
  }
  const after = tables.changeLevels("reserved = reserved + ?, updated_at_ms = ?", quantity - row.quantity, now_ms);
  const next: HoldRow = { ...row, quantity, allocations: encoded };
  tables.emit("hold.changed", now_ms, {
    hold: holdView(after.sku, next),
    before: { quantity: row.quantity },
    after: { quantity },
    levels: levelsAfter(tables, after, [...touched]),
  });
  return accept(next);
}

/** A located hold's allocation cut to `quantity`: units leave its last entries first (spec §11). */
function trimmed(allocations: Allocation[] | null, quantity: number): Allocation[] | null {
  if (!allocations) return null;
  const out: Allocation[] = [];
  let left = quantity;
  for (const a of allocations) {
    if (left === 0) break;
    const take = Math.min(left, a.quantity);
    out.push({ location: a.location, quantity: take });
    left -= take;
  }
  return out;
}

/**
 * A located hold's allocation with `added` more units, or the refusal: with
 * split off they come from its one location (active, safety stock kept);
 * with split on from its locations in the SKU's routing order, then others.
 * Null on an unlocated SKU.
 */
function grown(tables: SkuTables, row: HoldRow, added: number): Outcome<Allocation[]> | null {
  const current = allocationsOf(row);
  if (!current) return null;
  const sku = tables.requireSku();
  const rows = tables.locations.rows();
  if (sku.split !== 1) {
    const location = current[0]!.location;
    const at = current.length === 1 ? rows.find((r) => r.location_id === location) : undefined;
    const free = at && profileOfRow(at).status === "active" ? availableAt(at) : 0;
    if (added > free) {
      return refuse("insufficient_stock", `Only ${free} more units are available where this hold's units are.`, {
        available: free,
        locations: [{ location, available: free }],
      });
    }
    return accept([{ location, quantity: row.quantity + added }]);
  }
  const extra = allocate(rows, { routing: sku.routing as Routing, split: true }, null, added);
  if (!extra.ok) return extra;
  const merged = new Map(current.map((a) => [a.location, a.quantity]));
  for (const a of extra.value) merged.set(a.location, (merged.get(a.location) ?? 0) + a.quantity);
  return accept([...merged].map(([location, quantity]) => ({ location, quantity })));
}

/** Where a located hold may take more units (active locations only): its one location (split off), else the SKU's in routing order. */
function growthLocations(tables: SkuTables, row: HoldRow): string[] {
  const sku = tables.requireSku();
  const active = growthOrder(tables.locations.rows(), sku.routing as Routing);
  if (sku.split === 1) return active;
  const own = allocationsOf(row)![0]!.location;
  return active.includes(own) ? [own] : [];
}

/** The hold was priced under terms no longer in force (its sale ended, or another took over): more units need a new hold. */
function termsChanged(tables: SkuTables, row: HoldRow, now_ms: number): Refusal {
  const own = tables.saleRules().find((r) => r.saleId === row.scope);
  if (own && own.endsAtMs <= now_ms) return saleEnded({ saleId: own.saleId, name: own.name, endsAt: iso(own.endsAtMs) });
  return { ...notOnSale(), detail: "This hold was taken under terms no longer in force: take a new hold for more units." };
}

/** Units an increase to `quantity` would add to the hold, as a hint for a shard's refill (read outside the transaction). */
export function unitsWanted(tables: SkuTables, holdId: string, quantity: number): number {
  const row = tables.hold(holdId);
  return row ? Math.max(0, quantity - row.quantity) : 0;
}
