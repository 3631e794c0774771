import { asc, eq, sql } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { checkSale, overlapGuard, overlapRefusal } from "./checks";
import type { SaleInput, SaleItemInput } from "./input";
import { accept, type Outcome } from "../domain/problems";
import type { SaleRule, SkuStatus } from "../domain/types";
import { saleItems, sales, saleSkus, type SaleItemRow, type SaleRow } from "../db/schema";
import { callObject } from "../platform/object-call";
import { iso } from "../stock/offer";
import { joinShardCount, withDefaults, type QueueSettings } from "../waiting-room/config";

export interface SaleView {
  saleId: string;
  name: string;
  startsAt: string;
  endsAt: string;
  status: "upcoming" | "live" | "ended";
  revision: number;
  items: Array<
    Pick<SaleRule, "price" | "perCustomerLimit" | "maxPerOrder" | "holdSeconds" | "holdsPerMinute" | "paymentSeconds"> & {
      sku: string;
      priority: number | null;
      available: number | null;
      status: SkuStatus | null;
    }
  >;
  createdAt: string;
  updatedAt: string;
  queue: Required<QueueSettings> | null;
}

/**
 * Creates or replaces a sale: D1 is the record, each SKU object gets the terms
 * it enforces. The write bumps the sale's revision atomically, so when two
 * writes race every object keeps the newer one; a failed push is healed by
 * repeating the PUT. Removals go to every SKU the sale ever listed (saleSkus),
 * so a racing write's additions are removed too.
 */
export async function putSale(
  env: Env,
  saleId: string,
  input: SaleInput,
  now_ms: number,
): Promise<Outcome<{ created: boolean; sale: SaleView }>> {
  const refused = await checkSale(env, saleId, input);
  if (refused) return refused;
  const db = drizzle(env.DB);
  // A racing write that passed the check above with this one fails the batch's guard: it is told why.
  const revision = await writeSale(db, saleId, input, now_ms).catch(async (e: unknown) => {
    const overlap = await overlapRefusal(env, saleId, input);
    if (overlap) return overlap;
    throw e;
  });
  if (typeof revision !== "number") return revision;

  const kept = new Set(input.items.map((i) => i.sku));
  const ever = await db.select({ sku: saleSkus.sku }).from(saleSkus).where(eq(saleSkus.saleId, saleId));
  const dropped = ever.map((e) => e.sku).filter((sku) => !kept.has(sku));
  await pushSale(env, saleId, revision, input, dropped);
  const sale = await getSale(env, saleId, now_ms);
  if (!sale) throw new Error(`sale ${saleId} vanished after write`);
  return accept({ created: revision === 1, sale });
}

/**
 * Writes the sale and its items in one D1 batch and returns its new revision;
 * the batch fails as a whole when the write would add an overlap (overlapGuard).
 */
async function writeSale(db: DrizzleD1Database, saleId: string, input: SaleInput, now_ms: number): Promise<number> {
  const queue = input.queue ? withDefaults(input.queue) : null;
  const queueColumns = {
    queueMode: queue?.mode ?? null,
    queuePrequeueSeconds: queue?.prequeueSeconds ?? null,
    queueAdmitSeconds: queue?.admitSeconds ?? null,
  };
  // The overlap check runs again as the batch's first statement, so check and write are one atomic step.
  const [, upsert] = await db.batch([
    overlapGuard(db, saleId, input),
    db
      .insert(sales)
      .values({
        saleId,
        name: input.name,
        startsAtMs: input.startsAtMs,
        endsAtMs: input.endsAtMs,
        revision: 1,
        createdAtMs: now_ms,
        updatedAtMs: now_ms,
        ...queueColumns,
      })
      .onConflictDoUpdate({
        target: sales.saleId,
        set: {
          name: input.name,
          startsAtMs: input.startsAtMs,
          endsAtMs: input.endsAtMs,
          updatedAtMs: now_ms,
          revision: sql`${sales.revision} + 1`,
          ...queueColumns,
        },
      })
      .returning({ revision: sales.revision, createdAtMs: sales.createdAtMs }),
    db.delete(saleItems).where(eq(saleItems.saleId, saleId)),
    db.insert(saleItems).values(
      input.items.map((item, position) => ({
        saleId,
        sku: item.sku,
        position,
        priceAmount: item.price.amount,
        currency: item.price.currency,
        perCustomerLimit: item.perCustomerLimit,
        maxPerOrder: item.maxPerOrder ?? null,
        holdSeconds: item.holdSeconds ?? null,
        holdsPerMinute: item.holdsPerMinute ?? null,
        paymentSeconds: item.paymentSeconds ?? null,
        priority: item.priority ?? null,
      })),
    ),
    db
      .insert(saleSkus)
      .values(input.items.map((item) => ({ saleId, sku: item.sku })))
      .onConflictDoNothing(),
  ]);
  const written = upsert[0];
  if (!written) throw new Error(`sale ${saleId} upsert returned no row`);
  return written.revision;
}

/**
 * Pushes a sale's terms at `revision` to each item's SKU object and removes
 * them from `dropped` SKUs. An overloaded object is a 503 like on any other
 * path; the sale is in D1, and repeating the write pushes it again.
 */
