import { AsyncLocalStorage } from "node:async_hooks";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
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
  it("commits the changes submitted together once, in order, each seeing the ones before it", async () => {
    await withProbe(async (p) => {
      const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => p.commits.run(insert(p, n))));
      expect(answers).toEqual([0, 1, 2, 3, 4]);
      expect(p.committed).toEqual([5]);
      expect(stored(p)).toEqual([1, 2, 3, 4, 5]);
    });
  });

  it("rolls back a change that throws alone: its caller gets the error, the others commit", async () => {
    await withProbe(async (p) => {
      const failing = () =>
        p.storage.transactionSync(() => {
          p.sql.exec("INSERT INTO group_probe (n, seen) VALUES (2, 0)");
          throw new Error("the second change failed after its write");
        });
      const settled = await Promise.allSettled([p.commits.run(insert(p, 1)), p.commits.run(failing), p.commits.run(insert(p, 3))]);
      expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/second change failed/);
      // The third saw only the first: the second's write was gone before it ran.
      expect((settled[2] as PromiseFulfilledResult<number>).value).toBe(1);
      expect(stored(p)).toEqual([1, 3]);
      expect(p.committed).toEqual([3]);
    });
  });

  it("carries at most changes_max changes a commit; the rest commit next, still in order", async () => {
    await withProbe(async (p) => {
      const n = GROUP_COMMIT.changes_max * 2 + 7;
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => p.commits.run(insert(p, i + 1))));
      expect(answers).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(p.committed).toEqual([GROUP_COMMIT.changes_max, GROUP_COMMIT.changes_max, 7]);
    });
  });

  it("runs each change in its caller's async context (its trace, its cost meter)", async () => {
    await withProbe(async (p) => {
      const caller = new AsyncLocalStorage<string>();
      const names = ["a", "b", "c"];
      const seen = await Promise.all(names.map((name) => caller.run(name, () => p.commits.run(() => caller.getStore()))));
      expect(seen).toEqual(names);
      expect(p.committed).toEqual([3]);
    });
  });
});
