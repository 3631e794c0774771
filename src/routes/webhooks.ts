import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import { router } from "../http/context";
import { applyStripeEvent, verifyStripeEvent } from "../payments/webhook";
import { jsonResponse, problems } from "./schemas";

export const webhookRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/v1/webhooks/stripe",
    summary: "Stripe events, verified by their signature",
    request: { headers: z.object({ "stripe-signature": z.string().min(1).max(2_000) }) },
    responses: {
      200: jsonResponse(z.object({ received: z.boolean(), outcome: z.enum(["applied", "duplicate", "ignored"]) }), "Handled"),
      ...problems(400, 413, 415),
    },
  }),
  async (c) => {
    // The signature covers the exact bytes Stripe sent, so the body is read raw, never re-serialised
    // (the app's body check has already required application/json and valid UTF-8).
    const raw = await c.req.text();
    const verified = await verifyStripeEvent(c.env, raw, c.req.valid("header")["stripe-signature"]);
    if (!verified) throw new ProblemError("invalid_request", "The Stripe-Signature header does not verify.");
    return c.json({ received: true, outcome: await applyStripeEvent(c.env, verified.payload, Date.now()) }, 200);
  },
);
