import type { Target } from "./client.ts";
import type { Shopper } from "./tokens.ts";

/**
 * A closed-loop load generator: every shopper has exactly one request in
 * flight and sends the next as soon as the reply is read, so concurrency is
 * fixed and throughput is what the server sustains at that concurrency.
 * Every loop is bounded by time, by a request count and (optionally) by a
 * number of 201s; network errors are counted and stop the phase if many.
 */

export interface LoadOptions {
  shoppers: readonly Shopper[];
  target: Target;
  /** Stop starting requests after this long. */
  seconds: number;
  /** Stop starting requests after this many, across all shoppers. */
  maxRequests: number;
  /** Stop once this many requests returned 201 (used to pre-fill holds). */
  stopAfterCreated?: number;
  /** Keep the hold ids of 201 replies (the target must return them). */
  collectHoldIds?: boolean;
  signal?: AbortSignal;
}

export interface LoadResult {
  requests: number;
  /** Replies by HTTP status; 0 counts requests that failed without one. */
  statuses: Record<number, number>;
  created: number;
  elapsedMs: number;
  /** One entry per completed request, in milliseconds. */
  latenciesMs: number[];
  holdIds: string[];
  /** Replies by `holdfast-cache` header, for targets that report it (see Reply.cache). */
  cache: Record<string, number>;
}

/** Network failures tolerated per phase before it is abandoned as broken. */
const MAX_NETWORK_ERRORS = 50;

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { requests: 0, statuses: {}, created: 0, elapsedMs: 0, latenciesMs: [], holdIds: [], cache: {} };
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;
  const createdCap = opts.stopAfterCreated ?? Number.POSITIVE_INFINITY;
  let started = 0;
  // Requests started and not yet answered that may still create a hold; with a
  // created cap, a shopper does not start one that could overshoot it.
  let pendingCreates = 0;
  let networkErrors = 0;
  let lastError: unknown = null;

  const shopperLoop = async (shopper: Shopper) => {
    while (
      started < opts.maxRequests &&
      result.created + pendingCreates < createdCap &&
      performance.now() < deadline &&
      !opts.signal?.aborted &&
      networkErrors < MAX_NETWORK_ERRORS
    ) {
      started++;
      pendingCreates++;
      const t0 = performance.now();
      let status = 0;
      try {
        const reply = await opts.target(shopper);
        status = reply.status;
        if (reply.cache !== undefined) result.cache[reply.cache] = (result.cache[reply.cache] ?? 0) + 1;
        if (status === 201) {
          result.created++;
          if (opts.collectHoldIds && reply.holdId) result.holdIds.push(reply.holdId);
        }
      } catch (e) {
        networkErrors++;
        lastError = e;
      } finally {
        pendingCreates--;
      }
      result.latenciesMs.push(performance.now() - t0);
      result.requests++;
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    }
  };

  await Promise.all(opts.shoppers.map(shopperLoop));
  result.elapsedMs = performance.now() - start;
  if (networkErrors >= MAX_NETWORK_ERRORS) {
    throw new Error(`phase abandoned after ${networkErrors} network errors; last: ${String(lastError)}`);
  }
  return result;
}
