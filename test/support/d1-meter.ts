/**
 * A D1 that tells what each statement says it cost, where the platform bills
 * it: D1 bills the rows each query reports in its result's `meta`
 * (`rows_read`, `rows_written`, index entries included). One meter for the
 * bench's platform counts (bench/platform-meter.ts) and the D1 row-cost test
 * (test/orders/d1-row-costs.test.ts); each says what it keeps through the hooks.
 * It runs wherever a D1 binding does (the Worker and the objects, under workerd).
 */

/** What a result's `meta` carries of the rows D1 bills. */
export type RowsMeta = { rows_read?: number; rows_written?: number } | undefined;

export interface D1MeterHooks {
  /** A statement ran and its result reported its rows (run, all, a write's raw, each statement of a batch). */
  metered(query: string, meta: RowsMeta): void;
  /** A statement answered through `raw()` (a select's) or `first()`, which report no meta: its rows go uncounted. */
  unmetered(query: string, method: "raw" | "first"): void;
}

const isSelect = (query: string) => /^\s*select/i.test(query);

/** The statement each proxy stands for (D1's batch() needs the real ones), and its SQL. */
const real = new WeakMap<object, D1PreparedStatement>();
const queries = new WeakMap<object, string>();

function meteredStatement(stmt: D1PreparedStatement, query: string, hooks: D1MeterHooks): D1PreparedStatement {
  const proxy = new Proxy(stmt, {
    get(t, p) {
      if (p === "bind") return (...values: unknown[]) => meteredStatement(t.bind(...values), query, hooks);
      if (p === "run" || p === "all") {
        return async () => {
          const result = await t[p]();
          hooks.metered(query, result.meta);
          return result;
        };
      }
      // drizzle reads a write's `returning` through raw(), which reports no meta: answer it from all(), which
      // does (only for writes: a select's columns may share a name, which all()'s objects would merge).
      if (p === "raw" && !isSelect(query)) {
        return async (opts?: { columnNames?: boolean }) => {
          const result = await t.all<Record<string, unknown>>();
          hooks.metered(query, result.meta);
          const rows = result.results.map((r) => Object.values(r));
          return opts?.columnNames ? [Object.keys(result.results[0] ?? {}), ...rows] : rows;
        };
      }
      const value: unknown = Reflect.get(t, p, t);
      if (typeof value !== "function") return value;
      if (p === "raw" || p === "first") {
        return (...args: unknown[]) => {
          hooks.unmetered(query, p);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      }
      return value.bind(t);
    },
  });
  real.set(proxy, stmt);
  queries.set(proxy, query);
  return proxy;
}

/** `db`, with every statement it prepares (and every batch) reported to `hooks`. */
export function meteredD1(db: D1Database, hooks: D1MeterHooks): D1Database {
  return new Proxy(db, {
    get(t, p) {
      if (p === "prepare") return (query: string) => meteredStatement(t.prepare(query), query, hooks);
      if (p === "batch") {
        return async (stmts: D1PreparedStatement[]) => {
          const results = await t.batch(stmts.map((s) => real.get(s) ?? s));
          for (const [i, r] of results.entries()) hooks.metered(queries.get(stmts[i]!) ?? "?", r.meta);
          return results;
        };
      }
      const value: unknown = Reflect.get(t, p, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}
