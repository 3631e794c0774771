import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { shopperOf } from "../http/auth";
import { sendOutcome } from "../http/outcome";
import { idempotentOutcome, recallStored } from "../idempotency/d1-replies";
import { reportAdmissionUsed, requireAdmissions } from "../waiting-room/admission";
import type { AdmissionClaims } from "../waiting-room/tokens";
import { checkout } from "../orders/checkout";
import { enforceRateLimits } from "../edge/rate-limit";
import { AdmissionHeaders, HoldId, jsonBody, jsonResponse, Money, problems, SkuId } from "./schemas";
import { Order } from "./order-schemas";
import type { OrderView } from "../orders/view";

export const PaymentMethod = z
  .string()
  .regex(/^pm_[A-Za-z0-9_]{1,96}$/, "a Stripe PaymentMethod id, e.g. pm_card_visa")
  .openapi({ example: "pm_card_visa" });

const ExpectedTotal = Money.optional().openapi({
  description:
    "The total the shopper was shown (amount in the currency's minor unit). When the order's total differs (a price changed since), the checkout is refused `409 total_changed` with the actual `total` and `currency`, and every hold it moved is released.",
});

const CheckoutBody = z
  .union([
    z.strictObject({ holdIds: z.array(HoldId).min(1).max(50), paymentMethod: PaymentMethod, expectedTotal: ExpectedTotal }),
    z.strictObject({
      items: z
        .array(z.strictObject({ sku: SkuId, quantity: z.number().int().min(1).max(10_000) }))
        .min(1)
        .max(50),
      paymentMethod: PaymentMethod,
      expectedTotal: ExpectedTotal,
    }),
  ])
  .openapi("CheckoutInput");

export const checkoutRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/v1/checkout",
    operationId: "checkout",
    summary: "Turn holds (or items) into an order awaiting payment; all or nothing across SKUs",
    security: [{ shopper: [] }],
    request: { headers: AdmissionHeaders, body: jsonBody(CheckoutBody) },
    responses: {
      202: jsonResponse(Order, "The order, pending payment"),
      ...problems(400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 503),
    },
  }),
  async (c) => {
    const principal = shopperOf(c);
    const { customerId } = principal;
    const body = c.req.valid("json");
    const headers = c.req.valid("header");
    const idem = idempotencyKey(headers["idempotency-key"], principal, "checkout", body);
    const now_ms = Date.now();
    const recall = idem && (() => recallStored<OrderView>(c.env, idem, now_ms));
    // By items the checkout takes its own holds, so a queued sale's admission is checked as a hold's is;
    // a retry of a checkout that ran gets its result even once the admission lapsed.
    let admissions: AdmissionClaims[] = [];
    if ("items" in body) {
      const replay = recall ? await recall() : null;
      if (replay) return sendOutcome(c, replay, 202);
      const admitted = await requireAdmissions(
        c,
        body.items.map((i) => i.sku),
        customerId,
        headers["holdfast-admission"],
      );
      if (!admitted.ok) return sendOutcome(c, admitted, 202);
      admissions = admitted.value;
    }
    const stored = await enforceRateLimits(c, customerId, "checkout", recall);
    if (stored) return sendOutcome(c, stored, 202);
    const outcome = await idempotentOutcome(c.env, idem, now_ms, () =>
      checkout(
        c.env,
        customerId,
        body,
        idem,
        now_ms,
        admissions.map((a) => a.s),
      ),
    );
    if (outcome.ok) for (const claims of admissions) reportAdmissionUsed(c, claims);
    return sendOutcome(c, outcome, 202);
  },
);
