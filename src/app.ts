import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { ProblemError } from "./domain/problems";
import { authenticate } from "./http/auth";
import { router } from "./http/context";
import { allowedMethods } from "./http/allowed-methods";
import { observe } from "./http/observe";
import { problemResponse } from "./http/problem";
import { auditRoutes } from "./routes/audit";
import { healthRoutes } from "./routes/health";
import { holdRoutes } from "./routes/holds";
import { inventoryRoutes } from "./routes/inventory";
import { checkoutRoutes } from "./routes/checkout";
import { orderRoutes } from "./routes/orders";
import { saleRoutes } from "./routes/sales";
import { webhookRoutes } from "./routes/webhooks";
import { skuRoutes, skuStatsRoutes } from "./routes/skus";

/** Request bodies are small JSON documents; anything larger is refused unread. */
export const MAX_BODY_BYTES = 16 * 1024;
export const MAX_WEBHOOK_BYTES = 512 * 1024;

export function createApp() {
  const app = router();

  app.use("*", observe());
  const limitBody = (maxSize: number) =>
    bodyLimit({ maxSize, onError: () => problemResponse("payload_too_large", `Request bodies are limited to ${maxSize} bytes.`) });
  const [small, large] = [limitBody(MAX_BODY_BYTES), limitBody(MAX_WEBHOOK_BYTES)];
  // Stripe's events run larger than any request body of ours, and it must never be refused for size.
  app.use("/v1/*", (c, next) => (c.req.path.startsWith("/v1/webhooks/") ? large : small)(c, next));
  app.use("/v1/*", async (c, next) => {
    c.set("principal", await authenticate(c.req.header("authorization"), c.env));
    await next();
  });

  app.route("/", healthRoutes);
  app.route("/", skuRoutes);
  app.route("/", skuStatsRoutes);
  app.route("/", holdRoutes);
  app.route("/", saleRoutes);
  app.route("/", inventoryRoutes);
  app.route("/", auditRoutes);
  app.route("/", checkoutRoutes);
  app.route("/", orderRoutes);
  app.route("/", webhookRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "merchant", {
    type: "http",
    scheme: "bearer",
    description: "The merchant's ADMIN_TOKEN.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "shopper", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "HS256 JWT signed with SHOPPER_JWT_SECRET; `sub` is the customer id, `exp` is required.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "holdfast",
      version: "1.0.0",
      description: "Flash-sale inventory: holds, sales and stock with zero oversell.",
    },
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
    if (err instanceof ProblemError) return problemResponse(err.code, err.detail, err.extra, err.headers);
    if (err instanceof HTTPException && err.status === 415) {
      return problemResponse("unsupported_media_type", "Send the body as application/json.");
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own 4xx, e.g. a body that is not JSON.
      return problemResponse("invalid_request", err.message || "The request is not valid.");
    }
    console.error(JSON.stringify({ level: "error", event: "unhandled", requestId, method: c.req.method, path: c.req.path, error: String(err), stack: err instanceof Error ? err.stack : undefined }));
    return problemResponse("internal", "Something went wrong on our side; the request may be retried.");
  });

  return app;
}
