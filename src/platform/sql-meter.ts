import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Rows read and written per operation, where the platform bills them: a
 * SQLite-backed Durable Object pays for each row its SQL cursors report
 * (`rowsRead`, `rowsWritten`), index entries and trigger writes included.
 * The object hands its code a storage whose `sql.exec` keeps every cursor of
 * the operation running (async context, so calls that interleave at an await
 * are still told apart) and adds them up when the operation ends.
 */
export type OpCost = {
  /** Operations measured. */
  calls: number;
  /** What the operation counted as done (holds expired, events shipped...); `calls` unless it says. */
  units: number;
  rows_read: number;
  rows_written: number;
  /** SQL statements run (`sql.exec` calls). */
  statements: number;
};

type Running = { cursors: { readonly rowsRead: number; readonly rowsWritten: number }[]; units: number | null };

/** Distinct operation names kept; names are code constants, so this only bounds a mistake. */
const OPS_MAX = 64;

export class SqlMeter {
  private readonly running = new AsyncLocalStorage<Running>();
  private readonly totals = new Map<string, OpCost>();
  /** The object's storage, with every `sql.exec` counted against the operation that ran it. */
  readonly storage: DurableObjectStorage;

  /** Off, the storage is the object's own and `measure` only runs its function (the bench's comparison, bench/instruments.ts). */
  private readonly on: boolean;

  constructor(storage: DurableObjectStorage, on = true) {
    this.on = on;
    if (!on) {
      this.storage = storage;
      return;
    }
    const running = this.running;
    const sql = storage.sql;
    const exec = <T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T> => {
      const cursor = sql.exec<T>(query, ...bindings);
      running.getStore()?.cursors.push(cursor);
      return cursor;
    };
    const meteredSql = forward(sql, { exec });
    this.storage = forward(storage, { sql: meteredSql });
  }

  /** Runs `fn` as one operation named `op`; its rows are added up once it settles. */
  measure<T>(op: string, fn: () => T): T {
    if (!this.on || this.running.getStore()) return fn();
    const run: Running = { cursors: [], units: null };
    const result = this.running.run(run, fn);
    if (result instanceof Promise) return result.finally(() => this.record(op, run)) as T;
    this.record(op, run);
    return result;
  }

  /** Says how many things the current operation did (e.g. holds an alarm run expired). */
  count(units: number): void {
    const run = this.running.getStore();
    if (run) run.units = (run.units ?? 0) + units;
  }

  /** Counts an operation that runs no SQL of its own and may run inside another's context (a group commit: the changes it carried). */
  note(op: string, units: number): void {
    if (this.on) this.record(op, { cursors: [], units });
  }

  /** Everything measured since the object started, by operation. */
  report(): Record<string, OpCost> {
    return Object.fromEntries([...this.totals].map(([op, cost]) => [op, { ...cost }]));
  }

  private record(op: string, run: Running): void {
    let cost = this.totals.get(op);
    if (!cost) {
      if (this.totals.size >= OPS_MAX) return;
      cost = { calls: 0, units: 0, rows_read: 0, rows_written: 0, statements: 0 };
      this.totals.set(op, cost);
    }
    cost.calls += 1;
    cost.units += run.units ?? 1;
    cost.statements += run.cursors.length;
    for (const c of run.cursors) {
      cost.rows_read += c.rowsRead;
      cost.rows_written += c.rowsWritten;
    }
  }
}

/** `target` with some members replaced; every other member is the target's own (methods bound to it). */
function forward<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, p) {
      if (Object.hasOwn(overrides, p)) return overrides[p as keyof T];
      const value: unknown = Reflect.get(t, p, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}
