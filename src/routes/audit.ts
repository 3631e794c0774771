import { createRoute, z } from "@hono/zod-openapi";
import { decodePosition, encodePosition, listEvents } from "../audit/queries";
import { decodeVerifyCursor, verifyChains } from "../audit/verify";
import { router } from "../http/context";
import { jsonResponse, problems, queryInt, READ } from "./schemas";
import { problemOf } from "../http/outcome";
import { badCursor } from "../platform/cursor";

const Stream = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z]+:[\x21-\x7e]+$/, "a stream name such as sku:<sku> or order:<orderId>")
  .openapi({ description: "One stream, e.g. `sku:tee-black-m` or `order:ord_...`.", example: "sku:tee-black-m" });

const Cursor = z.string().min(1).max(1024).openapi({ description: "`nextCursor` of the previous page; opaque." });

const AuditEvent = z
  .object({
    stream: z.string(),
    seq: z.number().int(),
    type: z.string(),
    at: z.string(),
    data: z.union([z.record(z.string(), z.unknown()), z.string()]).openapi({
      description:
        "The event's facts, by type: e.g. `hold` and `levels` for `hold.*`, `from` and `to` for order moves. " +
        "A string only if the stored row was edited into something that is not a JSON object (verify reports it).",
    }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditEvent");

const BadEvent = z.object({ stream: z.string(), seq: z.number().int(), reason: z.string() }).openapi("AuditBadEvent");

const Verification = z
  .object({
    ok: z.boolean().openapi({ description: "Every event was checked and every chain is intact." }),
    streams: z.number().int(),
    events: z.number().int(),
    complete: z.boolean().openapi({ description: "False when the request's budget ran out first; continue with `nextCursor`." }),
    firstBadEvent: BadEvent.optional(),
    nextCursor: z.string().optional(),
  })
  .openapi("AuditVerification");

export const auditRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/audit",
      operationId: "listAuditEvents",
      summary: "Audit events: one stream in seq order, or every stream in time order",
      security: READ,
      request: {
        query: z.object({
          stream: Stream.optional(),
          cursor: Cursor.optional(),
          limit: queryInt(1, 200, 50),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ data: z.array(AuditEvent), nextCursor: z.string().nullable() }), "A page of events"),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const { stream, cursor, limit } = c.req.valid("query");
      const after = cursor === undefined ? null : decodePosition(cursor);
      // A cursor only continues the listing it came from.
      const fits = after === null || (stream !== undefined ? after.kind === "stream" && after.stream === stream : after.kind === "time");
      if ((cursor !== undefined && after === null) || !fits) {
        throw problemOf(badCursor());
      }
      const page = await listEvents(c.env.DB, { stream, after, limit });
      return c.json({ data: page.events, nextCursor: page.next ? encodePosition(page.next) : null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/audit/verify",
      operationId: "verifyAudit",
      summary: "Recompute every hash chain and report the first bad event",
      description:
        "Walks the audit log in (stream, seq) order and recomputes each event's hash. A changed, removed or reordered " +
        "event is reported as `firstBadEvent`. One request checks a bounded number of events; when it stops early, " +
        "`complete` is false and `nextCursor` continues from there.",
      security: READ,
      request: { query: z.object({ stream: Stream.optional(), cursor: Cursor.optional() }) },
      responses: { 200: jsonResponse(Verification, "The verification"), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const { stream, cursor } = c.req.valid("query");
      const after = cursor === undefined ? null : decodeVerifyCursor(cursor);
      if (cursor !== undefined && after === null) {
        throw problemOf(badCursor());
      }
      return c.json(await verifyChains(c.env, { stream, after }), 200);
    },
  );
