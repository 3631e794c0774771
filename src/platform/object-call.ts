import { ProblemError } from "../domain/problems";
import { envNumber } from "./env-number";

/**
 * Calls into a SKU object from a request, bounded in time. A Durable Object
 * that is overloaded or unreachable is not retried from here: retrying into
 * an overloaded object is what keeps it overloaded. The caller gets a 503
 * with Retry-After instead, and the failure is counted in the request's log
 * line and data point.
 */
export async function callObject<R extends PromiseLike<unknown>>(
  env: Env,
  call: () => R,
  opts: { timeout_ms?: number } = {},
): Promise<Awaited<R>> {
  const timeout_ms = opts.timeout_ms ?? envNumber(env.OBJECT_TIMEOUT_MS, 5_000, { min: 1 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ObjectTimeout(timeout_ms)), timeout_ms);
  });
  try {
    return (await Promise.race([call(), expired])) as Awaited<R>;
  } catch (e) {
    if (e instanceof ObjectTimeout || isUnavailable(e)) {
      throw new ProblemError(
        "unavailable",
        e instanceof ObjectTimeout
          ? `The SKU did not answer within ${timeout_ms} ms; the change may still be applied, so retry with the same Idempotency-Key.`
          : "The SKU is busy; try again shortly.",
        {},
        { "retry-after": "1" },
      );
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

class ObjectTimeout extends Error {
  constructor(readonly timeout_ms: number) {
    super(`object call timed out after ${timeout_ms} ms`);
  }
}

/**
 * The runtime marks Durable Object failures: `overloaded` when the object
 * sheds load, `retryable` for infrastructure hiccups. An exception thrown by
 * our own object code (`remote`) is a bug and stays a 500.
 */
export function isUnavailable(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const flags = e as { overloaded?: boolean; retryable?: boolean; remote?: boolean };
  return flags.overloaded === true || (flags.retryable === true && flags.remote !== true);
}
