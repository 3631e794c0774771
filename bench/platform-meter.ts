/**
 * Bench-only: what the app asks of D1 and Queues, counted where the platform
 * bills it. D1 bills the rows each query reports in its result's `meta`
 * (`rows_read`, `rows_written`, index entries included); Queues bill
 * operations (a message is written, read and deleted: three). The bench
 * worker hands the product an env whose DB and queues count here, in the
 * Worker and in the objects alike (one isolate runs both under workerd).
 */
import { meteredD1, type RowsMeta } from "../test/support/d1-meter.ts";

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

function addMeta(meta: RowsMeta): void {
  counts.d1_queries += 1;
  counts.d1_rows_read += meta?.rows_read ?? 0;
  counts.d1_rows_written += meta?.rows_written ?? 0;
}

/** D1 through the shared meter (test/support/d1-meter.ts): totals, and the reads whose rows no meta reported. */
function meteredDB(db: D1Database): D1Database {
  return meteredD1(db, {
    metered: (_query, meta) => addMeta(meta),
    unmetered: () => {
      counts.d1_queries_without_meta += 1;
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
    DB: meteredDB(env.DB),
    PAYMENTS: meteredQueue("payments", env.PAYMENTS),
    NOTIFICATIONS: meteredQueue("notifications", env.NOTIFICATIONS),
  };
  wrapped.set(env, out);
  return out;
}
