import { refuse, type Refusal } from "../domain/problems";
import type { AppContext } from "../http/context";
import type { Replayable } from "../idempotency/rule";
import { envNumber } from "../platform/env-number";
import { Memo } from "../platform/memo";

/**
 * Burst control on the write routes (holds and their changes, checkout) with the Workers Rate
 * Limiting binding: one budget per customer and one per client IP, so neither
 * a single account nor a single address can flood a SKU's object. Counts are
 * per location and approximate (platform notes): this sheds floods, it is not
 * a quota. Requests without a client IP (local tools, tests) skip the IP budget.
 *
 * A refusal for load is never the answer to a retry whose operation already
 * ran (spec §6): over budget, a request with an Idempotency-Key asks
 * `recall` for the stored result and, if there is one, the caller answers it;
 * else the caller answers the `rate_limited` refusal (its `retryAfterSeconds`
 * becomes Retry-After). Null: within budget, go on.
 */
export async function enforceRateLimits<T>(
  c: AppContext,
  customerId: string,
  route: "hold" | "checkout",
  recall: (() => Promise<Replayable<T> | null>) | null,
): Promise<Replayable<T> | null> {
  const ip = c.req.header("cf-connecting-ip");
  const checks = [
    c.env.CUSTOMER_RATE_LIMITER.limit({ key: `${route}:customer:${customerId}` }),
    ip ? c.env.IP_RATE_LIMITER.limit({ key: `${route}:ip:${ip}` }) : Promise.resolve({ success: true }),
  ];
  const [customer, address] = await Promise.all(checks);
  if (customer?.success && address?.success) return null;
  const stored = recall ? await recall() : null;
  if (stored) return stored;
  const period = envNumber(c.env.RATE_LIMIT_PERIOD_SECONDS, 10, { min: 1 });
  return refuse(
    "rate_limited",
    customer?.success ? "Too many requests from this address; slow down." : "Too many requests for this customer; slow down.",
    { retryAfterSeconds: period },
  );
}

/**
 * Failed credentials, per client address, on the same binding mechanism
 * (AUTH_FAILURE_RATE_LIMITER): each failed Authorization counts, and an
 * address past its budget is answered `rate_limited` for the period before
 * its credential is even compared, so guessing ADMIN_TOKEN costs a period
 * per budget. The block lives in this isolate (the binding cannot be asked
 * without counting); the binding's count is per location. Requests without a
 * client IP (local tools, tests) are not counted, as above.
 */
const AUTH_FAILURE_PERIOD_S = 60;
const blockedAddresses = new Memo<true>(10_000);

/** The refusal for an address that failed too often lately, or null. */
export function authBlocked(c: AppContext, now_ms = Date.now()): Refusal | null {
  const ip = c.req.header("cf-connecting-ip");
  return ip && blockedAddresses.get(ip, now_ms) ? tooManyFailures() : null;
}

/** Counts a failed credential; the refusal when that took the address past its budget. */
export async function countAuthFailure(c: AppContext, now_ms = Date.now()): Promise<Refusal | null> {
  const ip = c.req.header("cf-connecting-ip");
  if (!ip) return null;
  const { success } = await c.env.AUTH_FAILURE_RATE_LIMITER.limit({ key: `auth:ip:${ip}` });
  if (success) return null;
  blockedAddresses.set(ip, true, now_ms + AUTH_FAILURE_PERIOD_S * 1000);
  return tooManyFailures();
}

function tooManyFailures(): Refusal {
  return refuse("rate_limited", "Too many failed credentials from this address; wait before trying again.", {
    retryAfterSeconds: AUTH_FAILURE_PERIOD_S,
  });
}
