import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { createSku, hold } from "../support/helpers";
import { alarmOf, backdateHold, holdStatus, objectSql, releaseUnarmed } from "../support/inside-objects";
import { flushOutbox, unshippedCount } from "../support/outbox";

/**
 * spec §3, bounded storage: ended holds, their replies and shipped
 * outbox rows leave the object after the retention (RETENTION_SECONDS, 7 days
 * here), never before their events reached D1; and the alarm keeps its
 * promises when one of its steps fails.
 */

const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

type Counts = { holds: number; replies: number; outbox: number };

async function rowCounts(sku: string): Promise<Counts> {
  const [row] = await objectSql<Counts>(
    sku,
    // An accepted keyed hold keeps its reply in its own row (schema step 13), every other reply in idempotency.
    `SELECT (SELECT COUNT(*) FROM holds) AS holds, (SELECT COUNT(*) FROM idempotency) + (SELECT COUNT(*) FROM holds WHERE reply IS NOT NULL) AS replies,
       (SELECT COUNT(*) FROM outbox) AS outbox`,
  );
  return row!;
}

/** Ships the whole outbox to D1 with as many shipper runs as it takes (bounded). */
async function shipAll(sku: string, maxRuns: number): Promise<void> {
  for (let run = 0; run < maxRuns && (await unshippedCount(sku)) > 0; run++) {
    await runInDurableObject(env.SKU.getByName(sku), (o: SkuObject) => o.shipper.drain());
  }
  expect(await unshippedCount(sku)).toBe(0);
}

/** Runs retention as the alarm would at `at_ms`, until a pass deletes nothing (bounded). */
async function pruneAll(sku: string, at_ms: number): Promise<void> {
  await runInDurableObject(env.SKU.getByName(sku), (o: SkuObject) => {
    for (let pass = 0; pass < 100; pass++) {
      const { replies, holds } = o.ledger.prune(at_ms, 2_000);
      const outbox = o.shipper.prune(at_ms, 2_000);
      if (replies + holds + outbox === 0) return;
    }
  });
}

describe("retention", () => {
  it("drives 10,000 holds through their whole life and leaves the object's row count near zero", { timeout: 240_000 }, async () => {
    const sku = await createSku({ stock: 400 });
    const t0 = Date.now();
    const HOLDS = 10_000;
    // One simulated second per hold: a hold lives 600 s, so about 150 are live at a time.
    const end_ms = await runInDurableObject(env.SKU.getByName(sku), (o: SkuObject) => {
      const ledger = o.ledger;
      let now = t0;
      for (let i = 0; i < HOLDS; i++) {
        now = t0 + i * 1_000;
        const held = ledger.reserve({ customerId: `c${i % 97}`, quantity: 1 }, { key: `k${i}`, requestHash: "h" }, now);
        if (!held.ok) throw new Error(`hold ${i} refused: ${held.code}`);
        const id = held.value.holdId;
        const order = `ord_${i}`;
        const steps: Array<() => { ok: boolean }> = [
          () => ledger.release(id, "merchant", now),
          () => ({ ok: true }), // left to expire
          () => {
            ledger.beginCheckout(id, order, now);
            return ledger.voidCheckout(id, order, now);
          },
          () => {
            ledger.beginCheckout(id, order, now);
            ledger.commit(id, order, now);
            return ledger.returnHold(id, order, now);
          },
        ];
        if (!steps[i % 4]!().ok) throw new Error(`hold ${i} could not finish its life`);
      }
      ledger.expireDue(now + 700_000, 10_000);
      return now + 700_000;
    });
    const grown = await rowCounts(sku);
    expect(grown.holds).toBe(HOLDS);
    expect(grown.replies).toBe(HOLDS);

    await shipAll(sku, 200);
    await pruneAll(sku, end_ms + RETENTION_MS + DAY_MS);

    const left = await rowCounts(sku);
    expect(left).toEqual({ holds: 0, replies: 0, outbox: 0 });
    const audit = (await env.SKU.getByName(sku).stats())?.escrow.audit;
    expect(audit).toEqual({ ok: true, problems: [] });
    const counters = await env.SKU.getByName(sku).counters();
    expect(counters).toMatchObject({ holds_created: HOLDS, pruned_released: 5_000, pruned_expired: 2_500, pruned_returned: 2_500 });
  });

  it("keeps an ended hold until its events have reached D1, and committed holds always", async () => {
    const sku = await createSku({ stock: 5 });
    const released = (await hold(sku, "ren", 1)).body.holdId as string;
    // The hold's own events ship first, so no alarm run is in flight while it is released unarmed.
    await flushOutbox(sku);
    await releaseUnarmed(sku, released);
    expect(await unshippedCount(sku)).toBeGreaterThan(0);
    const far = Date.now() + RETENTION_MS + DAY_MS;
    await pruneAll(sku, far);
    expect(await holdStatus(sku, released)).toBe("released");

    await flushOutbox(sku);
    await pruneAll(sku, far);
    expect(await holdStatus(sku, released)).toBeUndefined();
  });

  it("wakes the object to retire ended holds, so an idle SKU's storage shrinks too", async () => {
    const sku = await createSku({ stock: 5 });
    const h = (await hold(sku, "ida", 1)).body.holdId as string;
    await releaseUnarmed(sku, h);
    await flushOutbox(sku);
    const alarm = await alarmOf(sku);
    expect(alarm).toBeGreaterThan(Date.now() + RETENTION_MS - DAY_MS);
  });
});

describe("the alarm", () => {
  it("survives a failing step: logs it, keeps shipping, and re-arms instead of stopping expiry", async () => {
    const sku = await createSku({ stock: 5 });
    const stub = env.SKU.getByName(sku);
    const h = (await hold(sku, "ivy", 1)).body.holdId as string;
    await flushOutbox(sku);
    // Break invariant 3 under the ledger's feet: expiring any hold now violates it and rolls back.
    await backdateHold(sku, h);
    await runInDurableObject(stub, (o: SkuObject, state) => {
      state.storage.sql.exec("UPDATE sku SET reserved = reserved + 1, on_hand = on_hand + 1, received = received + 1");
      state.storage.sql.exec("INSERT INTO outbox (type, at_ms, data) VALUES ('test.marker', ?, '{}')", Date.now());
      o.ledger.tables.forget();
    });
    const before = Date.now();
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect(await holdStatus(sku, h)).toBe("held");
    // The expiry failed, but the shipping step still ran.
    expect(await unshippedCount(sku)).toBe(0);
    const next = await alarmOf(sku);
    expect(next).not.toBeNull();
    expect(next!).toBeGreaterThan(before);
    expect(next!).toBeLessThanOrEqual(Date.now() + 10_000);
    const counters = await stub.counters();
    expect(counters.invariant_violations).toBeGreaterThanOrEqual(1);

    // Once the state is whole again, the retry expires the hold: the failed run's rollback left nothing behind in memory.
    await runInDurableObject(stub, (o: SkuObject, state) => {
      state.storage.sql.exec("UPDATE sku SET reserved = reserved - 1, on_hand = on_hand - 1, received = received - 1");
      o.ledger.tables.forget();
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await holdStatus(sku, h)).toBe("expired");
  });
});
