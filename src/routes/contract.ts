/**
 * The parts of the OpenAPI contract every operation shares, added to the
 * generated document in one place so no route can forget them (issue 11):
 * the statuses the app's middleware and error handler can answer on any
 * route (400, 401, 405, 413, 415, 422, 500), the problem schema of each, and
 * the response headers (Request-Id, Traceresponse, Idempotent-Replayed,
 * Retry-After, Allow, WWW-Authenticate). Statuses that depend on what a route does (403, 404,
 * 409, 410, 429, 503) are declared by the route itself.
 */

// biome-ignore lint/suspicious/noExplicitAny: this module writes into the generated OpenAPI document by path; its exact type is OpenAPIObject's deep union, which each write would have to narrow again for no safety gained.
type Json = Record<string, any>;

const PROBLEM_REF = { $ref: "#/components/schemas/Problem" };
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
/** The headers src/http/observe.ts puts on every response. */
const everyResponse = (): Json => ({ "Request-Id": header("RequestId"), Traceresponse: header("Traceresponse") });

export const HEADER_COMPONENTS: Json = {
  RequestId: {
    description:
      "The request's id: yours if you sent a well-formed `Request-Id` (8-64 of `A-Z a-z 0-9 . _ -`), else a new UUID. Quote it when reporting a problem.",
    schema: { type: "string", minLength: 8, maxLength: 64 },
  },
  Traceresponse: {
    description:
      "The W3C trace context of this request, `00-<trace id>-<span id>-<flags>`: it continues the `traceparent` you sent (a new trace when you sent none or a malformed one). Every log line, object call and queue message of the request carries the trace id.",
    schema: { type: "string", pattern: "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$" },
  },
  IdempotentReplayed: {
    description: "`true` when this is the stored reply of an earlier request with the same `Idempotency-Key`.",
    schema: { type: "string", enum: ["true"] },
  },
  RetryAfter: {
    description: "Seconds to wait before retrying.",
    schema: { type: "integer", minimum: 0 },
  },
  Allow: {
    description: "The methods the path accepts, e.g. `GET, PUT`.",
    schema: { type: "string" },
  },
  WwwAuthenticate: {
    description: 'The scheme to authenticate with: `Bearer realm="holdfast"`.',
    schema: { type: "string" },
  },
  ETag: {
    description: "Weak validator of the cached public view; send it back in `If-None-Match`.",
    schema: { type: "string" },
  },
  CacheControl: {
    description: "`public, max-age=<EDGE_CACHE_TTL_SECONDS>` on cached public views, `private, no-store` on merchant views.",
    schema: { type: "string" },
  },
  Upgrade: {
    description: "`websocket`: the protocol this resource speaks.",
    schema: { type: "string", enum: ["websocket"] },
  },
  HoldfastCache: {
    description: "Whether the edge answered: `hit`, `miss` or `stale` (a copy up to 60 s old, when building the view failed).",
    schema: { type: "string", enum: ["hit", "miss", "stale"] },
  },
};

/** What each status means on this API, for its response description. */
const STATUS_TEXT: Record<number, string> = {
  400: "`invalid_request`: a parameter, header or the body fails validation (`errors` lists each field), or the body is not JSON",
  401: "`unauthorized`: the credential is missing where required, malformed, invalid or expired",
  403: "`forbidden`: a valid credential of the wrong kind (e.g. a shopper calling a merchant route); `admission_required`: a hold in a sale with a waiting room without a valid `Holdfast-Admission`",
  404: "`not_found`: no such resource, or not yours to see",
  405: "`method_not_allowed`: the path exists, not with this method; `Allow` lists those it takes",
  409: "A conflict with the current state: `insufficient_stock` (`available`), `sold_out`, `limit_exceeded` (`remaining`), `sale_not_started`, `sale_ended`, `not_on_sale`, `hold_not_releasable`, `invalid_order_state` (`orderStatus`), `sale_overlap` (`conflicts`), `signing_secret_conflict`",
  410: "`hold_expired`: a hold (or the order's holds) ended before it could be used",
  413: "`payload_too_large`: the body is over the limit (16 KiB; 512 KiB for the Stripe webhook)",
  415: "`unsupported_media_type`: the body is not `application/json` (UTF-8)",
  422: "`idempotency_key_reused`: the same `Idempotency-Key` came with a different request",
  426: "`upgrade_required`: this resource is a WebSocket; send `Upgrade: websocket`",
  429: "`rate_limited`: over a rate budget; `Retry-After` (and `retryAfterSeconds`) say when to come back",
  500: "`internal`: a bug on our side; the request may be retried",
  503: "`unavailable`: a SKU's object did not answer in time or is overloaded; retry after `Retry-After`",
};

