import { SqlMeter } from "../src/platform/sql-meter.ts";
import { traced } from "../src/platform/trace.ts";

/**
 * The instruments' own CPU, apart from everything a hold does (bench-worker
 * side of bench/instruments.ts): `n` stand-in holds of `execs` statements each
 * on a storage that does no SQL, run bare, inside the object's SQL meter, or
 * inside a span of a caller's trace, as SkuObject.reserve runs them. One request
 * runs them all; the bench reads workerd's CPU time around it (the Workers clock
 * does not move while code runs, so the loop cannot time itself).
 */
export type LoopKind = "none" | "meter" | "trace";

/** Bounds one request's loop. */
const LOOPS_MAX = 2_000_000;
const EXECS_MAX = 100;
const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

const cursor = { rowsRead: 1, rowsWritten: 1 };
const fakeStorage = { sql: { exec: () => cursor } } as unknown as DurableObjectStorage;

export async function instrumentsLoop(kind: LoopKind, n: number, execs: number): Promise<{ n: number; execs: number }> {
  const loops = Math.min(Math.max(0, Math.floor(n)), LOOPS_MAX);
  const per = Math.min(Math.max(0, Math.floor(execs)), EXECS_MAX);
  const meter = new SqlMeter(fakeStorage, kind === "meter");
  const sql = meter.storage.sql;
  const hold = async () => {
    for (let j = 0; j < per; j++) sql.exec("SELECT 1");
  };
  for (let i = 0; i < loops; i++) {
    if (kind === "meter") await meter.measure("hold", hold);
    else if (kind === "trace") await traced(TRACEPARENT, hold);
    else await hold();
  }
  return { n: loops, execs: per };
}
