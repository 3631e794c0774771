import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import { callerOf } from "../http/auth";
import { router } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { sendOutcome } from "../http/outcome";
import { callObject } from "../platform/object-call";
import { purgeSale, purgeSku } from "../edge/purge";
import { idempotentOutcome } from "../idempotency/d1-replies";
import { holdStub, placeOfHold } from "../stock/addressing";
import { MAX_CLOCK_OFFSET_SECONDS, shiftSaleClock } from "../sales/dev-clock";
import { SaleView } from "./sales";
import { Hold, HoldId, IdempotencyHeaders, jsonBody, jsonResponse, OWNER, problems, SaleId } from "./schemas";

/**
 * Dev tools for integrators testing under Miniflare or `npm run dev`: time
 * travel for holds and sales. They exist only where DEV_TOOLS is "on"
 * (.dev.vars.example, the test bindings); anywhere else every /v1/dev path is
 * `404 not_found`, as if absent, whoever asks. They stay out of the OpenAPI
 * document (`hide`): it describes the API a deployment serves.
 */

const ClockBody = z
  .strictObject({
    offsetSeconds: z
      .number()
      .int()
      .min(-MAX_CLOCK_OFFSET_SECONDS)
      .max(MAX_CLOCK_OFFSET_SECONDS)
      .refine((n) => n !== 0, "must not be 0"),
  })
  .openapi("SaleClockInput");

export const devRoutes = router();

devRoutes.use("/v1/dev/*", async (c, next) => {
  if (c.env.DEV_TOOLS !== "on") throw new ProblemError("not_found", `No route for ${c.req.method} ${c.req.path}.`);
  await next();
});

devRoutes
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/dev/holds/{holdId}/expire",
      hide: true,
      security: OWNER,
      request: { params: z.object({ holdId: HoldId }) },
      responses: {
        200: jsonResponse(Hold, "The hold, expired (or as it was, if it had already ended)"),
        ...problems(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const { holdId } = c.req.valid("param");
      const place = placeOfHold(holdId);
      if (!place) throw new ProblemError("not_found", "No such hold.");
      const outcome = await callObject(c.env, () => holdStub(c.env, holdId).expireHoldNow(holdId));
      if (outcome.ok) purgeSku(c, place.sku);
      return sendOutcome(c, outcome, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/dev/sales/{saleId}/clock",
      hide: true,
      security: OWNER,
      request: { params: z.object({ saleId: SaleId }), headers: IdempotencyHeaders, body: jsonBody(ClockBody) },
      responses: { 200: jsonResponse(SaleView, "The sale with its window moved"), ...problems(400, 401, 403, 404, 413, 415, 422, 503) },
    }),
    async (c) => {
      const { saleId } = c.req.valid("param");
      const body = c.req.valid("json");
      // Not idempotent by nature (each call moves the window again): a retry must carry its key.
      const idem = idempotencyKey(c.req.valid("header")["idempotency-key"], callerOf(c), `dev-clock:${saleId}`, body);
      const now = Date.now();
      const outcome = await idempotentOutcome(c.env, idem, now, () => shiftSaleClock(c.env, saleId, body.offsetSeconds, now));
      if (outcome.ok)
        purgeSale(
          c,
          saleId,
          outcome.value.items.map((i) => i.sku),
        );
      return sendOutcome(c, outcome, 200);
    },
  );
