import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { GrowingKeyFilter, keyMatcher } from "../../src/idempotency/accepted-keys";
import { createSku } from "../support/helpers";

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
});
