import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { ProblemError } from "./domain/problems";
import { authenticate } from "./http/auth";
import { router } from "./http/context";
import { problemResponse } from "./http/problem";
import { healthRoutes } from "./routes/health";
import { holdRoutes } from "./routes/holds";
import { saleRoutes } from "./routes/sales";
import { skuRoutes } from "./routes/skus";

/** Request bodies are small JSON documents; anything larger is refused unread. */
export const MAX_BODY_BYTES = 16 * 1024;

export function createApp() {
  const app = router();

  app.use("/v1/*", bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => problemResponse("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`),
  }));
  app.use("/v1/*", async (c, next) => {
    c.set("principal", await authenticate(c.req.header("authorization"), c.env));
    await next();
  });

  app.route("/", healthRoutes);
  app.route("/", skuRoutes);
  app.route("/", holdRoutes);
  app.route("/", saleRoutes);

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

  app.notFound((c) => problemResponse("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));

  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(err.code, err.detail, err.extra, err.headers);
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own 4xx, e.g. a body that is not JSON.
      return problemResponse("invalid_request", err.message || "The request is not valid.");
    }
    console.error(JSON.stringify({ level: "error", event: "unhandled", method: c.req.method, path: c.req.path, error: String(err), stack: err instanceof Error ? err.stack : undefined }));
    return problemResponse("internal", "Something went wrong on our side; the request may be retried.");
  });

  return app;
}
