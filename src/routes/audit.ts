import { createRoute, z } from "@hono/zod-openapi";
import { decodePosition, encodePosition, listEvents } from "../audit/queries";
import { decodeArchiveCursor, verifyLog, type VerifyCursor } from "../audit/archive-verify";
import { decodeVerifyCursor } from "../audit/verify";
import { router } from "../http/context";
import { jsonResponse, problems, queryInt, READ, PageCursor } from "./schemas";
import { problemOf } from "../http/outcome";
import { badCursor } from "../platform/cursor";

const Stream = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z]+:[\x21-\x7e]+$/, "a stream name such as sku:<sku> or order:<orderId>")
  .openapi({ description: "One stream, e.g. `sku:tee-black-m` or `order:ord_...`.", example: "sku:tee-black-m" });

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
    archive: z
      .object({ checkpoints: z.number().int(), events: z.number().int() })
      .optional()
      .openapi({
        description:
          "The whole log only: archived checkpoints and events this request compared with D1. An archived event D1 lost or " +
          "holds otherwise is `firstBadEvent`, however consistently D1's hashes were redone.",
      }),
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
          cursor: PageCursor,
          limit: queryInt(1, 200, 50),
          order: z
            .enum(["oldest", "newest"])
            .default("oldest")
            .openapi({ description: "`newest`: the same order backwards, latest first (a cursor continues its own order)." }),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ data: z.array(AuditEvent), nextCursor: z.string().nullable() }), "A page of events"),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const { stream, cursor, limit, order } = c.req.valid("query");
      const after = cursor === undefined ? null : decodePosition(cursor);
      const newest = order === "newest";
      // A cursor only continues the listing it came from.
      const fits =
        after === null ||
        (after.newest === newest && (stream !== undefined ? after.kind === "stream" && after.stream === stream : after.kind === "time"));
      if ((cursor !== undefined && after === null) || !fits) {
        throw problemOf(badCursor());
      }
      const page = await listEvents(c.env.DB, { stream, after, limit, newest });
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
        "Walks the audit log in (stream, seq) order and recomputes each event's hash, checks each chain against the heads " +
        "anchored outside D1, then (for the whole log, not one `stream`) compares D1 with the write-once archive. A " +
        "changed, removed or reordered event is reported as `firstBadEvent`. One request checks a bounded number of events; " +
        "when it stops early, `complete` is false and `nextCursor` continues from there.",
      security: READ,
      request: { query: z.object({ stream: Stream.optional(), cursor: PageCursor }) },
      responses: { 200: jsonResponse(Verification, "The verification"), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const { stream, cursor } = c.req.valid("query");
      let at: VerifyCursor | null = null;
      if (cursor !== undefined) {
        const tip = decodeVerifyCursor(cursor);
        const archived = tip ? null : decodeArchiveCursor(cursor);
        // The archive's part of the walk is the whole log's alone.
        if (archived && stream === undefined) at = { kind: "archive", at: archived };
        else if (tip) at = { kind: "chains", tip };
        else throw problemOf(badCursor());
      }
      return c.json(await verifyLog(c.env, { stream, cursor: at }), 200);
    },
  );
