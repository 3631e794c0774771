import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { createSku, hold } from "../support/helpers";
import { objectSql, skuStub } from "../support/inside-objects";
import { flushOutbox, unshippedCount } from "../support/outbox";

/**
 * The outbox numbers its events densely (1, 2, 3...): the shipper counts
 * what waits from two seqs alone, and the lag alert and the full-batch rule
 * trust that count. The next seq is kept in memory (src/stock/tables-side.ts),
 * so these tests make appends fail and roll back, and the object restart.
 */
const seqs = async (sku: string) => (await objectSql<{ seq: number }>(sku, "SELECT seq FROM outbox ORDER BY seq")).map((r) => r.seq);
/** Events past the shipped head, counted row by row: what the shipper's two-seq count must equal. */
const waiting = async (sku: string) =>
  (await objectSql<{ n: number }>(sku, "SELECT count(*) AS n FROM outbox WHERE seq > (SELECT outbox_seq FROM audit_head WHERE id = 1)"))[0]!
    .n;
const dense = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("outbox seqs", () => {
  it("stay dense when a change that appended an event rolls back", async () => {
    const sku = await createSku({ stock: 10 });
    expect((await hold(sku, "before", 1)).status).toBe(201);
    const stored = await seqs(sku);
    const rolledBack = await runInDurableObject(skuStub(sku), (o: SkuObject) => {
      try {
        o.ledger.tables.tx(() => {
          o.ledger.tables.emit("test.rolled_back", Date.now(), {});
          throw new Error("a step after the append failed");
        });
      } catch (e) {
        return String(e);
      }
      return "committed";
    });
    expect(rolledBack).toMatch(/failed/);
    expect((await hold(sku, "after", 1)).status).toBe(201);
    // The rolled-back append's seq is taken by the next event, not skipped.
    expect(await seqs(sku)).toEqual(dense(stored[0]!, stored.length + 1));
    expect(await unshippedCount(sku)).toBe(await waiting(sku));
  });

  it("continue past the shipped head after the shipped rows are pruned and the object restarts", async () => {
    const sku = await createSku({ stock: 10 });
    for (let i = 0; i < 3; i++) expect((await hold(sku, `c${i}`, 1)).status).toBe(201);
    await flushOutbox(sku);
    const head = (await objectSql<{ outbox_seq: number }>(sku, "SELECT outbox_seq FROM audit_head WHERE id = 1"))[0]!.outbox_seq;
    // Pruning emptied the table behind the object's back; objectSql also makes it forget what it kept in memory.
    await objectSql(sku, "DELETE FROM outbox");
    expect((await hold(sku, "later", 1)).status).toBe(201);
    expect(await seqs(sku)).toEqual([head + 1]);
    expect(await unshippedCount(sku)).toBe(1);
    expect(await waiting(sku)).toBe(1);
  });
});
