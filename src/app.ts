import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import type { MiddlewareHandler } from "hono";
import { ProblemError } from "./domain/problems";
import { authBlocked, countAuthFailure } from "./edge/rate-limit";
import { authenticate } from "./http/auth";
import { router, type AppEnv } from "./http/context";
import { allowedMethods } from "./http/allowed-methods";
import { corsFor } from "./http/cors";
import { observe } from "./http/observe";
import { problemOf } from "./http/outcome";
import { problemResponse } from "./http/problem";
import { parseJsonOrNull } from "./platform/json";
import { logger } from "./platform/log";
import { apiKeyRoutes } from "./routes/api-keys";
import { auditRoutes } from "./routes/audit";
import { auditCheckpointRoutes } from "./routes/audit-checkpoints";
import { completeContract } from "./routes/contract";
import { healthRoutes } from "./routes/health";
import { holdRoutes } from "./routes/holds";
import { merchantHoldRoutes } from "./routes/merchant-holds";
import { inventoryRoutes } from "./routes/inventory";
import { inventoryViewRoutes } from "./routes/inventory-view";
import { checkoutRoutes } from "./routes/checkout";
import { orderRoutes } from "./routes/orders";
import { paymentRoutes } from "./routes/payments";
import { meRoutes } from "./routes/me";
import { saleRoutes } from "./routes/sales";
import { saleReportRoutes } from "./routes/sale-report";
import { saleBoardRoutes } from "./routes/sale-board";
import { metricsRoutes } from "./routes/metrics";
import { lotteryRoutes } from "./routes/lottery";
import { queueRoutes } from "./routes/waiting-room";
import { webhookRoutes } from "./routes/webhooks";
import { webhookSecretRoutes } from "./routes/webhook-secrets";
import { devRoutes } from "./routes/dev";
import { skuRoutes, skuStatsRoutes } from "./routes/skus";
import { transferRoutes } from "./routes/transfers";
import { skuLocationRoutes } from "./routes/sku-locations";
import { liveRoutes } from "./routes/live";
import { locationRoutes } from "./routes/locations";

const OPENAPI_INFO: Parameters<ReturnType<typeof router>["getOpenAPI31Document"]>[0] = {
  openapi: "3.1.0",
  info: {
    title: "holdfast",
    version: "1.0.0",
    description:
      "Flash-sale inventory: holds, sales and stock with zero oversell. Errors are RFC 9457 problem documents with a stable `code`; " +
      "state-changing POSTs take an `Idempotency-Key`; browsers may call from the origins in `CORS_ORIGINS`.",
    license: { name: "UNLICENSED (private package; all rights reserved)", url: "https://holdfast.dev/license" },
  },
  servers: [
    {
      url: "{origin}",
      description: "Where holdfast runs: `npm run dev` serves http://localhost:8787; a deployment, its workers.dev or custom domain.",
      variables: { origin: { default: "http://localhost:8787", description: "Scheme, host and port of the Worker." } },
    },
  ],
  tags: [
    { name: "skus", description: "SKUs, stock levels and counters" },
    { name: "sales", description: "Time-boxed sales" },
    { name: "holds", description: "Reserving units for a shopper" },
    { name: "locations", description: "Warehouses and stores that keep stock (spec §11)" },
    { name: "orders", description: "Checkout, payment and the order lifecycle" },
    { name: "me", description: "The calling shopper's own holds and orders" },
    { name: "audit", description: "The hash-chained audit log" },
    { name: "webhooks", description: "Provider callbacks" },
    { name: "access", description: "Merchant API keys and webhook signing secrets" },
    { name: "operations", description: "Health" },
  ],
};

/** Request bodies are small JSON documents; anything larger is refused unread. */
export const MAX_BODY_BYTES = 16 * 1024;
export const MAX_WEBHOOK_BYTES = 512 * 1024;

