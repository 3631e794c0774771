import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "./context";
import { setResponseHeader } from "./response-headers";

/** Request headers a browser may send cross-origin (besides the CORS-safelisted ones). */
export const CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "Holdfast-Admission", "Request-Id", "Traceparent"];
/** Response headers a browser script may read cross-origin (besides the CORS-safelisted ones). */
export const CORS_EXPOSE_HEADERS = [
  "Retry-After",
  "Idempotent-Replayed",
  "Request-Id",
  "Traceresponse",
  "Holdfast-Cache",
  "Allow",
  "WWW-Authenticate",
  "ETag",
];
const CORS_METHODS = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"];
/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 h). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

let parsed: { from: string; origins: ReadonlySet<string> } | null = null;

/** The origins in `CORS_ORIGINS` (comma-separated), parsed once per isolate and value. */
export function corsOrigins(value: string | undefined): ReadonlySet<string> {
  const from = value ?? "";
  if (parsed?.from !== from) {
    const origins = from
      .split(",")
      .map((o) => o.trim().replace(/\/+$/, ""))
      .filter((o) => o.length > 0);
    parsed = { from, origins: new Set(origins) };
  }
  return parsed.origins;
}

/**
 * CORS with Hono's own middleware (spec §10): only origins listed in
 * `CORS_ORIGINS` get `Access-Control-Allow-Origin`; there are no cookies, so
 * no credentials mode. A preflight (`OPTIONS` with `Origin`) is answered 204
 * here; an `OPTIONS` without `Origin` is no preflight and goes on to the
 * router, which answers 405 with `Allow` as for any method a path lacks. A
 * request without `Origin` gets no CORS headers. Every other response says
 * `Vary: Origin`, so a shared cache keeps one copy per origin.
 */
export function corsFor(): MiddlewareHandler<AppEnv> {
  const middleware = cors({
    origin: (origin, c) => (corsOrigins((c.env as Env).CORS_ORIGINS).has(origin) ? origin : null),
    allowMethods: CORS_METHODS,
    allowHeaders: CORS_ALLOW_HEADERS,
    exposeHeaders: CORS_EXPOSE_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
  return async (c, next) => {
    if (c.req.header("origin") !== undefined) return middleware(c, next);
    if (c.req.method === "OPTIONS") return next();
    // No Origin, no cross-origin call: a browser sends one with each. Skipping Hono's CORS here also spares
    // every such response a copy (its headers set before the handler make Hono copy the handler's response).
    await next();
    setResponseHeader(c, "Vary", "Origin", true);
  };
}
