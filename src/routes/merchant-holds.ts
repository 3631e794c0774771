import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import { callerOf, merchantActorOf, scopeOf } from "../http/auth";
import { LOCATION_SCOPED, router } from "../http/context";
import { badCursor, createdCursor } from "../platform/cursor";
import { idempotencyKey } from "../http/idempotency";
import { problemOf, sendOutcome } from "../http/outcome";
import { idempotentOutcome } from "../idempotency/d1-replies";
import { callObject } from "../platform/object-call";
import { purgeSku } from "../edge/purge";
import { HOLD_PAGE_MAX, type HoldPosition } from "../stock/hold-list";
import { holdStub, placeOfHold } from "../stock/addressing";
import {
  Hold,
  HoldId,
  HoldStatus,
  IdempotencyHeaders,
  jsonBody,
  jsonResponse,
  MANAGE,
  problems,
  queryInt,
  READ,
  SkuId,
  PageCursor,
} from "./schemas";

/** The merchant's view of a SKU's holds (issue 10): list them by status, void a live one. */

const MerchantHold = Hold.extend({
  endedAt: z.string().optional().openapi({ description: "When the hold left `held`/`checkout`; absent while it is live." }),
}).openapi("MerchantHold");

const ListQuery = z.object({
  status: HoldStatus.optional().openapi({ description: "Only holds in this status." }),
  limit: queryInt(1, HOLD_PAGE_MAX - 1, 50),
  cursor: PageCursor,
});

const VoidBody = z
  .strictObject({ reason: z.string().trim().min(1).max(200).openapi({ description: "Why, for the audit log." }) })
  .openapi("VoidHoldInput");

/** A cursor names its position and the status filter it was made under: it continues only that listing. */
function decodeAfter(cursor: string, status: string | undefined): HoldPosition {
  const p = createdCursor.decode(cursor, "hold", status);
  if (!p) throw problemOf(badCursor());
  return { createdAtMs: p.createdAtMs, holdId: p.id };
}

export const merchantHoldRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/skus/{sku}/holds",
      operationId: "listSkuHolds",
      summary: "A SKU's holds, newest first, by status",
      description:
        "Read from the SKU's object (and, on a sharded SKU, every shard). Ended holds stay listed until retention removes them " +
        "(`RETENTION_SECONDS`); committed holds stay. A key scoped to locations lists the holds allocated at them.",
      security: READ,
      [LOCATION_SCOPED]: true,
      request: { params: z.object({ sku: SkuId }), query: ListQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(MerchantHold), nextCursor: z.string().nullable() }), "A page of holds"),
        ...problems(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const { sku } = c.req.valid("param");
      const q = c.req.valid("query");
      const after = q.cursor === undefined ? null : decodeAfter(q.cursor, q.status);
      const rows = await callObject(c.env, () =>
        c.env.SKU.getByName(sku).listHolds({ status: q.status, after, rows: q.limit + 1 }, scopeOf(c)),
      );
      if (rows === null) throw new ProblemError("not_found", `No SKU "${sku}".`);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const next =
        rows.length > q.limit && last
          ? createdCursor.encode("hold", q.status, { createdAtMs: Date.parse(last.createdAt), id: last.holdId })
          : null;
      c.header("cache-control", "private, no-store");
      return c.json({ data: page, nextCursor: next }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/skus/{sku}/holds/{holdId}/void",
      operationId: "voidHold",
      summary: "Void a shopper's live hold",
      description:
        "`held -> released`, as the shopper's release, audited as `hold.released` with `by: merchant` and the `reason`. " +
        "A hold in checkout or later is `409 hold_not_releasable` (cancel or refund its order); an already released or expired hold is returned as it is.",
      security: MANAGE,
      request: { params: z.object({ sku: SkuId, holdId: HoldId }), headers: IdempotencyHeaders, body: jsonBody(VoidBody) },
      responses: { 200: jsonResponse(Hold, "The released hold"), ...problems(400, 401, 403, 404, 409, 413, 415, 422, 503) },
    }),
    async (c) => {
      const { sku, holdId } = c.req.valid("param");
      const body = c.req.valid("json");
      if (placeOfHold(holdId)?.sku !== sku) throw new ProblemError("not_found", "No such hold.");
      const idem = idempotencyKey(c.req.valid("header")["idempotency-key"], callerOf(c), `void:${holdId}`, body);
      const outcome = await idempotentOutcome(c.env, idem, Date.now(), () =>
        callObject(c.env, () => holdStub(c.env, holdId).voidHold(holdId, body.reason, merchantActorOf(c))),
      );
      // Units came back: this location's cached sold-out state must not outlive them.
      if (outcome.ok) purgeSku(c, sku);
      return sendOutcome(c, outcome, 200);
    },
  );
