import { createRoute, z } from "@hono/zod-openapi";
import { accept, ProblemError } from "../domain/problems";
import { sendOutcome } from "../http/outcome";
import { router } from "../http/context";
import { applyStripeEvent, verifyStripeEvent } from "../payments/webhook";
import { jsonResponse, problems } from "./schemas";

/**
 * A Stripe event as it arrives (https://docs.stripe.com/api/events/object);
 * only `payment_intent.*` events with our `metadata.orderId` move an order,
 * others are acknowledged and ignored. Only the envelope is checked here (as
 * the handler requires it); the handler reads the raw body, whose bytes the
 * signature covers, and checks what it uses of the object.
 */
const StripeEvent = z
  .looseObject({
    id: z.string().min(1).max(255).openapi({ example: "evt_1Q0..." }),
    object: z.string().optional().openapi({ example: "event" }),
    type: z.string().min(1).max(255).openapi({ example: "payment_intent.succeeded" }),
    created: z.number().int().optional(),
    livemode: z.boolean().optional(),
    data: z.looseObject({
      object: z.record(z.string(), z.unknown()).openapi({
        description:
          "The event's object. For the `payment_intent.*` events holdfast acts on, a PaymentIntent, of which it reads " +
          "`id`, `amount`, `amount_received`, `currency`, `client_secret`, `last_payment_error.message`, `cancellation_reason` " +
          "and `metadata` (`orderId`, `attempt`: set by holdfast when it created the intent). Other objects are acknowledged and ignored.",
      }),
    }),
  })
  .openapi("StripeEvent");

export const webhookRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/v1/webhooks/stripe",
    operationId: "receiveStripeEvent",
    summary: "Stripe events, verified by their signature",
    security: [{ stripeSignature: [] }],
    request: {
      headers: z.object({ "stripe-signature": z.string().min(1).max(2_000) }),
      body: { content: { "application/json": { schema: StripeEvent } }, required: true },
    },
    responses: {
      200: jsonResponse(z.object({ received: z.boolean(), outcome: z.enum(["applied", "duplicate", "ignored"]) }), "Handled"),
      ...problems(400, 413, 415, 503),
    },
  }),
  async (c) => {
    // The signature covers the exact bytes Stripe sent, so the body is read raw, never re-serialised
    // (the app's body check has already required application/json and valid UTF-8).
    const raw = await c.req.text();
    const verified = await verifyStripeEvent(c.env, raw, c.req.valid("header")["stripe-signature"]);
    if (!verified) throw new ProblemError("invalid_request", "The Stripe-Signature header does not verify.");
    const applied = await applyStripeEvent(c.env, verified.payload, Date.now());
    return sendOutcome(c, applied.ok ? accept({ received: true, outcome: applied.value }) : applied, 200);
  },
);
