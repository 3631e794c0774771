import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/context";
import { CONTENT_TYPE, render } from "../metrics/exposition";
import { families } from "../metrics/families";
import { gatherMetrics } from "../metrics/gather";
import { problems, READ } from "./schemas";

/**
 * Who may scrape: a key that reads (spec §12: owner, manager or viewer). The
 * figures name no customer, so a scraper needs no more than a viewer key.
 */
export const METRICS_SECURITY = READ;

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
