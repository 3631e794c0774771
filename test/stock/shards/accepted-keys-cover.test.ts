import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../../src/objects/sku-object";
import { keyMatcher } from "../../../src/idempotency/accepted-keys";
import { LIMITS } from "../../../src/stock/ledger";
import { createSku } from "../../support/helpers";

/**
 * The edge's cut lets a keyed retry through only if the verdict's filter
 * knows its key (spec §6 and 8, issue 17 item 6). A filter that drops keys
 * the object still answers for would refuse a retry of an accepted hold: an
 * object with more accepted keys than one filter holds sends a filter that
 * lets every key through to it instead.
 */
describe("the accepted-key filter of a verdict", () => {
  it("still lets the oldest of more accepted keys than one filter holds reach the object", { timeout: 60_000 }, async () => {
    const sku = await createSku({ stock: 1 });
    const count = LIMITS.filter_keys_max + 1;
    const filter = await runInDurableObject(env.SKU.getByName(sku), (o: SkuObject, state) => {
      const start = Date.now() - count;
      state.storage.sql.exec(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO idempotency (key, request_hash, outcome, created_at_ms, accepted) SELECT 'accepted-' || i, 'h', '{}', ? + i, 1 FROM n`,
        count,
        start,
      );
      return o.ledger.acceptedKeys(Date.now());
    });
    const matches = keyMatcher(filter);
    expect(matches("accepted-1"), "the oldest accepted key is refused at the edge").toBe(true);
    expect(matches(`accepted-${count}`)).toBe(true);
  });
});
