import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError, type Outcome } from "../domain/problems";
import { LocationId } from "../domain/locations";
import { callerOf, merchantActorOf, requireScope, scopeOf } from "../http/auth";
import { LOCATION_SCOPED, router, type AppContext } from "../http/context";
import { idempotencyKey } from "../http/idempotency";
import { problemOf } from "../http/outcome";
import { badCursor, createdCursor } from "../platform/cursor";
import { callObject } from "../platform/object-call";
import { purgeSku } from "../edge/purge";
import { LOCATION_TRANSFER_ID_PATTERN, skuOfLocationTransfer } from "../stock/addressing";
import { LocationTransfer, LocationTransferStatus } from "../stock/location-transfer-plan";
import { TRANSFER_PAGE_MAX } from "../stock/location-transfer-rows";
import {
  IdempotencyHeaders,
  IfMatchHeaders,
  jsonBody,
  jsonResponse,
  MANAGE,
  problems,
  queryInt,
  READ,
  SkuId,
  versionTag,
  PageCursor,
} from "./schemas";

/** Transfers between a SKU's locations (spec §11): routes parse, authorize and call the SKU's object. */

const TransferId = z
  .string()
  .regex(LOCATION_TRANSFER_ID_PATTERN, "a transfer id as returned by POST /v1/transfers")
  .openapi({ param: { name: "transferId", in: "path" } });

const params = z.object({ transferId: TransferId });

const WriteHeaders = IdempotencyHeaders.merge(IfMatchHeaders);

const CreateBody = z
  .strictObject({
    sku: SkuId,
    from: LocationId.openapi({ description: "Where the units leave from: off its hand into its `inTransit`." }),
    to: LocationId.openapi({ description: "Where they are received." }),
    quantity: z.number().int().min(1).max(1_000_000),
    reference: z.string().trim().min(1).max(200).optional().openapi({ description: "The merchant's own reference (a shipment, a PO)." }),
  })
  .refine((b) => b.from !== b.to, { message: "must differ from `from`", path: ["to"] })
  .openapi("LocationTransferInput");

const ReceiveBody = z
  .strictObject({
    quantity: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .openapi({ description: "Units that arrived; omitted: all still in transit." }),
  })
  .openapi("LocationTransferReceipt");

const ListQuery = z.object({
  sku: SkuId.openapi({ param: { name: "sku", in: "query" }, description: "Required: transfers live in their SKU's object." }),
  status: LocationTransferStatus.optional(),
  limit: queryInt(1, TRANSFER_PAGE_MAX - 1, 50),
  cursor: PageCursor,
});

/** A step's reply carries the SKU's new version as its ETag. */
const stepResponse = (description: string) => ({
  ...jsonResponse(LocationTransfer, description),
  headers: { ETag: { $ref: "#/components/headers/ETag" } },
});

/** A step's answer: the transfer with the SKU's version as its ETag, or the refusal. */
function sendStep<S extends 200 | 201>(c: AppContext, sku: string, outcome: Outcome<LocationTransfer> & { replayed?: boolean }, status: S) {
  if (outcome.replayed) c.header("Idempotent-Replayed", "true");
  if (!outcome.ok) throw problemOf(outcome);
  // A move of stock changes what the SKU's cached views say.
  if (!outcome.replayed) purgeSku(c, sku);
  c.header("ETag", versionTag(outcome.value.version));
  return c.json(outcome.value, status);
}

function skuOf(transferId: string): string {
  const sku = skuOfLocationTransfer(transferId);
  if (!sku) throw new ProblemError("not_found", "No such transfer.");
  return sku;
}

/**
 * The route's own check of a scoped key's step on a transfer (the object checks
 * again): the end it acts for must be in scope. A transfer's ends never change.
 */
async function requireEnd(c: AppContext, sku: string, transferId: string, end: "from" | "to"): Promise<void> {
  if (scopeOf(c) === null) return;
  const transfer = await callObject(c.env, () => c.env.SKU.getByName(sku).locationTransfer(transferId));
  if (transfer && !("code" in transfer)) requireScope(c, transfer[end]);
}

/** The listing's cursors: positions in creation order, bound to the status filter. */
function decodeAfter(cursor: string, status: string | undefined): { createdAtMs: number; transferId: string } {
  const p = createdCursor.decode(cursor, "ltr", status);
  if (!p) throw problemOf(badCursor());
  return { createdAtMs: p.createdAtMs, transferId: p.id };
}

