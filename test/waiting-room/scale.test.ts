import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { WaitingRoomObject } from "../../src/objects/waiting-room-object";
import { JoinShard } from "../../src/waiting-room/join-shard";
import { unique } from "../support/helpers";

/**
 * Queue work per tick follows what changed, not the number of waiters (spec §9,
 * issue 17 finding 8): a join shard's survey and its next places read a bounded
 * number of rows however long its line is. Counted with each statement's
 * `rowsRead` inside the object; the million-entrant figure is `npm run bench:queue`.
 */

/** Runs `f` on a JoinShard over the object's SQL, counting the rows its statements read. */
function counted<T>(name: string, f: (shard: JoinShard) => T | Promise<T>): Promise<{ value: T; rowsRead: number }> {
  return runInDurableObject(env.WAITING_ROOM.getByName(name), async (_o: WaitingRoomObject, state) => {
    const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
    const sql = new Proxy(state.storage.sql, {
      get: (target, prop) =>
        prop === "exec"
          ? (query: string, ...params: SqlStorageValue[]) => {
              const cursor = target.exec(query, ...params);
              cursors.push(cursor);
              return cursor;
            }
          : Reflect.get(target, prop),
    });
    const value = await f(new JoinShard(sql));
    return { value, rowsRead: cursors.reduce((n, c) => n + c.rowsRead, 0) };
  });
}

describe("a join shard's work per tick", () => {
  it("reads a bounded number of rows for its survey and next places, with 100 waiters as with 5,000", async () => {
    const reads: number[] = [];
    for (const waiters of [100, 5_000]) {
      const name = `${unique("scale")}#join-0`;
      const t0 = 1_800_000_000_000;
      await counted(name, (s) => {
        for (let i = 0; i < waiters; i++) s.join(`c${i}`, t0 + i, { sku: "k", closesAtMs: null });
      });
      const { value, rowsRead } = await counted(name, async (s) => {
        const survey = s.survey(t0, { k: null });
        const next = s.nextPlaces("k", null, 50);
        return { survey, next };
      });
      expect(value.survey.lines.k?.joined).toBe(waiters);
      expect(value.next).toHaveLength(50);
      reads.push(rowsRead);
    }
    // Marks (at most 130) and the 50 places asked for, not the line.
    expect(reads[1], `rows read with 100 and 5,000 waiters: ${reads}`).toBeLessThanOrEqual(300);
  });

  it("lets a wake of a ticking queue, a moment after the last, write nothing", async () => {
    const stub = env.WAITING_ROOM.getByName(unique("wake"));
    await stub.configure({
      saleId: "w",
      revision: 1,
      settings: { mode: "fifo", prequeueSeconds: 600, admitSeconds: 60 },
      startsAtMs: Date.now() - 60_000,
      endsAtMs: Date.now() + 3_600_000,
      skus: ["k"],
      joinShards: 1,
    });
    await stub.wake();
    const written = await runInDurableObject(stub, async (o: WaitingRoomObject, state) => {
      let rowsWritten = 0;
      const original = state.storage.sql.exec.bind(state.storage.sql);
      (state.storage.sql as { exec: typeof original }).exec = ((query: string, ...params: SqlStorageValue[]) => {
        const cursor = original(query, ...params);
        if (/^\s*(UPDATE|INSERT|DELETE)/i.test(query)) rowsWritten += 1;
        return cursor;
      }) as typeof original;
      try {
        await o.wake();
      } finally {
        (state.storage.sql as { exec: typeof original }).exec = original;
      }
      return { rowsWritten };
    });
    expect(written.rowsWritten).toBe(0);
  });
});
