import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import { shopperOf } from "../http/auth";
import { router, type AppContext } from "../http/context";
import { joinShard, joinShardIndex, queueState, wakeQueue, withLogIndex } from "../waiting-room/admission";
import { callObject } from "../platform/object-call";
import { iso } from "../stock/offer";
import { placeOf } from "../waiting-room/place";
import { EMPTY_LINE, issuesPlace, waiterView, type QueueState } from "../waiting-room/state";
import { positionIn } from "../waiting-room/line";
import { signAdmission, signTicket, verifyTicket, type TicketClaims } from "../waiting-room/tokens";
import { verifyTurnstile } from "../waiting-room/turnstile";
import { jsonBody, jsonResponse, problems, SaleId, Ticket } from "./schemas";

/** A ticket outlives its sale by this much, so a late poll still reads `closed`. */
const TICKET_GRACE_MS = 24 * 60 * 60 * 1000;

const JoinBody = z
  .strictObject({
    turnstileToken: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .openapi({ description: "Required when the service runs with Turnstile (`TURNSTILE_SECRET_KEY`)." }),
    sku: z.string().min(1).max(128).optional().openapi({
      description:
        "The item of the sale to queue for: each item has its own line, admitted as its own stock allows, and the admission is good for that item. Required when the sale has several items; a shopper holds one place per sale (joining again keeps the first).",
    }),
  })
  .openapi("QueueJoinInput");

const QueueStatus = z
  .object({
    ticket: z.string().optional().openapi({
      description:
        "Signed; carries the place the shopper's join shard recorded. Poll with it. Absent when joining a closed queue: no place is issued (join again after a restock).",
    }),
    sku: z.string().optional().openapi({ description: "The item whose line the shopper is in." }),
    status: z.enum(["waiting", "admitted", "sold_out", "closed"]),
    allHeld: z.boolean().openapi({ description: "Nothing is available now, but held units may still come back." }),
    reason: z.enum(["admission_expired", "sale_ended"]).nullable().openapi({ description: "Why the queue is `closed` for this shopper." }),
    waiting: z.number().int().openapi({ description: "Shoppers not yet admitted, as of the last move of the frontier." }),
    position: z.number().int().min(1).optional().openapi({
      description:
        "While `waiting` after the sale started: the shopper's place among those not yet admitted (1: next), as of the last move of the frontier. Estimated from a sample of the line, within a few percent of `waiting`.",
    }),
    admission: z
      .object({ token: z.string().openapi({ description: "Send as `Holdfast-Admission` on holds." }), expiresAt: z.string() })
      .optional(),
    retryAfterSeconds: z.number().int().openapi({ description: "When to poll again." }),
  })
  .openapi("QueueStatus");

const saleParams = z.object({ saleId: SaleId });
const ticketParams = z.object({ saleId: SaleId, ticket: Ticket });

async function stateOrNotFound(c: AppContext, saleId: string) {
  const found = await queueState(c, saleId);
  if (!found.state) throw new ProblemError("not_found", `Sale "${saleId}" has no waiting room.`);
  return { state: found.state, cache: found.cache };
}

/** The answer to a join that records no place: the queue (or the item's line) is closed. */
function noPlace(state: QueueState, sku: string | undefined, now_ms: number): z.infer<typeof QueueStatus> {
  const view = waiterView(state, { ...EMPTY_LINE, soldOut: true }, null, now_ms);
  return {
    status: view.status,
    ...(sku ? { sku } : {}),
    allHeld: false,
    reason: view.reason,
    waiting: 0,
    retryAfterSeconds: view.retryAfterSeconds,
  };
}

/** The item a join is for: named, or the sale's only one. */
function skuToJoin(state: QueueState, named: string | undefined): string {
  // `?? []`: a state cached (for at most the edge TTL) by a build before lines has none; the join is then refused, not misfiled.
  const skus = state.skus ?? [];
  const sku = named ?? (skus.length === 1 ? skus[0] : undefined);
  if (sku === undefined || !skus.includes(sku)) {
    throw new ProblemError("invalid_request", `Name the item to queue for in \`sku\`: one of ${skus.join(", ")}.`, {
      errors: [{ in: "json", path: "sku", message: named === undefined ? "required" : "not an item of this sale" }],
    });
  }
  return sku;
}

/** The waiter's answer, with a fresh (deterministic) admission token when admitted. */
async function answer(c: AppContext, state: QueueState, signed: string, signedClaims: TicketClaims, now_ms: number) {
  const { ticket, claims } = await withLogIndex(c, state, signed, signedClaims);
  const line = state.lines?.[claims.k] ?? EMPTY_LINE;
  // The recorded arrival against the current draw's close: a re-draw (startsAt moved) may move the close after the join.
  const place = placeOf(state, {
    customerId: claims.c,
    arrivalMs: claims.a,
    shard: joinShardIndex(c.env, state, claims.c),
    ...(claims.i === undefined ? {} : { index: claims.i }),
  });
  const view = waiterView(state, line, place, now_ms);
  const body: z.infer<typeof QueueStatus> = {
    ticket,
    sku: claims.k,
    status: view.status,
    allHeld: view.allHeld,
    reason: view.reason,
    waiting: line.waiting,
    retryAfterSeconds: view.retryAfterSeconds,
  };
  const position = view.status === "waiting" && place !== null ? positionIn(line.line, line.frontier, place, line.waiting) : null;
  if (position !== null) {
    body.position = position;
    // A shopper who joined since the last tick counts themselves before the tick does.
    body.waiting = Math.max(body.waiting, position);
  }
  if (view.admittedAtMs !== null) {
    const e = view.admittedAtMs + state.admitSeconds * 1000;
    body.admission = {
      token: await signAdmission(c.env.QUEUE_SIGNING_SECRET, { s: state.saleId, c: claims.c, t: view.admittedAtMs, k: claims.k, e }),
      expiresAt: iso(e),
    };
  }
  return body;
}

