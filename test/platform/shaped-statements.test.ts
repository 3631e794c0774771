import { env } from "cloudflare:workers";
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { customerHolds, type CustomerHoldRow } from "../../src/db/schema";
import { columnsOf, Shaped } from "../../src/db/shaped";
import { unique } from "../support/helpers";

/**
 * src/db/shaped.ts: a statement drizzle builds once per row count and D1
 * runs with each call's values (the outbox shipper's batches). What it stores
 * must be what drizzle's own statement stores.
 */
const db = drizzle(env.DB);

const holdRow = (holdId: string, over: Partial<CustomerHoldRow> = {}): CustomerHoldRow => ({
  holdId,
  customerId: "ann",
  sku: "shaped-sku",
  quantity: 2,
  status: "held",
  stage: 0,
  unitAmount: 1999,
  currency: "usd",
  saleId: null,
  orderId: null,
  createdAtMs: 1_000,
  expiresAtMs: 2_000,
  updatedAtMs: 1_500,
  ...over,
});

/** An insert into the hold index that counts how often its SQL is built. */
function countedInsert() {
  const built = { times: 0 };
  const shaped = new Shaped<CustomerHoldRow>(columnsOf(customerHolds), (d, rows) => {
    built.times += 1;
    return d.insert(customerHolds).values(rows);
  });
  return { shaped, built };
}

const stored = (ids: string[]) => db.select().from(customerHolds).where(inArray(customerHolds.holdId, ids)).orderBy(customerHolds.holdId);

describe("a statement built once per shape", () => {
  it("stores what drizzle's own insert stores, nulls included, with each call's own values", async () => {
    const { shaped, built } = countedInsert();
    const [a, b, c] = ["a", "b", "c"].map((p) => `${p}-${unique("shaped")}`) as [string, string, string];
    await db.insert(customerHolds).values([holdRow(a, { saleId: "sale-1" }), holdRow(c, { status: "checkout", orderId: "order-1" })]);
    const b1 = holdRow(`${b}-1`, { saleId: "sale-1" });
    const b2 = holdRow(`${b}-2`, { status: "checkout", orderId: "order-1", quantity: 5 });
    await env.DB.batch([shaped.statement(env.DB, [b1]), shaped.statement(env.DB, [b2])]);

    const [viaDrizzle, viaShape] = [await stored([a, c]), await stored([b1.holdId, b2.holdId])];
    expect(viaShape).toEqual([b1, b2]);
    // Beyond the id and the quantity the rows differ in, each column stored as drizzle stores it.
    const alike = (rows: CustomerHoldRow[]) => rows.map(({ holdId: _, quantity: __, ...rest }) => rest);
    expect(alike(viaShape)).toEqual(alike(viaDrizzle));
    expect(built.times, "the one-row shape was built again").toBe(1);
  });

  it("cuts rows into statements D1 can bind, building each row count's SQL once", async () => {
    const { shaped, built } = countedInsert();
    // 13 columns a row: 7 rows a statement under D1's 100 parameters, so 20 rows are 7 + 7 + 6.
    const rows = (tag: string) => Array.from({ length: 20 }, (_, i) => holdRow(`${tag}-${String(i).padStart(2, "0")}`));
    const first = rows(unique("cut"));
    const statements = shaped.statements(env.DB, first);
    expect(statements).toHaveLength(3);
    await env.DB.batch(statements);
    expect(await stored(first.map((r) => r.holdId))).toEqual(first);
    await env.DB.batch(shaped.statements(env.DB, rows(unique("cut"))));
    expect(built.times, "one build for 7 rows, one for 6").toBe(2);
  });

  it("refuses, as a bug, a row that leaves a column out and more rows than one statement binds", () => {
    const { shaped } = countedInsert();
    const { orderId: _, ...partial } = holdRow("partial");
    expect(() => shaped.statement(env.DB, [partial as CustomerHoldRow])).toThrow(/no value for column orderId/);
    const eight = Array.from({ length: 8 }, (_, i) => holdRow(`over-${i}`));
    expect(() => shaped.statement(env.DB, eight)).toThrow(/does not fit D1/);
  });
});
