import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createSku, hold, putSale, shopperToken, unique } from "../support/helpers";

/**
 * What each operation costs where the platform bills it: rows read and
 * written, from the object's SQL cursors (src/platform/sql-meter.ts, the
 * costs() RPC). Issue 18's budget: a hold writes at most 5 rows (the hold,
 * its deadline and creation index entries, the levels, the audit event); a
 * hold under a sale one more, its customer's usage (invariant 4).
 */
const HOLDS = 8;

type Cost = { calls: number; units: number; rows_read: number; rows_written: number; statements: number };

const costsOf = (sku: string): Promise<Record<string, Cost>> => env.SKU.getByName(sku).costs();

/** `field` per call of `op` over what `run` did. */
async function perCall(sku: string, op: string, run: () => Promise<void>, field: "rows_written" | "statements" = "rows_written") {
  const before = (await costsOf(sku))[op] ?? { calls: 0, rows_written: 0, statements: 0 };
  await run();
  const after = (await costsOf(sku))[op];
  if (!after || after.calls === before.calls) throw new Error(`${op} was not measured`);
  return (after[field] - before[field]) / (after.calls - before.calls);
}
const writtenPer = (sku: string, op: string, run: () => Promise<void>) => perCall(sku, op, run);

const keyed = () => ({ "Idempotency-Key": unique("k") });

describe("rows written per operation", () => {
  it("a keyed hold at list price writes at most 5 rows, its stored reply included", async () => {
    const sku = await createSku({ stock: 100 });
    const written = await writtenPer(sku, "hold", async () => {
      for (let i = 0; i < HOLDS; i++) expect((await hold(sku, `lp${i}`, 1, keyed())).status).toBe(201);
    });
    expect(written).toBeLessThanOrEqual(5);
  });

  it("a keyed hold under a sale with limits and a hold rate writes at most 6 rows, each a new customer", async () => {
    const sku = await createSku({ stock: 100, alwaysOn: false });
    const sale = unique("sale");
    const put = await putSale(sale, [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 5, holdsPerMinute: 60 }]);
    expect(put.status).toBeLessThan(300);
    const written = await writtenPer(sku, "hold", async () => {
      for (let i = 0; i < HOLDS; i++) expect((await hold(sku, `sc${i}`, 1, keyed())).status).toBe(201);
    });
    expect(written).toBeLessThanOrEqual(6);
  });

  it("a hold runs 3 statements: no fence read on an object never fenced, no sweep before the earliest deadline, no levels read", async () => {
    const sku = await createSku({ stock: 100 });
    expect((await hold(sku, "st-first", 1)).status).toBe(201);
    const statements = await perCall(
      sku,
      "hold",
      async () => {
        for (let i = 0; i < HOLDS; i++) expect((await hold(sku, `st${i}`, 1)).status).toBe(201);
      },
      "statements",
    );
    // The hold, the levels written (their row is what the next hold decides on), its audit event.
    expect(statements).toBe(3);
  });

  it("the replay of a keyed hold writes nothing and answers the stored hold", async () => {
    const sku = await createSku({ stock: 10 });
    const headers = keyed();
    const first = await hold(sku, "rp", 1, headers);
    expect(first.status).toBe(201);
    let again: Awaited<ReturnType<typeof hold>> | null = null;
    const written = await writtenPer(sku, "hold", async () => {
      again = await hold(sku, "rp", 1, headers);
    });
    expect(written).toBe(0);
    expect(again!.body).toEqual(first.body);
  });

  it("release, checkout, commit and return each write at most 4 rows", async () => {
    const sku = await createSku({ stock: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await hold(sku, "ops", 1, keyed())).body.holdId);
    const stub = env.SKU.getByName(sku);
    const auth = await shopperToken("ops");
    const costs = {
      release: await writtenPer(sku, "release", async () => {
        expect((await call(`/v1/skus/${sku}/holds/${ids[0]}`, { method: "DELETE", auth })).status).toBe(200);
      }),
      checkout: await writtenPer(sku, "checkout", async () => {
        expect(await stub.beginCheckout(ids[1]!, "order_a", "merchant")).toMatchObject({ ok: true });
      }),
      commit: await writtenPer(sku, "commit", async () => {
        expect(await stub.commit(ids[1]!, "order_a")).toMatchObject({ ok: true });
      }),
      return: await writtenPer(sku, "return", async () => {
        expect(await stub.returnHold(ids[1]!, "order_a")).toMatchObject({ ok: true });
      }),
    };
    for (const written of Object.values(costs)) expect(written).toBeLessThanOrEqual(4);
  });
});
