import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { migrate } from "../../src/objects/migrate";
import { SKU_MIGRATIONS } from "../../src/stock/schema";
import { unique } from "../support/helpers";

/**
 * An object whose storage was set up by step 12 moves to step 13 (issue 18)
 * in its constructor's migration, keeping its holds, replies, usage, tallies
 * and outbox numbering.
 */
describe("schema step 13 on an existing object", () => {
  it("keeps holds, replies, usage and the outbox's numbering, and its ledger goes on", async () => {
    const sku = unique("mig");
    const now = Date.now();
    await runInDurableObject(env.SKU.getByName(sku), (o: SkuObject, state) => {
      const sql = state.storage.sql;
      migrate(state.storage, SKU_MIGRATIONS.slice(0, 12));
      sql.exec(
        `INSERT INTO sku (id, sku, name, price_amount, currency, always_on, on_hand, received, created_at_ms, updated_at_ms)
         VALUES (1, ?, 'Old', 100, 'usd', 1, 10, 10, ?, ?)`,
        sku,
        now,
        now,
      );
      sql.exec(
        `INSERT INTO sale_rules (sale_id, revision, name, starts_at_ms, ends_at_ms, price_amount, currency, per_customer_limit)
         VALUES ('s1', 1, 'Sale', ?, ?, 100, 'usd', 5)`,
        now - 60_000,
        now + 3_600_000,
      );
      // Step 12's triggers keep the tallies and usage as the old code relied on.
      const hold = (id: string, customer: string, q: number, scope: string) =>
        sql.exec(
          `INSERT INTO holds (hold_id, customer_id, quantity, status, scope, unit_amount, currency, created_at_ms, expires_at_ms)
           VALUES (?, ?, ?, 'held', ?, 100, 'usd', ?, ?)`,
          id,
          customer,
          q,
          scope,
          now,
          now + 600_000,
        );
      hold(`hold_${"a".repeat(24)}_${sku}`, "ann", 2, "s1");
      hold(`hold_${"b".repeat(24)}_${sku}`, "bob", 1, "");
      sql.exec("UPDATE sku SET reserved = 3");
      sql.exec(
        "INSERT INTO idempotency (key, request_hash, outcome, created_at_ms, accepted) VALUES ('old-key', 'h', ?, ?, 1)",
        JSON.stringify({ ok: true, value: { holdId: `hold_${"a".repeat(24)}_${sku}` } }),
        now,
      );
      // Five events, all shipped and pruned: the next must be 6, never 1.
      sql.exec("UPDATE audit_head SET seq = 5, outbox_seq = 5");
      expect(sql.exec("SELECT live_units, live_holds FROM sku").one()).toEqual({ live_units: 3, live_holds: 2 });

      o.ensureSchema();
      expect(sql.exec<{ version: number }>("SELECT version FROM schema_version").one().version).toBe(SKU_MIGRATIONS.length);
      expect(sql.exec("SELECT COUNT(*) AS n FROM holds").one().n).toBe(2);
      expect(o.ledger.tables.usage("s1", "ann")).toMatchObject({ held: 2, bought: 0 });
      expect(o.ledger.tables.usageByScope("ann")).toEqual({ s1: 2 });
      expect(o.ledger.replies.recall({ key: "old-key", requestHash: "h" }, now)).toMatchObject({ ok: true, replayed: true });
      expect(o.ledger.replies.acceptedKeys(now, 10)).toEqual(["old-key"]);

      // The ledger goes on from the migrated tallies: a release, then a new keyed hold under the sale.
      expect(o.ledger.release(`hold_${"b".repeat(24)}_${sku}`, "merchant", now + 1)).toMatchObject({ ok: true });
      const held = o.ledger.reserve({ customerId: "ann", quantity: 3 }, { key: "new-key", requestHash: "h2" }, now + 2);
      expect(held).toMatchObject({ ok: true });
      expect(o.ledger.reserve({ customerId: "ann", quantity: 1 }, { key: "over", requestHash: "h3" }, now + 3)).toMatchObject({
        ok: false,
        code: "limit_exceeded",
      });
      expect(sql.exec("SELECT MIN(seq) AS first FROM outbox").one().first).toBe(6);
      expect(sql.exec("SELECT live_units, live_holds, reserved, holds_created, holds_released FROM sku").one()).toEqual({
        live_units: 5,
        live_holds: 2,
        reserved: 5,
        holds_created: 3,
        holds_released: 1,
      });
      expect(o.ledger.audit()).toEqual({ ok: true, problems: [] });
    });
  });
});
