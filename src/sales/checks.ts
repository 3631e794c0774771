import { and, eq, gt, inArray, lt, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { refuse, type FieldIssue, type Refusal } from "../domain/problems";
import { saleItems, sales } from "../db/schema";
import { callObject } from "../platform/object-call";
import type { SaleInput } from "./input";

/**
 * What a sale must satisfy before D1 or any SKU object hears of it: every
 * SKU exists and is priced in the item's currency (a sale cannot charge a
 * SKU in two currencies), and no other sale lists one of its SKUs in an
 * overlapping window unless both items carry a `priority` (issue 10).
 * The refusal, or null when the sale may be written.
 */
export async function checkSale(env: Env, saleId: string, input: SaleInput): Promise<Refusal | null> {
  return (await checkSkus(env, input)) ?? (await checkOverlap(env, saleId, input));
}

/**
 * A SKU's currency may change only while no sale that has not ended prices it
 * in another one, so a sale item's currency stays its SKU's. The refusal, or
 * null when the SKU may take this currency.
 */
export async function checkSkuCurrency(env: Env, sku: string, currency: string, now_ms: number): Promise<Refusal | null> {
  const db = drizzle(env.DB);
  const [other] = await db
    .select({ saleId: saleItems.saleId, currency: saleItems.currency })
    .from(saleItems)
    .innerJoin(sales, eq(sales.saleId, saleItems.saleId))
    .where(and(eq(saleItems.sku, sku), ne(saleItems.currency, currency), gt(sales.endsAtMs, now_ms)))
    .limit(1);
  if (!other) return null;
  return refuse("invalid_request", `The sale "${other.saleId}" prices this SKU in ${other.currency}; end it or change its items first.`, {
    errors: [{ in: "json", path: "price.currency", message: `must be ${other.currency} while sale ${other.saleId} lists the SKU` }],
  });
}

async function checkSkus(env: Env, input: SaleInput): Promise<Refusal | null> {
  const snapshots = await Promise.all(input.items.map((item) => callObject(env, () => env.SKU.getByName(item.sku).snapshot())));
  const missing: string[] = [];
  const errors: FieldIssue[] = [];
  input.items.forEach((item, i) => {
    const snapshot = snapshots[i];
    if (!snapshot) {
      missing.push(item.sku);
      errors.push({ in: "json", path: `items.${i}.sku`, message: "no such SKU" });
    } else if (snapshot.price.currency !== item.price.currency) {
      errors.push({ in: "json", path: `items.${i}.price.currency`, message: `must be the SKU's currency, ${snapshot.price.currency}` });
    }
  });
  if (missing.length > 0) {
    return refuse("invalid_request", `Unknown SKU(s): ${missing.join(", ")}. Create them with PUT /v1/skus/{sku} first.`, { errors });
  }
  if (errors.length > 0) return refuse("invalid_request", "A sale item's price must be in its SKU's currency.", { errors });
  return null;
}

async function checkOverlap(env: Env, saleId: string, input: SaleInput): Promise<Refusal | null> {
  const db = drizzle(env.DB);
  // At most 100 items (the body's bound), so one query with every SKU bound stays under D1's 100 parameters.
  const others = await db
    .select({ saleId: saleItems.saleId, sku: saleItems.sku, priority: saleItems.priority })
    .from(saleItems)
    .innerJoin(sales, eq(sales.saleId, saleItems.saleId))
    .where(
      and(
        inArray(
          saleItems.sku,
          input.items.map((i) => i.sku),
        ),
        ne(saleItems.saleId, saleId),
        lt(sales.startsAtMs, input.endsAtMs),
        gt(sales.endsAtMs, input.startsAtMs),
      ),
    );
  const priorityOf = new Map(input.items.map((i) => [i.sku, i.priority]));
  const conflicts = others
    .filter((o) => o.priority === null || priorityOf.get(o.sku) === undefined)
    .map((o) => ({ saleId: o.saleId, sku: o.sku }))
    .sort((a, b) => a.sku.localeCompare(b.sku) || a.saleId.localeCompare(b.saleId));
  if (conflicts.length === 0) return null;
  const listed = conflicts.map((c) => `${c.sku} (sale ${c.saleId})`).join(", ");
  return refuse(
    "sale_overlap",
    `Another sale lists ${listed} at an overlapping time. Move one window, or give both items a priority (higher wins while both are live).`,
    { conflicts },
  );
}
