import { AsyncLocalStorage } from "node:async_hooks";

/** Bounds (TIGER_STYLE: every batch has one). */
export const GROUP_COMMIT = {
  /** Changes one commit carries; the rest wait for the next commit, which is scheduled at once. */
  changes_max: 64,
} as const;

/** The cost report's name for commits (their units: the changes each carried); it runs no SQL of its own. */
export const GROUP_COMMIT_OP = "group_commit";

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
  change: () => unknown;
  /** The submitter's async context (its trace, its meter operation): its change runs in it. */
  context: <R>(fn: () => R) => R;
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a Durable Object's SQLite storage. Every change the object
 * makes is a synchronous transaction; alone, each one was also a commit of
 * its own: every page it touched written to the log again (about 39 KB per
 * hold, for a hold row of a few hundred bytes), and on the platform
 * replicated before any reply leaves. Changes submitted while the object is
 * busy wait one turn of the event loop and then run one after another inside
 * a single outer transaction, so they share one commit: the pages they share
 * are written once (docs/bench-and-chaos.md has the figures).
 *
 * A change that finds the object idle runs at once, in a commit of its own:
 * waiting for a timer cost a quiet object's hold about 2 ms and more CPU than
 * it saved. Idle means no group is waiting and no change ran alone in this
 * millisecond. The runtime's clock stands still between I/O, so under load the
 * changes that arrive in the same millisecond as one that ran alone wait for
 * the next group.
 *
 * Each change is still atomic on its own: it must be a transaction of its own
 * (`transactionSync`, a savepoint inside the outer one), so a change that
 * throws rolls back alone and only its caller sees the error; the others
 * commit. Changes run in submission order, each seeing the ones before it. A
 * caller's promise settles once its group's transaction has ended, and the
 * runtime's output gate holds every reply until that commit is durable, as it
 * did for a change alone.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;
  /** The clock's millisecond when a change last ran alone (-1: never). */
  private alone_at_ms = -1;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly hooks: {
      /** The outer commit failed: nothing of the group was stored, so state kept in memory must be dropped. */
      rolledBack: () => void;
      /** A commit of `changes` changes succeeded (the object's cost report counts them). */
      committed?: (changes: number) => void;
    },
  ) {}

  /** Runs `change` (a transaction of its own) at once when the object is idle, else in the next group; settles with its result. */
  run<R>(change: () => R): Promise<R> {
    const now_ms = Date.now();
    const idle = !this.scheduled && this.pending.length === 0 && now_ms !== this.alone_at_ms;
    if (idle) this.alone_at_ms = now_ms;
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ change, context: AsyncLocalStorage.snapshot(), resolve: resolve as (value: never) => void, reject });
      if (idle) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A timer, not a microtask: the calls the object receives meanwhile join this group.
    setTimeout(() => this.flush(), 0);
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.pending.splice(0, GROUP_COMMIT.changes_max);
    if (this.pending.length > 0) this.schedule();
    const settled: Settled[] = [];
    try {
      this.storage.transactionSync(() => {
        for (const p of group) settled.push(attempt(p));
      });
    } catch (error) {
      this.hooks.rolledBack();
      for (const p of group) p.reject(error);
      return;
    }
    this.hooks.committed?.(group.length);
    group.forEach((p, i) => {
      const s = settled[i]!;
      if (s.ok) p.resolve(s.value as never);
      else p.reject(s.error);
    });
  }
}

function attempt(p: Pending): Settled {
  try {
    return { ok: true, value: p.context(p.change) };
  } catch (error) {
    return { ok: false, error };
  }
}
