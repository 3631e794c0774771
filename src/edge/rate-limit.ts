import { refuse } from "../domain/problems";
import type { AppContext } from "../http/context";
import type { Replayable } from "../idempotency/rule";
import { envNumber } from "../platform/env-number";

/**
 * Burst control on the write routes (holds, checkout) with the Workers Rate
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
