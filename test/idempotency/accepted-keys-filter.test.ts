import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it, vi } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { filterFrom, filterResponse } from "../../src/edge/accepted-filters";
import { GrowingKeyFilter, keyMatcher } from "../../src/idempotency/accepted-keys";
import { createSku, unique } from "../support/helpers";

/** Seeds `n` keys the object accepted, as its stored replies record them. */
function seedAccepted(sql: SqlStorage, prefix: string, n: number): void {
  sql.exec(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO idempotency (key, request_hash, outcome, created_at_ms, accepted) SELECT ? || i, 'h', '{}', ? + i, 1 FROM n`,
    n,
    prefix,
    Date.now() - n,
  );
}

/**
 * The filter of accepted keys a sold-out verdict carries to the edge (spec §6,
 * issue 18 item 3): a key the object accepts joins the filter in place, so a
 * sale that keeps selling returned units does not re-read every accepted key
 * and rehash them for each new verdict.
 */
describe("the accepted-key filter", () => {
  it("takes a newly accepted key in place: the next verdict reads no stored key again", async () => {
    const sku = await createSku({ stock: 2 });
    const seeded = 20_000;
    await runInDurableObject(env.SKU.getByName(sku), (o: SkuObject, state) => {
      state.storage.sql.exec(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO idempotency (key, request_hash, outcome, created_at_ms, accepted) SELECT 'seeded-' || i, 'h', '{}', ? + i, 1 FROM n`,
        seeded,
        Date.now() - seeded,
      );
      const first = keyMatcher(o.ledger.acceptedKeys(Date.now()));
      expect(first("seeded-1")).toBe(true);
      expect(first("fresh-key")).toBe(false);

      const read = vi.spyOn(o.ledger.replies, "acceptedKeys");
      const held = o.ledger.reserve({ customerId: "c-1", quantity: 1 }, { key: "fresh-key", requestHash: "r" }, Date.now());
      expect(held.ok).toBe(true);
      const next = keyMatcher(o.ledger.acceptedKeys(Date.now()));
      expect(next("fresh-key"), "the key accepted just now passes the edge to its stored reply").toBe(true);
      expect(next(`seeded-${seeded}`)).toBe(true);
      expect(read, "the stored keys were read again for one new key").not.toHaveBeenCalled();
      read.mockRestore();
    });
  });

  it("grows past the keys it was built for without dropping one, and stays a useful filter", () => {
    const filter = GrowingKeyFilter.of(
      Array.from({ length: 1_000 }, (_, i) => `old-${i}`),
      1_000,
    );
    const added: string[] = [];
    for (let i = 0; i < 9_000; i++) {
      const key = `new-${i}`;
      // Full: the owner rebuilds it bigger from its stored keys, as the ledger does.
      if (!filter.add(key)) break;
      added.push(key);
    }
    expect(added.length, "a filter built for 1,000 keys takes some more before it asks to be rebuilt").toBeGreaterThan(0);
    const matches = keyMatcher(filter.encoded());
    for (let i = 0; i < 1_000; i++) expect(matches(`old-${i}`)).toBe(true);
    for (const key of added) expect(matches(key)).toBe(true);
    let falsePositives = 0;
    for (let i = 0; i < 10_000; i++) if (matches(`never-${i}`)) falsePositives++;
    // Built at ~1% and refused more keys before its rate passes ~2%: a full filter would match everything.
    expect(falsePositives / 10_000).toBeLessThan(0.03);
  });

  it("encodes once per change: asking again without a new key gives the same filter", () => {
    const filter = GrowingKeyFilter.of(["a", "b"], 2);
    const one = filter.encoded();
    expect(filter.encoded()).toBe(one);
    expect(filter.add("c")).toBe(true);
    const two = filter.encoded();
    expect(two).not.toBe(one);
    expect(keyMatcher(two)("c")).toBe(true);
  });

  it("versions the filter: the same filter keeps its version, a new key or another build of the same keys gets another", () => {
    const filter = GrowingKeyFilter.of(["a", "b"], 4);
    const one = filter.encoded().version;
    expect(one).toMatch(/\S/);
    expect(filter.encoded().version).toBe(one);
    filter.add("c");
    expect(filter.encoded().version).not.toBe(one);
    // Another lifetime of the object builds from the same stored keys: its filter must not pass for this one's.
    expect(GrowingKeyFilter.of(["a", "b"], 4).encoded().version).not.toBe(one);
  });

  it("a verdict carries the filter's version, not its bits: at 50,000 accepted keys a few dozen bytes; the filter of that version is the object's on asking, 10 bits a key", async () => {
    const sku = await createSku({ stock: 0 });
    const seeded = 50_000;
    await runInDurableObject(env.SKU.getByName(sku), async (o: SkuObject, state) => {
      seedAccepted(state.storage.sql, "seeded-", seeded);
      const refused = await o.reserve({ customerId: unique("c"), quantity: 1, admittedTo: [] }, null);
      expect(refused).toMatchObject({ ok: false, code: "sold_out" });
      const carried = JSON.stringify(refused.acceptedKeys ?? null).length;
      if (inject("testVerbose")) console.log(`verdict ${JSON.stringify(refused).length} B, its accepted keys ${carried} B`);
      expect(carried, "bytes of accepted keys on every verdict, refusal and verdict cache write").toBeLessThan(100);
      const filter = await o.acceptedKeysFilter();
      if (inject("testVerbose")) console.log(`the filter, fetched once per version: ${filter?.bits.byteLength} B`);
      expect(filter?.version).toBe(refused.acceptedKeys?.version);
      // Its bits travel (RPC, the location's cache) as bytes, not a third more as base64: 10 bits a key.
      expect(filter?.bits.byteLength).toBeLessThanOrEqual((seeded * 10) / 8 + 8);
      const matches = keyMatcher(filter!);
      for (let i = 1; i <= seeded; i++) if (!matches(`seeded-${i}`)) expect.fail(`accepted key seeded-${i} would be cut at the edge`);
      let falsePositives = 0;
      const tried = 100_000;
      for (let i = 0; i < tried; i++) if (matches(`never-${i}`)) falsePositives++;
      if (inject("testVerbose")) console.log(`false positives ${falsePositives} of ${tried}`);
      expect(falsePositives / tried).toBeLessThan(0.015);
    });
  });
});

describe("a filter in the location's cache", () => {
  it("is its bits as the body and its shape in a header, read back only as the version asked for", async () => {
    const filter = GrowingKeyFilter.of(["k-1", "k-2", "k-3"], 100).encoded();
    const res = filterResponse(filter);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const back = await filterFrom(res.clone(), filter.version);
    expect(back).toEqual(filter);
    expect(keyMatcher(back!)("k-2")).toBe(true);
    expect(await filterFrom(res.clone(), `${filter.version}x`)).toBeNull();
    expect(await filterFrom(new Response(filter.bits), filter.version)).toBeNull();
  });
});
