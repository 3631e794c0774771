import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createSku, hold } from "../../support/helpers";
import { adjustAt, registerLocation } from "./support";

type Cost = { calls: number; rows_read: number; rows_written: number };

/**
 * What a hold on a located SKU costs where the platform bills it (as
 * test/stock/row-costs.test.ts for an unlocated one): the unlocated budget
 * of 5 rows plus the one location row the hold reserves at.
 */
describe("rows written by a hold on a SKU with locations", () => {
  it("a hold from one of five locations writes at most 6 rows", async () => {
    const sku = await createSku();
    for (let i = 0; i < 4; i++) expect((await adjustAt(sku, (await registerLocation()).locationId, 50)).status).toBe(200);
    const before = ((await env.SKU.getByName(sku).costs()).hold as Cost | undefined) ?? { calls: 0, rows_read: 0, rows_written: 0 };
    for (let i = 0; i < 8; i++) expect((await hold(sku, `rc${i}`, 1)).status).toBe(201);
    const after = (await env.SKU.getByName(sku).costs()).hold as Cost;
    const written = (after.rows_written - before.rows_written) / (after.calls - before.calls);
    const read = (after.rows_read - before.rows_read) / (after.calls - before.calls);
    console.log(`located hold (5 locations): ${written} rows written, ${read} rows read per hold`);
    expect(written).toBeLessThanOrEqual(6);
  });
});