export const queueRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/sales/{saleId}/queue",
      operationId: "joinQueue",
      summary: "Join the sale's waiting room; joining again returns the same place",
      security: [{ shopper: [] }],
      request: { params: saleParams, body: jsonBody(JoinBody) },
      responses: { 200: jsonResponse(QueueStatus, "The shopper's place and status"), ...problems(400, 401, 403, 404, 409, 413, 415, 503) },
    }),
    async (c) => {
      const { customerId } = shopperOf(c);
      const { saleId } = c.req.valid("param");
      // Every field is optional, so an absent body would validate as {}: it is refused like on every other POST.
      if (c.req.raw.body === null)
        throw new ProblemError("invalid_request", "Send a JSON body; `{}` will do.", {
          errors: [{ in: "json", path: "", message: "required" }],
        });
      const now_ms = Date.now();
      const { state } = await stateOrNotFound(c, saleId);
      if (now_ms < state.startsAtMs - state.prequeueSeconds * 1000) {
        throw new ProblemError("sale_not_started", `The waiting room opens at ${iso(state.startsAtMs - state.prequeueSeconds * 1000)}.`, {
          saleId,
          startsAt: iso(state.startsAtMs),
        });
      }
      if (now_ms >= state.endsAtMs)
        throw new ProblemError("sale_ended", `The sale ended at ${iso(state.endsAtMs)}.`, { saleId, endsAt: iso(state.endsAtMs) });
      const secret = c.env.TURNSTILE_SECRET_KEY;
      if (secret) {
        const token = c.req.valid("json").turnstileToken;
        if (!token || !(await verifyTurnstile(secret, token, c.req.header("cf-connecting-ip")))) {
          throw new ProblemError("forbidden", "The Turnstile challenge was not passed: send a fresh `turnstileToken`.");
        }
      }
      const body = c.req.valid("json");
      const sku = skuToJoin(state, body.sku);
      // A closed queue, or a sold-out item's line, issues no place (a restock reopens it): the answer says so, with no ticket.
      if (!issuesPlace(state, sku)) {
        // The queue object still watches the stock; waking it lets a restock it has not seen yet reopen the line sooner.
        if (state.closed !== "ended") wakeQueue(c, saleId);
        return c.json(noPlace(state, sku, now_ms), 200, { "cache-control": "private, no-store" });
      }
      // The shard dates the join by its own clock and decides draw membership by it (a sealed draw queues it by arrival): the ticket carries what it recorded.
      const closesAtMs = state.mode === "lottery" ? (state.lottery?.closesAtMs ?? null) : null;
      const joined = await callObject(c.env, () => joinShard(c.env, state, customerId).join(customerId, { sku, closesAtMs, saleId }));
      if (joined.created) wakeQueue(c, saleId);
      const claims: TicketClaims = {
        s: saleId,
        c: customerId,
        a: joined.arrivalMs,
        ...(joined.inDraw ? { d: 1 as const } : {}),
        ...(joined.index === null ? {} : { i: joined.index }),
        k: joined.sku,
        e: state.endsAtMs + TICKET_GRACE_MS,
      };
      const ticket = await signTicket(c.env.QUEUE_SIGNING_SECRET, claims);
      return c.json(await answer(c, state, ticket, claims, now_ms), 200, { "cache-control": "private, no-store" });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/sales/{saleId}/queue/{ticket}",
      operationId: "getQueueStatus",
      summary: "The ticket's status, from the edge cache",
      security: [{ shopper: [] }],
      request: { params: ticketParams },
      responses: {
        200: {
          ...jsonResponse(QueueStatus, "The shopper's status"),
          headers: {
            "Cache-Control": { $ref: "#/components/headers/CacheControl" },
            "Holdfast-Cache": { $ref: "#/components/headers/HoldfastCache" },
          },
        },
        ...problems(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const { customerId } = shopperOf(c);
      const { saleId, ticket } = c.req.valid("param");
      const now_ms = Date.now();
      const verified = await verifyTicket(c.env.QUEUE_SIGNING_SECRET, ticket, { saleId, customerId, now_ms });
      // Someone else's ticket, a forged or an outdated one: like any resource not yours to see.
      if (!verified.ok) throw new ProblemError("not_found", `No such ticket (${verified.reason}).`);
      const { state, cache } = await stateOrNotFound(c, saleId);
      // The answer is the shopper's own; what was cached is the sale's state it is computed from.
      return c.json(await answer(c, state, ticket, verified.claims, now_ms), 200, {
        "cache-control": "private, no-store",
        "holdfast-cache": cache,
      });
    },
  );
