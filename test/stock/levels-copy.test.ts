import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { levelsRowOf, SKU_COLUMNS } from "../../src/stock/tables-side";
import { createSku } from "../support/helpers";
import { objectSql, skuStub } from "../support/inside-objects";

/**
 * The SKU object decides a hold on the levels row its last change returned,
 * kept in memory (src/stock/tables-side.ts), and checks the invariants on the
 * row the hold's own UPDATE returns. These tests make that copy stale behind
 * the object's back, as no statement of its own can, and show that a stale
 * copy fails a change loudly and never oversells.
 */
type Levels = { on_hand: number; reserved: number };

const stored = async (sku: string) => (await objectSql<Levels>(sku, "SELECT on_hand, reserved FROM sku"))[0]!;

/** Takes a unit off the shelf in storage alone (a write the object never made), leaving its copy as it was. */
function shrinkBehindItsBack(sku: string): Promise<void> {
  return runInDurableObject(skuStub(sku), (_o: SkuObject, state) => {
    state.storage.sql.exec("UPDATE sku SET on_hand = on_hand - 1, received = received - 1");
  });
}

describe("the levels the object keeps in memory", () => {
  it("cannot oversell when stale: the change fails on the stored row, and the rollback drops the copy", async () => {
    const sku = await createSku({ stock: 2 });
    const stub = skuStub(sku);
    expect(await stub.reserve({ customerId: "first", quantity: 1 }, null)).toMatchObject({ ok: true });
    await shrinkBehindItsBack(sku);

    // The copy still says one unit is free; the store says none is.
    const granted = await stub.reserve({ customerId: "second", quantity: 1 }, null).then(
      (outcome) => outcome.ok,
      () => false,
    );
    expect(granted, "a hold was granted on a unit that no longer exists").toBe(false);
    expect(await stored(sku)).toEqual({ on_hand: 1, reserved: 1 });

    // The failed change forgot the copy: the next hold reads the store and is refused as a value, not by an error.
    expect(await stub.reserve({ customerId: "third", quantity: 1 }, null)).toMatchObject({ ok: false, code: "sold_out" });
  });

  it("reads the row again after a write that does not return it (the SKU's settings)", async () => {
    const sku = await createSku({ stock: 3 });
    const stub = skuStub(sku);
    expect(await stub.reserve({ customerId: "a", quantity: 1 }, null)).toMatchObject({ ok: true });
    const renamed = await stub.configure(sku, { name: "Renamed", price: { amount: 2500, currency: "usd" }, alwaysOn: true });
    expect(renamed).toMatchObject({ ok: true, value: { created: false } });
    const next = await stub.reserve({ customerId: "b", quantity: 1 }, null);
    // The hold is priced from the row the settings wrote, not from the copy before them.
    expect(next).toMatchObject({ ok: true, value: { unitPrice: { amount: 2500, currency: "usd" } } });
  });

  it("reads each column of the row from its own position", async () => {
    const sku = await createSku({ stock: 3 });
    await runInDurableObject(skuStub(sku), (_o: SkuObject, state) => {
      const sql = state.storage.sql;
      // Every column a different value, so a value read from another column's position shows.
      const columns = SKU_COLUMNS.split(",").map((c) => c.trim());
      const distinct = `SELECT ${columns.map((c, i) => `${i} AS ${c}`).join(", ")}`;
      expect(levelsRowOf(sql.exec(distinct))).toStrictEqual({ ...sql.exec(distinct).toArray()[0] });
      const stored = `SELECT ${SKU_COLUMNS} FROM sku`;
      expect(levelsRowOf(sql.exec(stored))).toStrictEqual({ ...sql.exec(stored).toArray()[0] });
      expect(levelsRowOf(sql.exec(`${stored} WHERE id = 2`))).toBeNull();
    });
  });
});