export async function pushSale(
  env: Env,
  saleId: string,
  revision: number,
  sale: SaleInput,
  dropped: readonly string[] = [],
): Promise<void> {
  // An overloaded object is a 503 like on any other path; the sale is in D1, and repeating the write pushes it again.
  await Promise.all([
    ...sale.items.map((item) => callObject(env, () => env.SKU.getByName(item.sku).applySaleRule(ruleOf(saleId, revision, sale, item)))),
    ...dropped.map((sku) => callObject(env, () => env.SKU.getByName(sku).removeSaleRule(saleId, revision))),
    // The waiting room hears of every write, so turning it off, moving the window or ending the sale reaches it too.
    callObject(env, () =>
      env.WAITING_ROOM.getByName(saleId).configure({
        saleId,
        revision,
        settings: sale.queue ? withDefaults(sale.queue) : null,
        startsAtMs: sale.startsAtMs,
        endsAtMs: sale.endsAtMs,
        skus: sale.items.map((i) => i.sku),
        joinShards: joinShardCount(env),
      }),
    ),
  ]);
}

/** A stored sale as the input that would write it again. */
export function inputOf(sale: SaleRow, items: readonly SaleItemRow[]): SaleInput {
  return {
    name: sale.name,
    startsAtMs: sale.startsAtMs,
    endsAtMs: sale.endsAtMs,
    items: items.map((item) => ({
      sku: item.sku,
      price: { amount: item.priceAmount, currency: item.currency },
      perCustomerLimit: item.perCustomerLimit,
      maxPerOrder: item.maxPerOrder ?? undefined,
      holdSeconds: item.holdSeconds ?? undefined,
      holdsPerMinute: item.holdsPerMinute ?? undefined,
      paymentSeconds: item.paymentSeconds ?? undefined,
      priority: item.priority ?? undefined,
    })),
    ...(sale.queueMode === null
      ? {}
      : {
          queue: {
            mode: sale.queueMode,
            prequeueSeconds: sale.queuePrequeueSeconds ?? undefined,
            admitSeconds: sale.queueAdmitSeconds ?? undefined,
          },
        }),
  };
}

/** The sale with each item's live availability, read from the SKU objects. */
/** A stored sale as the input that would write it again; null if there is none. */
export async function storedSaleInput(env: Env, saleId: string): Promise<SaleInput | null> {
  const db = drizzle(env.DB);
  const [[sale], items] = await db.batch([
    db.select().from(sales).where(eq(sales.saleId, saleId)),
    db.select().from(saleItems).where(eq(saleItems.saleId, saleId)).orderBy(asc(saleItems.position)),
  ]);
  return sale ? inputOf(sale, items) : null;
}

export async function getSale(env: Env, saleId: string, now_ms: number): Promise<SaleView | null> {
  const db = drizzle(env.DB);
  const [sale] = await db.select().from(sales).where(eq(sales.saleId, saleId));
  if (!sale) return null;
  const items = await db.select().from(saleItems).where(eq(saleItems.saleId, saleId)).orderBy(asc(saleItems.position));
  const snapshots = await Promise.all(items.map((item) => callObject(env, () => env.SKU.getByName(item.sku).snapshot())));
  return viewOf(sale, items, snapshots, now_ms);
}

export function viewOf(
  sale: SaleRow,
  items: SaleItemRow[],
  snapshots: Array<{ levels: { available: number }; status: SkuStatus } | null>,
  now_ms: number,
): SaleView {
  return {
    saleId: sale.saleId,
    name: sale.name,
    startsAt: iso(sale.startsAtMs),
    endsAt: iso(sale.endsAtMs),
    status: now_ms < sale.startsAtMs ? "upcoming" : now_ms < sale.endsAtMs ? "live" : "ended",
    revision: sale.revision,
    items: items.map((item, i) => ({
      sku: item.sku,
      price: { amount: item.priceAmount, currency: item.currency },
      perCustomerLimit: item.perCustomerLimit,
      maxPerOrder: item.maxPerOrder,
      holdSeconds: item.holdSeconds,
      holdsPerMinute: item.holdsPerMinute,
      paymentSeconds: item.paymentSeconds,
      priority: item.priority,
      available: snapshots[i]?.levels.available ?? null,
      status: snapshots[i]?.status ?? null,
    })),
    createdAt: iso(sale.createdAtMs),
    updatedAt: iso(sale.updatedAtMs),
    queue: sale.queueMode
      ? { mode: sale.queueMode, prequeueSeconds: sale.queuePrequeueSeconds ?? 0, admitSeconds: sale.queueAdmitSeconds ?? 0 }
      : null,
  };
}

function ruleOf(saleId: string, revision: number, sale: SaleInput, item: SaleItemInput): SaleRule {
  return {
    saleId,
    revision,
    name: sale.name,
    startsAtMs: sale.startsAtMs,
    endsAtMs: sale.endsAtMs,
    price: item.price,
    perCustomerLimit: item.perCustomerLimit,
    maxPerOrder: item.maxPerOrder ?? null,
    holdSeconds: item.holdSeconds ?? null,
    holdsPerMinute: item.holdsPerMinute ?? null,
    paymentSeconds: item.paymentSeconds ?? null,
    priority: item.priority ?? null,
    queued: Boolean(sale.queue),
    ...(sale.actor && { actor: sale.actor }),
  };
}