export function createApp() {
  const app = router();

  app.use("*", observe());
  // Before body limits and authentication: a preflight carries neither, and problems need the CORS headers too.
  app.use("*", corsFor());
  const limitBody = (maxSize: number) =>
    bodyLimit({ maxSize, onError: () => problemResponse("payload_too_large", `Request bodies are limited to ${maxSize} bytes.`) });
  const [small, large] = [limitBody(MAX_BODY_BYTES), limitBody(MAX_WEBHOOK_BYTES)];
  // Stripe's events run larger than any request body of ours, and it must never be refused for size.
  app.use("/v1/*", (c, next) => (c.req.path.startsWith("/v1/webhooks/") ? large : small)(c, next));
  const identify: MiddlewareHandler<AppEnv> = async (c, next) => {
    const header = c.req.header("authorization");
    // An address that failed too often is refused before its credential is compared (docs/security.md).
    const blocked = header === undefined ? null : authBlocked(c);
    if (blocked) throw problemOf(blocked);
    try {
      c.set("principal", await authenticate(header, c.env));
    } catch (e) {
      const over = e instanceof ProblemError && e.code === "unauthorized" ? await countAuthFailure(c) : null;
      throw over ? problemOf(over) : e;
    }
    await next();
  };
  app.use("/v1/*", identify);
  // The scrape endpoint sits at the root, where Prometheus looks; it is authorized like the API.
  app.use("/metrics", identify);
  app.use("/v1/*", jsonBodies());

  app.route("/", healthRoutes);
  app.route("/", metricsRoutes);
  app.route("/", skuRoutes);
  app.route("/", skuStatsRoutes);
  app.route("/", skuLocationRoutes);
  app.route("/", liveRoutes);
  app.route("/", holdRoutes);
  app.route("/", merchantHoldRoutes);
  app.route("/", transferRoutes);
  app.route("/", saleRoutes);
  app.route("/", saleReportRoutes);
  app.route("/", saleBoardRoutes);
  // Before the queue routes: `/queue/draw` is not a ticket.
  app.route("/", lotteryRoutes);
  app.route("/", queueRoutes);
  app.route("/", inventoryRoutes);
  app.route("/", locationRoutes);
  app.route("/", inventoryViewRoutes);
  app.route("/", auditRoutes);
  app.route("/", auditCheckpointRoutes);
  app.route("/", checkoutRoutes);
  app.route("/", orderRoutes);
  app.route("/", paymentRoutes);
  app.route("/", meRoutes);
  app.route("/", webhookRoutes);
  app.route("/", devRoutes);
  app.route("/", apiKeyRoutes);
  app.route("/", webhookSecretRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "merchant", {
    type: "http",
    scheme: "bearer",
    description:
      "A merchant API key (`hf_...`, POST /v1/api-keys) or ADMIN_TOKEN (the owner key `root`). Each requirement names the one role " +
      "it admits; an operation lists one requirement per role it admits.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "shopper", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "HS256 JWT signed with SHOPPER_JWT_SECRET; `sub` is the customer id, `exp` is required.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "stripeSignature", {
    type: "apiKey",
    in: "header",
    name: "Stripe-Signature",
    description: "Stripe's signature of the raw body, verified with STRIPE_WEBHOOK_SECRET.",
  });
  // Built once per isolate: the routes do not change while it runs.
  let contract: object | null = null;
  app.get("/openapi.json", (c) => {
    contract ??= completeContract(app.getOpenAPI31Document(OPENAPI_INFO));
    return c.json(contract, 200);
  });

  const methodsOf = allowedMethods(app.routes);
  app.notFound((c) => {
    const allowed = methodsOf(c.req.path);
    if (allowed.length > 0) {
      return problemResponse("method_not_allowed", `${c.req.path} accepts ${allowed.join(", ")}.`, {}, { allow: allowed.join(", ") });
    }
    return problemResponse("not_found", `No route for ${c.req.method} ${c.req.path}.`);
  });

  app.onError((err, c) => {
    // The request id travels in the Request-Id header, not the body, so an idempotent replay's body is identical.
    const requestId = c.get("requestId");
    if (err instanceof ProblemError) {
      // Middleware that set headers earlier makes Hono copy this response, so the log line learns the code here.
      c.set("problemCode", err.code);
      return problemResponse(err.code, err.detail, err.extra, err.headers);
    }
    if (err instanceof HTTPException && err.status === 415) {
      return problemResponse("unsupported_media_type", "Send the body as application/json.");
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own 4xx, e.g. a body that is not JSON.
      return problemResponse("invalid_request", err.message || "The request is not valid.");
    }
    logger(c.env).error("unhandled", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      error: String(err),
      stack: err instanceof Error ? err.stack : undefined,
    });
    return problemResponse("internal", "Something went wrong on our side; the request may be retried.");
  });

  return app;
}

/**
 * Every request body, whatever the route, is UTF-8 `application/json` (the spec (docs/spec.md)
 * section 6). Hono's validator would also parse any `+json` type, such as
 * json-patch, whose semantics we do not implement. Bodies are decoded strictly
 * and their strings must be well-formed Unicode: an invalid byte or a lone
 * surrogate escape (`"\ud800"`) would otherwise be stored as U+FFFD, not as sent.
 * The bytes stay in Hono's body cache, where the validators and the webhook's
 * raw read take them from.
 */
function jsonBodies(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.raw.body === null || c.req.header("content-length") === "0") return next();
    if (!isJsonMediaType(c.req.header("content-type"))) {
      throw new ProblemError("unsupported_media_type", "Send the body as application/json.");
    }
    const bytes = await c.req.arrayBuffer();
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new ProblemError("invalid_request", "The body is not valid UTF-8.");
    }
    // Only an escape can make a lone surrogate, so most bodies are not parsed here twice (malformed JSON is the route's to refuse).
    if (/\\u[dD][89a-fA-F]/.test(text) && hasLoneSurrogate(parseJsonOrNull(text))) {
      throw new ProblemError("invalid_request", "Strings must be valid Unicode: the body has an unpaired surrogate escape.");
    }
    // The route's validator reads the text decoded here; Hono would otherwise wrap the bytes in a new Response to decode them again.
    // (Hono keeps promises in its body cache, though its type names the values.)
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    await next();
  };
}

function isJsonMediaType(header: string | undefined): boolean {
  const [essence, ...params] = (header ?? "").split(";").map((p) => p.trim().toLowerCase());
  if (essence !== "application/json") return false;
  // JSON is UTF-8 (RFC 8259); a body announced in another charset would be misread.
  return params.every((p) => !p.startsWith("charset=") || /^charset="?utf-8"?$/.test(p));
}

/** Walks with an explicit stack: a 16 KiB body can nest thousands of levels deep. */
function hasLoneSurrogate(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (!value.isWellFormed()) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) return true;
        stack.push(item);
      }
    }
  }
  return false;
}
