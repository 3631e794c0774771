import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import { actorOf as merchantOf, callerOf, shopperOf, type Principal } from "../http/auth";
import { router } from "../http/context";
import { callerKey, idempotencyKey } from "../http/idempotency";
import { changeOperation, holdOperation } from "../idempotency/keys";
import { sendOutcome } from "../http/outcome";
import { callObject } from "../platform/object-call";
import { purgeSku } from "../edge/purge";
import { enforceRateLimits } from "../edge/rate-limit";
import { holdingObject, reserveFor, storedHold } from "../stock/shards/hold-routing";
import { edgeRefusal, rememberVerdict } from "../edge/verdicts";
import { queuedSaleOf, reportAdmissionUsed, requireAdmission } from "../waiting-room/admission";
import { currentTraceparent } from "../platform/trace";
import { holdStub, placeOfHold } from "../stock/addressing";
import { LocationId, type Destination } from "../domain/locations";
import { AdmissionHeaders, Hold, HoldId, jsonBody, jsonResponse, MANAGE, problems, READ, SkuId } from "./schemas";

const ShipTo = z.strictObject({
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2, upper case")
    .openapi({ example: "US" }),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
});

const HoldBody = z
  .strictObject({
    quantity: z.number().int().min(1).max(10_000),
    shipTo: ShipTo.optional().openapi({
      description: "Spec §11: where the units ship, for a SKU with locations (else the request's own geography at the edge).",
    }),
    pickupAt: LocationId.optional().openapi({ description: "Spec §11: the location the shopper collects from (a pickup point)." }),
  })
  .refine((b) => b.shipTo === undefined || b.pickupAt === undefined, {
    message: "send shipTo or pickupAt, not both",
    path: ["pickupAt"],
  })
  .openapi("HoldInput");

/** Where the hold's units go (spec §11): the body's, else the edge's geography of the request (strings there). */
function destinationOf(body: z.infer<typeof HoldBody>, cf: Record<string, unknown> | undefined): Destination {
  if (body.pickupAt !== undefined) return { kind: "pickup", location: body.pickupAt };
  if (body.shipTo) {
    const { country, latitude, longitude } = body.shipTo;
    return { kind: "ship", country, latitude: latitude ?? null, longitude: longitude ?? null };
  }
  const country = typeof cf?.country === "string" && /^[A-Z]{2}$/.test(cf.country) ? cf.country : null;
  return { kind: "ship", country, latitude: coordinate(cf?.latitude, 90), longitude: coordinate(cf?.longitude, 180) };
}

function coordinate(raw: unknown, bound: number): number | null {
  const n = typeof raw === "string" || typeof raw === "number" ? Number(raw) : Number.NaN;
  return Number.isFinite(n) && Math.abs(n) <= bound && raw !== "" ? n : null;
}

const HoldChangeBody = z
  .strictObject({
    quantity: z.number().int().min(0).max(10_000).openapi({ description: "The quantity the hold should have; 0 releases it." }),
  })
  .openapi("HoldChangeInput");

/** Either credential may call; declared once so the route types stay simple. */

const skuParams = z.object({ sku: SkuId });

const holdParams = z.object({ sku: SkuId, holdId: HoldId });

/** The object that owns the hold (its id names it); a hold of another SKU is not under this path. */
function stubOfHold(env: Env, sku: string, holdId: string) {
  if (placeOfHold(holdId)?.sku !== sku) throw new ProblemError("not_found", "No such hold.");
  return holdStub(env, holdId);
}

/** The owner sees their hold; the merchant sees every hold; anyone else gets `not_found`. */
function holdActorOf(principal: Principal): { customerId: string } | "merchant" {
  return principal.kind === "merchant" ? "merchant" : { customerId: principal.customerId };
}

