import { AsyncLocalStorage } from "node:async_hooks";
import { runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GROUP_COMMIT, GroupCommit } from "../../src/platform/group-commit";
import { createSku } from "../support/helpers";
import { skuStub } from "../support/inside-objects";

/**
 * The group commit (src/platform/group-commit.ts), run on a real object's
 * storage: a scratch table of its own in a SKU object, which the SKU's code
 * never reads.
 */
type Probe = {
  commits: GroupCommit;
  /** Changes per successful commit, in order. */
  committed: number[];
  sql: SqlStorage;
  storage: DurableObjectStorage;
};

async function withProbe<T>(fn: (p: Probe) => Promise<T>): Promise<T> {
  const sku = await createSku();
  return runInDurableObject(skuStub(sku), async (_o, state) => {
    const sql = state.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS group_probe (n INTEGER PRIMARY KEY, seen INTEGER NOT NULL)");
    const committed: number[] = [];
    const commits = new GroupCommit(state.storage, {
      rolledBack: () => {
        throw new Error("no test here makes a group's own transaction fail");
      },
      committed: (changes) => committed.push(changes),
    });
    const probe: Probe = { commits, committed, sql, storage: state.storage };
    return fn(probe);
  });
}

/** A change as every caller writes one: its own transaction, inserting `n` and answering how many rows it saw before. */
const insert = (p: Probe, n: number) => () =>
  p.storage.transactionSync(() => {
    const seen = p.sql.exec<{ c: number }>("SELECT count(*) AS c FROM group_probe").one().c;
    p.sql.exec("INSERT INTO group_probe (n, seen) VALUES (?, ?)", n, seen);
    return seen;
  });

const stored = (p: Probe) =>
  p.sql
    .exec<{ n: number }>("SELECT n FROM group_probe ORDER BY n")
    .toArray()
    .map((r) => r.n);

describe("group commit", () => {
  // Only the clock is faked, and it stands still, as the runtime's does between I/O: what counts as
  // "the same millisecond" is then the test's to say. The group's timer is real.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-07T12:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs a change on an idle object at once, and commits the ones submitted with it together, in order", async () => {
    await withProbe(async (p) => {
      const first = p.commits.run(insert(p, 1));
      // Already stored: the idle object waited for nothing.
      expect(stored(p)).toEqual([1]);
      const rest = [2, 3, 4, 5].map((n) => p.commits.run(insert(p, n)));
      // Submitted in the same millisecond of the object's clock: they wait for one group.
      expect(stored(p)).toEqual([1]);
      const answers = await Promise.all([first, ...rest]);
      expect(answers).toEqual([0, 1, 2, 3, 4]);
      expect(p.committed).toEqual([1, 4]);
      expect(stored(p)).toEqual([1, 2, 3, 4, 5]);
      // A millisecond later the object is idle again.
      vi.setSystemTime(Date.now() + 1);
      const later = p.commits.run(insert(p, 6));
      expect(stored(p)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await later).toBe(5);
      expect(p.committed).toEqual([1, 4, 1]);
    });
  });

  it("rolls back a change that throws alone: its caller gets the error, the others commit", async () => {
    await withProbe(async (p) => {
      const failing = () =>
        p.storage.transactionSync(() => {
          p.sql.exec("INSERT INTO group_probe (n, seen) VALUES (2, 0)");
          throw new Error("the second change failed after its write");
        });
      const settled = await Promise.allSettled([
        p.commits.run(insert(p, 0)),
        p.commits.run(insert(p, 1)),
        p.commits.run(failing),
        p.commits.run(insert(p, 3)),
      ]);
      // The first ran alone; the other three shared a group.
      expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
      expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/second change failed/);
      // The last saw only the two before the failed one: its write was gone before it ran.
      expect((settled[3] as PromiseFulfilledResult<number>).value).toBe(2);
      expect(stored(p)).toEqual([0, 1, 3]);
      expect(p.committed).toEqual([1, 3]);
    });
  });

  it("carries at most changes_max changes a commit; the rest commit next, still in order", async () => {
    await withProbe(async (p) => {
      const n = 1 + GROUP_COMMIT.changes_max * 2 + 7;
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => p.commits.run(insert(p, i + 1))));
      expect(answers).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(p.committed).toEqual([1, GROUP_COMMIT.changes_max, GROUP_COMMIT.changes_max, 7]);
    });
  });

  it("runs each change in its caller's async context (its trace, its cost meter)", async () => {
    await withProbe(async (p) => {
      const caller = new AsyncLocalStorage<string>();
      const names = ["a", "b", "c", "d"];
      const seen = await Promise.all(names.map((name) => caller.run(name, () => p.commits.run(() => caller.getStore()))));
      expect(seen).toEqual(names);
      expect(p.committed).toEqual([1, 3]);
    });
  });
});
