import type { MerchantActor } from "../domain/roles";
import { and, asc, desc, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accept, refuse, type Outcome } from "../domain/problems";
import type { SkuSnapshot } from "../domain/types";
import { saleItems, sales, type SaleItemRow } from "../db/schema";
import { callObject } from "../platform/object-call";
import { decodeCursor, encodeCursor } from "../platform/cursor";
import { getSale, inputOf, pushSale, viewOf, type SaleView } from "./store";

/** The merchant's side of sales beyond create and read (issue 10): the list, and ending one now. */

export type SaleStatus = SaleView["status"];

/** Distinct SKUs one page of the list reads live availability for; items past it show `available: null`. */
export const LIST_SNAPSHOTS_MAX = 200;

/** Where a page of the list ended: newest start first, the sale id breaking ties. */
export interface SalePosition {
  startsAtMs: number;
  saleId: string;
}

export function encodeSalePosition(p: SalePosition): string {
  return encodeCursor(JSON.stringify(["sale", p.startsAtMs, p.saleId]));
}

/** The position a cursor names, or null when it was not made by encodeSalePosition. */
export function decodeSalePosition(cursor: string): SalePosition | null {
  const text = decodeCursor(cursor);
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && v.length === 3 && v[0] === "sale" && Number.isSafeInteger(v[1]) && typeof v[2] === "string") {
      return { startsAtMs: v[1] as number, saleId: v[2] };
    }
  } catch {
    // not JSON: not ours
  }
  return null;
}

function statusFilter(status: SaleStatus | undefined, now_ms: number): SQL | undefined {
  switch (status) {
    case "upcoming":
      return gt(sales.startsAtMs, now_ms);
    case "live":
      return and(lte(sales.startsAtMs, now_ms), gt(sales.endsAtMs, now_ms));
    case "ended":
      return lte(sales.endsAtMs, now_ms);
    default:
      return undefined;
  }
}

/** A page of sales, newest `startsAt` first, each with its items' live availability (bounded, see LIST_SNAPSHOTS_MAX). */
export async function listSales(
  env: Env,
  opts: { status?: SaleStatus | undefined; after: SalePosition | null; limit: number },
  now_ms: number,
): Promise<{ sales: SaleView[]; next: SalePosition | null }> {
  const db = drizzle(env.DB);
  const { after, limit } = opts;
  // One extra row tells whether another page exists without a COUNT.
  const rows = await db
    .select()
    .from(sales)
    .where(
      and(
        statusFilter(opts.status, now_ms),
        after ? sql`(${sales.startsAtMs}, ${sales.saleId}) < (${after.startsAtMs}, ${after.saleId})` : undefined,
      ),
    )
    .orderBy(desc(sales.startsAtMs), desc(sales.saleId))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  // limit <= 100, so the ids stay within D1's 100 bound parameters.
  const items =
    page.length === 0
      ? []
      : await db
          .select()
          .from(saleItems)
          .where(
            inArray(
              saleItems.saleId,
              page.map((s) => s.saleId),
            ),
          )
          .orderBy(asc(saleItems.saleId), asc(saleItems.position));
  const bySale = new Map<string, SaleItemRow[]>();
  for (const item of items) bySale.set(item.saleId, [...(bySale.get(item.saleId) ?? []), item]);
  const skus = [...new Set(items.map((i) => i.sku))].slice(0, LIST_SNAPSHOTS_MAX);
  const snapshots = await Promise.all(skus.map((sku) => callObject(env, () => env.SKU.getByName(sku).snapshot())));
  const snapshotOf = new Map<string, SkuSnapshot | null>(skus.map((sku, i) => [sku, snapshots[i] ?? null]));
  const views = page.map((sale) => {
    const own = bySale.get(sale.saleId) ?? [];
    return viewOf(
      sale,
      own,
      own.map((i) => snapshotOf.get(i.sku) ?? null),
      now_ms,
    );
  });
  const last = page.at(-1);
  return { sales: views, next: rows.length > limit && last ? { startsAtMs: last.startsAtMs, saleId: last.saleId } : null };
}

/**
 * Ends a sale now: `endsAt` becomes now (an upcoming sale's `startsAt` too,
 * so its window is empty) under a new revision, pushed to every item's SKU
 * object, which refuses holds under the sale from then on. Ending an ended
 * sale changes nothing in D1 but pushes its terms again, so a retry after a
 * failed push (503) heals the objects; they ignore a revision they have.
 */
export async function endSale(env: Env, saleId: string, now_ms: number, actor?: MerchantActor): Promise<Outcome<SaleView>> {
  const db = drizzle(env.DB);
  const [, [sale], items] = await db.batch([
    db
      .update(sales)
      .set({
        endsAtMs: now_ms,
        startsAtMs: sql`MIN(${sales.startsAtMs}, ${now_ms})`,
        revision: sql`${sales.revision} + 1`,
        updatedAtMs: now_ms,
      })
      .where(and(eq(sales.saleId, saleId), gt(sales.endsAtMs, now_ms))),
    db.select().from(sales).where(eq(sales.saleId, saleId)),
    db.select().from(saleItems).where(eq(saleItems.saleId, saleId)).orderBy(asc(saleItems.position)),
  ]);
  if (!sale) return refuse("not_found", `No sale "${saleId}".`);
  await pushSale(env, saleId, sale.revision, { ...inputOf(sale, items), ...(actor && { actor }) });
  const view = await getSale(env, saleId, now_ms);
  if (!view) throw new Error(`sale ${saleId} vanished after ending`);
  return accept(view);
}