export const holdRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/skus/{sku}/holds",
      operationId: "createHold",
      summary: "Reserve units for the calling shopper",
      security: [{ shopper: [] }],
      request: { params: skuParams, headers: AdmissionHeaders, body: jsonBody(HoldBody) },
      responses: { 201: jsonResponse(Hold, "The hold"), ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
    }),
    async (c) => {
      const principal = shopperOf(c);
      const { customerId } = principal;
      const { sku } = c.req.valid("param");
      const body = c.req.valid("json");
      const key = c.req.valid("header")["idempotency-key"];
      const operation = holdOperation(sku);
      // The cut comes first: a refusal answered here costs the object nothing, so the
      // budgets that protect the object are spent only on holds that reach it.
      // On a sharded SKU the verdict and its accepted keys are the customer's shard's.
      const cut = await edgeRefusal(sku, customerId, key === undefined ? null : callerKey(principal, operation, key));
      if (cut) throw new ProblemError(cut.code, cut.detail, cut.extra, { "holdfast-cache": "hit" });
      const idem = idempotencyKey(key, principal, operation, body);
      const recall = idem && (() => storedHold(c.env, sku, customerId, idem, (run) => callObject(c.env, run)));
      // A sale with a waiting room: the admission is checked here, with the signing key alone.
      const queuedSale = await queuedSaleOf(c, sku);
      let admission = null;
      if (queuedSale) {
        const admitted = await requireAdmission(c.env, c.req.valid("header")["holdfast-admission"], queuedSale, customerId, sku);
        if (!admitted.ok) {
          // A retry of a hold that ran is answered with its result, even once the admission lapsed.
          const stored = recall ? await recall() : null;
          return sendOutcome(c, stored ?? admitted, 201);
        }
        admission = admitted.value;
      }
      const stored = await enforceRateLimits(c, customerId, "hold", recall);
      if (stored) return sendOutcome(c, stored, 201);
      const destination = destinationOf(body, c.req.raw.cf as Record<string, unknown> | undefined);
      const input = { customerId, quantity: body.quantity, admittedTo: admission ? [admission.s] : [], destination };
      const outcome = await reserveFor(c.env, sku, input, idem, (run) => callObject(c.env, run));
      if (!outcome.ok && !outcome.replayed) await rememberVerdict(c, holdingObject(sku, customerId), outcome);
      if (outcome.ok && admission) reportAdmissionUsed(c, admission);
      return sendOutcome(c, outcome, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/skus/{sku}/holds/{holdId}",
      operationId: "getHold",
      summary: "A hold, as of now",
      security: [{ shopper: [] }, ...READ],
      request: { params: holdParams },
      responses: { 200: jsonResponse(Hold, "The hold"), ...problems(400, 401, 404, 503) },
    }),
    async (c) => {
      const { sku, holdId } = c.req.valid("param");
      const actor = holdActorOf(callerOf(c));
      return sendOutcome(c, await callObject(c.env, () => stubOfHold(c.env, sku, holdId).getHold(holdId, actor)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/v1/skus/{sku}/holds/{holdId}",
      operationId: "changeHold",
      summary: "Change a held hold's quantity in place",
      description:
        "spec §3: a decrease gives units back at once; an increase takes only units available now and within the sale's limits " +
        "(`409 insufficient_stock` with `available`, `409 limit_exceeded` with `remaining`, `429 rate_limited`; under a waiting room " +
        "`403 admission_required`), else the hold is unchanged. Same id, price and expiry; `quantity: 0` releases it. " +
        "A hold in a checkout is `409 hold_not_releasable`. Takes `Idempotency-Key`.",
      security: [{ shopper: [] }],
      request: { params: holdParams, headers: AdmissionHeaders, body: jsonBody(HoldChangeBody) },
      responses: { 200: jsonResponse(Hold, "The hold as it is now"), ...problems(400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 503) },
    }),
    async (c) => {
      const principal = shopperOf(c);
      const { customerId } = principal;
      const { sku, holdId } = c.req.valid("param");
      const body = c.req.valid("json");
      const stub = stubOfHold(c.env, sku, holdId);
      const idem = idempotencyKey(c.req.valid("header")["idempotency-key"], principal, changeOperation(holdId), body);
      // Only an increase needs the admission: the object refuses one without it, so a decrease never waits in line.
      const queuedSale = await queuedSaleOf(c, sku);
      const token = c.req.valid("header")["holdfast-admission"];
      const admitted = queuedSale && token ? await requireAdmission(c.env, token, queuedSale, customerId, sku) : null;
      const admission = admitted?.ok ? admitted.value : null;
      // The budgets a new hold spends protect the same object; a keyed retry over budget gets the reply its change got.
      const recall = idem && (() => callObject(c.env, () => stub.storedChange(idem)));
      const stored = await enforceRateLimits(c, customerId, "hold", recall);
      if (stored) return sendOutcome(c, stored, 200);
      const change = { customerId, quantity: body.quantity, admittedTo: admission ? [admission.s] : [] };
      const outcome = await callObject(c.env, () => stub.changeHold(holdId, change, idem));
      // Units came back: this location's cached sold-out state must not outlive them.
      if (outcome.freed) purgeSku(c, sku);
      else if (outcome.ok && !outcome.replayed && admission) reportAdmissionUsed(c, admission);
      return sendOutcome(c, outcome, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/skus/{sku}/holds/{holdId}",
      operationId: "releaseHold",
      summary: "Release a hold; releasing again returns the same hold",
      security: [{ shopper: [] }, ...MANAGE],
      request: { params: holdParams },
      responses: { 200: jsonResponse(Hold, "The released hold"), ...problems(400, 401, 404, 409, 503) },
    }),
    async (c) => {
      const { sku, holdId } = c.req.valid("param");
      const caller = callerOf(c);
      const actor = holdActorOf(caller);
      const outcome = await callObject(c.env, () =>
        stubOfHold(c.env, sku, holdId).release(holdId, actor, merchantOf(caller), currentTraceparent()),
      );
      // Units came back: this location's cached sold-out state must not outlive them.
      if (outcome.ok) purgeSku(c, sku);
      return sendOutcome(c, outcome, 200);
    },
  );