/** The problem response of a status, with the headers that status carries. */
export function problemResponse(status: number, opts: { replayable?: boolean } = {}): Json {
  const headers: Json = everyResponse();
  if (status === 401) headers["WWW-Authenticate"] = header("WwwAuthenticate");
  if (status === 405) headers.Allow = header("Allow");
  if (status === 426) headers.Upgrade = header("Upgrade");
  if (status === 429 || status === 503) headers["Retry-After"] = header("RetryAfter");
  if (opts.replayable && status !== 429 && status !== 503 && status !== 500) headers["Idempotent-Replayed"] = header("IdempotentReplayed");
  return {
    description: STATUS_TEXT[status] ?? "Problem",
    headers,
    content: { "application/problem+json": { schema: PROBLEM_REF } },
  };
}

/** Operations are grouped by what they act on (the tags of the document's `tags`). */
function tagOf(path: string): string {
  if (path.startsWith("/v1/me/")) return "me";
  if (/^\/v1\/skus\/[^/]+\/holds/.test(path)) return "holds";
  if (path.startsWith("/v1/skus")) return "skus";
  if (path.startsWith("/v1/sales")) return "sales";
  if (path.startsWith("/v1/checkout") || path.startsWith("/v1/orders")) return "orders";
  if (path.startsWith("/v1/audit")) return "audit";
  if (path.startsWith("/v1/webhooks")) return "webhooks";
  return "operations";
}

function hasKeyHeader(op: Json): boolean {
  return (op.parameters ?? []).some((p: Json) => p.in === "header" && String(p.name).toLowerCase() === "idempotency-key");
}

/**
 * Completes every operation of a generated document: shared statuses with
 * their problem schema, and response headers. Pure: returns a new document.
 */
export function completeContract(input: Json): Json {
  const doc: Json = structuredClone(input);
  doc.components ??= {};
  doc.components.headers = { ...HEADER_COMPONENTS, ...doc.components.headers };
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [, op] of Object.entries<Json>(item)) {
      if (typeof op !== "object" || op === null || !op.responses) continue;
      op.tags ??= [tagOf(path)];
      const replayable = hasKeyHeader(op);
      // `default` (a WebSocket's, which has no 2xx) is left as the route wrote it.
      const statuses = new Set<number>(
        Object.keys(op.responses)
          .filter((k) => /^[1-5][0-9]{2}$/.test(k))
          .map(Number),
      );
      const api = path.startsWith("/v1/");
      // Every /v1 request passes authentication and the JSON body check, whatever the route.
      if (api) statuses.add(401);
      if (api && ((op.parameters ?? []).length > 0 || op.requestBody)) statuses.add(400);
      if (op.requestBody) {
        statuses.add(413);
        statuses.add(415);
      }
      if (replayable) statuses.add(422);
      statuses.add(405);
      statuses.add(500);
      for (const status of [...statuses].sort()) {
        const key = String(status);
        const existing = op.responses[key];
        if (status >= 400 && !existing?.content?.["application/json"]) {
          // Problems are documented here, uniformly; a route's own description of the status is kept.
          const made = problemResponse(status, { replayable });
          op.responses[key] =
            existing?.description && existing.description !== "Problem" ? { ...made, description: existing.description } : made;
          continue;
        }
        const headers: Json = { ...existing.headers, ...everyResponse() };
        if (replayable && status < 300) headers["Idempotent-Replayed"] = header("IdempotentReplayed");
        op.responses[key] = { ...existing, headers };
      }
      const fallback = op.responses.default;
      if (fallback) op.responses.default = { ...fallback, headers: { ...fallback.headers, ...everyResponse() } };
      // Sorted statuses read better in generated docs and diffs.
      op.responses = Object.fromEntries(Object.entries<Json>(op.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return doc;
}
