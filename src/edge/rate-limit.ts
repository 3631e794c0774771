import { ProblemError } from "../domain/problems";
import type { AppContext } from "../http/context";

/**
 * Burst control on the write routes (holds, checkout) with the Workers Rate
 * Limiting binding: one budget per customer and one per client IP, so neither
 * a single account nor a single address can flood a SKU's object. Counts are
 * per location and approximate (platform notes): this sheds floods, it is not
 * a quota. Requests without a client IP (local tools, tests) skip the IP budget.
 */
export async function enforceRateLimits(c: AppContext, customerId: string, route: "hold" | "checkout"): Promise<void> {
  const ip = c.req.header("cf-connecting-ip");
  const checks = [
    c.env.CUSTOMER_RATE_LIMITER.limit({ key: `${route}:customer:${customerId}` }),
    ip ? c.env.IP_RATE_LIMITER.limit({ key: `${route}:ip:${ip}` }) : Promise.resolve({ success: true }),
  ];
  const [customer, address] = await Promise.all(checks);
  if (customer?.success && address?.success) return;
  const period = Number(c.env.RATE_LIMIT_PERIOD_SECONDS) || 10;
  throw new ProblemError(
    "rate_limited",
    customer?.success ? "Too many requests from this address; slow down." : "Too many requests for this customer; slow down.",
    { retryAfterSeconds: period },
    { "retry-after": String(period) },
  );
}