export const transferRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/transfers",
      operationId: "createTransfer",
      summary: "Send units from one of a SKU's locations to another",
      description:
        "Takes `quantity` units nobody holds off `from`'s hand into its `inTransit` (status `in_transit`), in one transaction of the SKU's object; " +
        "they count at `to` only when received. `404` for a location the SKU does not stock, `409 insufficient_stock` (with `available`) when `from` " +
        "has fewer free units. Audited as `transfer.created` in the SKU's stream, naming both locations.",
      security: MANAGE,
      [LOCATION_SCOPED]: true,
      request: { headers: WriteHeaders, body: jsonBody(CreateBody) },
      responses: { 201: stepResponse("The transfer, in transit"), ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 503) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      requireScope(c, body.from);
      const headers = c.req.valid("header");
      const idem = idempotencyKey(headers["idempotency-key"], callerOf(c), `transfer:${body.sku}`, body);
      const ctx = { ifMatch: headers["if-match"] ?? null, actor: merchantActorOf(c), scope: scopeOf(c) };
      const outcome = await callObject(c.env, () => c.env.SKU.getByName(body.sku).createLocationTransfer(body, ctx, idem));
      return sendStep(c, body.sku, outcome, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/transfers/{transferId}/receive",
      operationId: "receiveTransfer",
      summary: "Receive a transfer's units at its destination, in full or in part",
      description:
        "Puts `quantity` units (all still in transit when omitted) on hand at `to`. More than is in transit, or a transfer already received " +
        "or cancelled, is `409 invalid_transfer_state` (with `transferStatus`): a retry with the same `Idempotency-Key` gets the first answer, " +
        "a new receipt never counts twice. Audited as `transfer.received`.",
      security: MANAGE,
      [LOCATION_SCOPED]: true,
      request: { params, headers: WriteHeaders, body: { ...jsonBody(ReceiveBody), required: false } },
      responses: { 200: stepResponse("The transfer after the receipt"), ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 503) },
    }),
    async (c) => {
      const { transferId } = c.req.valid("param");
      const sku = skuOf(transferId);
      await requireEnd(c, sku, transferId, "to");
      const body = (c.req.valid("json") as z.infer<typeof ReceiveBody> | undefined) ?? {};
      const headers = c.req.valid("header");
      const idem = idempotencyKey(headers["idempotency-key"], callerOf(c), `transfer-receive:${transferId}`, body);
      const ctx = { ifMatch: headers["if-match"] ?? null, actor: merchantActorOf(c), scope: scopeOf(c) };
      const outcome = await callObject(c.env, () => c.env.SKU.getByName(sku).receiveLocationTransfer(transferId, body.quantity, ctx, idem));
      return sendStep(c, sku, outcome, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/transfers/{transferId}/cancel",
      operationId: "cancelTransfer",
      summary: "Cancel a transfer: what was not received goes back to its source",
      description:
        "The units still in transit return to `from`'s hand; received units stay at `to`. A cancelled transfer is answered as it is " +
        "(nothing moves twice); a transfer received in full is `409 invalid_transfer_state`. Audited as `transfer.cancelled`.",
      security: MANAGE,
      [LOCATION_SCOPED]: true,
      request: { params, headers: WriteHeaders },
      responses: { 200: stepResponse("The cancelled transfer"), ...problems(400, 401, 403, 404, 409, 412, 422, 503) },
    }),
    async (c) => {
      const { transferId } = c.req.valid("param");
      const sku = skuOf(transferId);
      await requireEnd(c, sku, transferId, "from");
      const headers = c.req.valid("header");
      const idem = idempotencyKey(headers["idempotency-key"], callerOf(c), `transfer-cancel:${transferId}`, {});
      const ctx = { ifMatch: headers["if-match"] ?? null, actor: merchantActorOf(c), scope: scopeOf(c) };
      const outcome = await callObject(c.env, () => c.env.SKU.getByName(sku).cancelLocationTransfer(transferId, ctx, idem));
      return sendStep(c, sku, outcome, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/transfers/{transferId}",
      operationId: "getTransfer",
      summary: "A transfer",
      security: READ,
      [LOCATION_SCOPED]: true,
      request: { params },
      responses: { 200: jsonResponse(LocationTransfer, "The transfer"), ...problems(400, 401, 403, 404, 503) },
    }),
    async (c) => {
      const { transferId } = c.req.valid("param");
      const sku = skuOf(transferId);
      const transfer = await callObject(c.env, () => c.env.SKU.getByName(sku).locationTransfer(transferId, scopeOf(c)));
      if (!transfer) throw new ProblemError("not_found", "No such transfer.");
      if ("code" in transfer) throw problemOf(transfer);
      c.header("cache-control", "private, no-store");
      return c.json(transfer, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/transfers",
      operationId: "listTransfers",
      summary: "A SKU's transfers, newest first, by status",
      description: "`sku` is required: a SKU's transfers live in its object, and no index across SKUs is kept.",
      security: READ,
      [LOCATION_SCOPED]: true,
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(LocationTransfer), nextCursor: z.string().nullable() }), "A page of transfers"),
        ...problems(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const after = q.cursor === undefined ? null : decodeAfter(q.cursor, q.status);
      const rows = await callObject(c.env, () =>
        c.env.SKU.getByName(q.sku).listLocationTransfers({ status: q.status, after, rows: q.limit + 1 }, scopeOf(c)),
      );
      if (rows === null) throw new ProblemError("not_found", `No SKU "${q.sku}".`);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      c.header("cache-control", "private, no-store");
      return c.json(
        {
          data: page,
          nextCursor:
            rows.length > q.limit && last
              ? createdCursor.encode("ltr", q.status, { createdAtMs: Date.parse(last.createdAt), id: last.transferId })
              : null,
        },
        200,
      );
    },
  );
