/**
 * Bench-only: what the app asks of D1 and Queues, counted where the platform
 * bills it. D1 bills the rows each query reports in its result's `meta`
 * (`rows_read`, `rows_written`, index entries included); Queues bill
 * operations (a message is written, read and deleted: three). The bench
 * worker hands the product an env whose DB and queues count here, in the
 * Worker and in the objects alike (one isolate runs both under workerd).
 */
export interface PlatformCounts {
  d1_queries: number;
  d1_rows_read: number;
  d1_rows_written: number;
  /** Single reads whose result carries no meta (`raw()`, `first()`): their rows are not counted. */
  d1_queries_without_meta: number;
  queue_messages: Record<string, number>;
}

export const counts: PlatformCounts = {
  d1_queries: 0,
  d1_rows_read: 0,
  d1_rows_written: 0,
  d1_queries_without_meta: 0,
  queue_messages: {},
};

function addMeta(meta: { rows_read?: number; rows_written?: number } | undefined): void {
  counts.d1_queries += 1;
  counts.d1_rows_read += meta?.rows_read ?? 0;
  counts.d1_rows_written += meta?.rows_written ?? 0;
}

/** The statement each proxy stands for: D1's batch() needs the real ones. */
const real = new WeakMap<object, D1PreparedStatement>();

function meteredStatement(stmt: D1PreparedStatement, sql: string): D1PreparedStatement {
  const proxy = new Proxy(stmt, {
    get(t, p) {
      if (p === "bind") return (...values: unknown[]) => meteredStatement(t.bind(...values), sql);
      if (p === "run" || p === "all") {
        return async () => {
          const result = await t[p]();
          addMeta(result.meta);
          return result;
        };
      }
      // drizzle reads a write's `returning` through raw(), which reports no meta: answer it from all(), which
      // does (only for writes: a select's columns may share a name, which all()'s objects would merge).
      if (p === "raw" && !/^\s*select/i.test(sql)) {
        return async (opts?: { columnNames?: boolean }) => {
          const result = await t.all<Record<string, unknown>>();
          addMeta(result.meta);
          const rows = result.results.map((r) => Object.values(r));
          return opts?.columnNames ? [Object.keys(result.results[0] ?? {}), ...rows] : rows;
        };
      }
      const value: unknown = Reflect.get(t, p, t);
      if (typeof value !== "function") return value;
      if (p === "raw" || p === "first") {
        return (...args: unknown[]) => {
          counts.d1_queries_without_meta += 1;
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      }
      return value.bind(t);
    },
  });
  real.set(proxy, stmt);
  return proxy;
}

function meteredD1(db: D1Database): D1Database {
  return new Proxy(db, {
    get(t, p) {
      if (p === "prepare") return (query: string) => meteredStatement(t.prepare(query), query);
      if (p === "batch") {
        return async (stmts: D1PreparedStatement[]) => {
          const results = await t.batch(stmts.map((s) => real.get(s) ?? s));
          for (const r of results) addMeta(r.meta);
          return results;
        };
      }
      const value: unknown = Reflect.get(t, p, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

function meteredQueue(name: string, queue: Queue): Queue {
  const add = (n: number) => {
    counts.queue_messages[name] = (counts.queue_messages[name] ?? 0) + n;
  };
  return new Proxy(queue, {
    get(t, p) {
      if (p === "send")
        return (body: unknown, opts?: QueueSendOptions) => {
          add(1);
          return t.send(body, opts);
        };
      if (p === "sendBatch")
        return (msgs: Iterable<MessageSendRequest>, opts?: QueueSendBatchOptions) => {
          const list = [...msgs];
          add(list.length);
          return t.sendBatch(list, opts);
        };
      const value: unknown = Reflect.get(t, p, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

const wrapped = new WeakMap<object, Env>();

/** The env with DB and both queues counted; one wrapper per env object. */
export function meteredEnv<E extends Env>(env: E): E {
  const known = wrapped.get(env);
  if (known) return known as E;
  const out = {
    ...env,
    DB: meteredD1(env.DB),
    PAYMENTS: meteredQueue("payments", env.PAYMENTS),
    NOTIFICATIONS: meteredQueue("notifications", env.NOTIFICATIONS),
  };
  wrapped.set(env, out);
  return out;
}
