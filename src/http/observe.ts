import type { Context, MiddlewareHandler, Next } from "hono";
import { routePath } from "hono/route";
import { PROBLEM_CONTENT_TYPE, problemCodeOf } from "./problem";
import { setResponseHeader } from "./response-headers";
import type { AppEnv } from "./context";
import { logger } from "../platform/log";
import { currentTrace, formatTraceparent, runInTrace, traceFrom } from "../platform/trace";

const SKU_IN_PATH = /^\/v1\/skus\/([^/]+)/;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * One structured log line and one Analytics Engine data point per request
 * (route, outcome code, SKU, latency), and a request id the caller can quote:
 * taken from a well-formed `Request-Id` header or made up, and echoed back.
 * The request runs as a span of the caller's W3C `traceparent` (a new trace
 * when it has none or a malformed one: never a 400), answered as
 * `traceresponse` (Trace Context Level 2), so every line it logs, every object
 * it calls and every message it queues carries the trace id.
 */
export function observe(): MiddlewareHandler<AppEnv> {
  return (c, next) => runInTrace(traceFrom(c.req.header("traceparent")), () => observed(c, next));
}

async function observed(c: Context<AppEnv>, next: Next): Promise<void> {
  const started = performance.now();
  const given = c.req.header("request-id");
  const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
  c.set("requestId", requestId);
  await next();
  setResponseHeader(c, "request-id", requestId);
  const trace = currentTrace();
  if (trace) setResponseHeader(c, "traceresponse", formatTraceparent(trace));

  const route = routePath(c, -1);
  const sku = SKU_IN_PATH.exec(c.req.path)?.[1] ?? "";
  const code = c.get("problemCode") ?? (await outcomeCode(c.res));
  const latency_ms = performance.now() - started;
  c.env.ANALYTICS?.writeDataPoint({
    blobs: [c.req.method, route, code, sku, c.res.headers.get("holdfast-cache") ?? ""],
    doubles: [latency_ms, c.res.status],
    indexes: [sku || route],
  });
  logger(c.env).at(c.res.status >= 500 ? "error" : "info", "request", {
    requestId,
    method: c.req.method,
    route,
    status: c.res.status,
    code,
    sku: sku || undefined,
    latency_ms: Math.round(latency_ms * 10) / 10,
  });
}

/** The problem's `code`, or "ok". Problems made here say it without parsing; stored replays are read back. */
async function outcomeCode(res: Response): Promise<string> {
  const known = problemCodeOf(res);
  if (known) return known;
  if (res.headers.get("content-type") !== PROBLEM_CONTENT_TYPE) return res.status < 400 ? "ok" : `http_${res.status}`;
  try {
    const { code } = (await res.clone().json()) as { code?: string };
    return code ?? `http_${res.status}`;
  } catch {
    return `http_${res.status}`;
  }
}
