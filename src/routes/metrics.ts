import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/context";
import { CONTENT_TYPE, render } from "../metrics/exposition";
import { families } from "../metrics/families";
import { gatherMetrics } from "../metrics/gather";
import { problems } from "./schemas";

/**
 * Who may scrape: the owner (the merchant token) today. Hook for API keys
 * with roles (branch `teams`): add `{ apiKey: ["metrics"] }` here as a
 * second alternative once that scheme exists in http/auth.ts.
 */
export const METRICS_SECURITY = [{ merchant: [] }];

export const metricsRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/metrics",
    operationId: "getMetrics",
    summary: "Prometheus metrics of the live sale",
    description:
      "The Prometheus text exposition format (0.0.4): per SKU of a live sale (at most 100) its levels, holds, refusals by " +
      "code, invariant violations (must stay 0) and hold service time histogram, each queued live sale's waiting room, " +
      "payment attempts and failures over five minutes, and the outbox and D1-view lag. See docs/operations.md.",
    security: METRICS_SECURITY,
    responses: {
      200: { description: "The metrics", content: { "text/plain": { schema: z.string() } } },
      ...problems(401, 403, 503),
    },
  }),
  async (c) => {
    const text = render(families(await gatherMetrics(c.env, Date.now())));
    return c.body(text, 200, { "content-type": CONTENT_TYPE, "cache-control": "no-store" }) as never;
  },
);
