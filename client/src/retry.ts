/**
 * The fetch every integrator ends up writing, wrapped around a plain fetch:
 *
 * - each state-changing request (POST, PATCH) gets one `Idempotency-Key` for
 *   the logical operation, kept across every retry of it, unless the caller
 *   sent one (to carry a key across process restarts, pass your own);
 * - network errors, `429` and `503` are retried with capped exponential
 *   backoff and full jitter; a `Retry-After` from the server is honoured (never
 *   retried sooner); attempts are bounded, and a `Retry-After` longer than
 *   `maxRetryAfterMs` is handed back to the caller rather than slept through.
 *
 * Anything else (other 4xx, 5xx) is answered as is: the server already said
 * what it decided. Retrying a POST is safe only because of the key.
 */

export interface RetryOptions {
  /** Total tries per request, the first included (default 4). */
  attempts?: number;
  /** First backoff step; doubles per attempt (default 100 ms). */
  baseDelayMs?: number;
  /** Cap of one backoff step (default 5 s). */
  maxDelayMs?: number;
  /** A longer `Retry-After` is not waited for: the 429/503 is returned (default 30 s). */
  maxRetryAfterMs?: number;
}

export interface RetryDeps {
  fetch: (request: Request) => Promise<Response>;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1); defaults to Math.random. */
  random?: () => number;
  /** A new key; defaults to crypto.randomUUID. */
  newKey?: () => string;
}

const RETRIED_STATUSES = new Set([429, 503]);
const KEYED_METHODS = new Set(["POST", "PATCH"]);

export const RETRY_DEFAULTS: Required<RetryOptions> = { attempts: 4, baseDelayMs: 100, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };

/** `Retry-After` in ms (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now_ms: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now_ms);
}

/** Full jitter (AWS's "exponential backoff and jitter"): uniform in [0, min(cap, base * 2^n)]. */
export function backoffMs(attempt: number, opts: Required<RetryOptions>, random: () => number): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A network failure as fetch reports it (not an abort by the caller). */
function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError;
}

export function retryingFetch(deps: RetryDeps, options: RetryOptions = {}): (request: Request) => Promise<Response> {
  const opts = { ...RETRY_DEFAULTS, ...options };
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const newKey = deps.newKey ?? (() => crypto.randomUUID());
  return async (input) => {
    const request = new Request(input);
    if (KEYED_METHODS.has(request.method) && !request.headers.has("idempotency-key")) {
      request.headers.set("idempotency-key", newKey());
    }
    // Read once: each attempt sends its own copy, with the same key.
    const body = request.body === null ? null : await request.arrayBuffer();
    const send = () => deps.fetch(new Request(request, { body }));
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= opts.attempts;
      let res: Response;
      try {
        res = await send();
      } catch (err) {
        if (last || !isNetworkError(err) || request.signal.aborted) throw err;
        await sleep(backoffMs(attempt, opts, random), request.signal);
        continue;
      }
      if (last || !RETRIED_STATUSES.has(res.status)) return res;
      const asked = retryAfterMs(res.headers.get("retry-after"));
      if (asked !== undefined && asked > opts.maxRetryAfterMs) return res;
      // The server's wait is a floor; jitter on top keeps a crowd of clients from returning in step.
      const wait = Math.max(asked ?? 0, backoffMs(attempt, opts, random));
      await res.body?.cancel();
      await sleep(wait, request.signal);
    }
  };
}
