import { and, eq, gt, ne, sql, type SQL } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { unchargeable } from "../domain/currencies";
import { refuse, type FieldIssue, type Refusal } from "../domain/problems";
import { saleItems, sales, saleSkus } from "../db/schema";
import { callObject } from "../platform/object-call";
import type { SaleInput } from "./input";

/**
 * What a sale must satisfy before D1 or any SKU object hears of it: every
 * SKU exists and is priced in the item's currency (a sale cannot charge a
 * SKU in two currencies), every price is one the provider charges, and no
 * other sale lists one of its SKUs in an overlapping window unless both items
 * carry a `priority` (issue 10; checked again, atomically, by the write's
 * `overlapGuard`).
 * The refusal, or null when the sale may be written.
 */
export async function checkSale(env: Env, saleId: string, input: SaleInput): Promise<Refusal | null> {
  return checkAmounts(input) ?? (await checkSkus(env, input)) ?? (await overlapRefusal(env, saleId, input));
}

/** Every item's price is one the payment provider would charge (the first that is not, refused). */
function checkAmounts(input: SaleInput): Refusal | null {
  for (const [i, item] of input.items.entries()) {
    const refused = unchargeable(item.price, `items.${i}.price`);
    if (refused) return refused;
  }
  return null;
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

/**
 * The other sales' items this write would overlap on a SKU both list, unless
 * both carry a priority (issue 10). A conflict the stored version of this sale
 * already had with that sale is left out: an edit may keep or resolve an
 * overlap that exists (one written before the check became atomic, issue 26),
 * never add one. The new items travel as one JSON parameter, so the query binds
 * five parameters however many items there are.
 */
function conflictsOf(saleId: string, input: SaleInput): SQL {
  const items = JSON.stringify(input.items.map((i) => ({ sku: i.sku, priority: i.priority ?? null })));
  return sql`
    SELECT o.sale_id AS saleId, o.sku AS sku
    FROM json_each(${items}) AS n
    JOIN sale_items AS o ON o.sku = json_extract(n.value, '$.sku') AND o.sale_id <> ${saleId}
    JOIN sales AS os ON os.sale_id = o.sale_id
    WHERE os.starts_at_ms < ${input.endsAtMs} AND os.ends_at_ms > ${input.startsAtMs}
      AND (o.priority IS NULL OR json_extract(n.value, '$.priority') IS NULL)
      AND NOT EXISTS (
        SELECT 1 FROM sale_items AS m JOIN sales AS ms ON ms.sale_id = m.sale_id
        WHERE m.sale_id = ${saleId} AND m.sku = o.sku
          AND ms.starts_at_ms < os.ends_at_ms AND ms.ends_at_ms > os.starts_at_ms
          AND (o.priority IS NULL OR m.priority IS NULL))`;
}

/**
 * The first statement of a sale's write batch: it fails, and with it the whole
 * batch (D1 runs a batch as one transaction, one at a time), when the write
 * would add an overlap. So the check and the write are one atomic step and two
 * racing writes cannot both pass it. D1 has no RAISE outside triggers: the
 * failure is the NOT NULL violation of a row produced only when a conflict
 * exists, and `overlapRefusal` then says which.
 */
export function overlapGuard(db: DrizzleD1Database, saleId: string, input: SaleInput) {
  return db.insert(saleSkus).select(sql`SELECT NULL, NULL WHERE EXISTS (${conflictsOf(saleId, input)})`);
}

/** The `sale_overlap` refusal for this write, or null when it overlaps nothing it may not. */
export async function overlapRefusal(env: Env, saleId: string, input: SaleInput): Promise<Refusal | null> {
  const rows = await drizzle(env.DB).all<{ saleId: string; sku: string }>(conflictsOf(saleId, input));
  const conflicts = rows
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
