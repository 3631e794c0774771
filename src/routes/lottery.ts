import { createRoute, z } from "@hono/zod-openapi";
import { ProblemError } from "../domain/problems";
import { shopperOf } from "../http/auth";
import { problemOf } from "../http/outcome";
import { router, type AppContext } from "../http/context";
import { badCursor, decodeCursor, encodeCursor } from "../platform/cursor";
import { callObject } from "../platform/object-call";
import { iso } from "../stock/offer";
import { joinShardName } from "../waiting-room/config";
import { queueState } from "../waiting-room/admission";
import { ENTRANTS_PAGE_MAX } from "../waiting-room/lottery-shard";
import { levelsOf, proofOf } from "../waiting-room/merkle";
import { DRAW_ALGORITHM, FIFO_ALGORITHM } from "../waiting-room/place";
import { verifyTicket } from "../waiting-room/tokens";
import { shardOf } from "../stock/addressing";
import { ANYONE, jsonResponse, problems, queryInt, SaleId, Ticket, PageCursor } from "./schemas";

/**
 * The lottery's public record (spec §9): the commitment to the entrants, the
 * beacon round that orders them, the entrant list, and each entrant's proof
 * that they are in the commitment. Everything `npm run lottery:verify` needs.
 */

const Hex = z.string().regex(/^[0-9a-f]+$/);

const ProofStep = z.object({ side: z.enum(["left", "right"]), hash: Hex });

const Draw = z
  .object({
    mode: z.enum(["fifo", "lottery"]),
    algorithm: z.string(),
    epoch: z.number().int().optional().openapi({ description: "The draw's number: a new `startsAt` starts a new draw." }),
    closesAt: z
      .string()
      .optional()
      .openapi({ description: "Joins before this take part in the draw; later ones queue behind it by arrival." }),
    commitment: z
      .object({
        root: Hex.openapi({ description: "Merkle root over the join shards' roots, in shard order." }),
        entrants: z.number().int(),
        committedAt: z.string(),
        shards: z.array(z.object({ root: Hex, entrants: z.number().int() })),
      })
      .optional()
      .openapi({ description: "Published at the close, before the beacon round exists." }),
    beacon: z
      .object({
        url: z.string(),
        chainHash: Hex,
        publicKey: Hex,
        scheme: z.string(),
        genesisTime: z.number().int(),
        periodSeconds: z.number().int(),
        round: z.number().int(),
        roundAt: z.string().openapi({ description: "When the round is emitted: after `committedAt`." }),
      })
      .optional(),
    reveal: z
      .object({
        randomness: Hex,
        signature: Hex,
        drawn: z.boolean().openapi({ description: "Every entrant's place is written; admissions may follow the draw." }),
      })
      .optional(),
  })
  .openapi("QueueDraw");

const Entrants = z
  .object({
    shard: z.number().int(),
    entrants: z
      .array(
        z.object({
          entrantId: Hex.openapi({ description: "sha256_hex('holdfast-entrant:' + saleId + ':' + customerId)" }),
          sku: z.string().openapi({ description: "The item whose line the entrant entered; committed with them in their leaf." }),
        }),
      )
      .openapi({ description: "The committed entrants, in leaf order." }),
    nextCursor: z.string().nullable(),
  })
  .openapi("QueueDrawEntrants");

const EntrantProof = z
  .object({
    entrantId: Hex,
    sku: z.string().openapi({ description: "The item committed with the entrant." }),
    shard: z.number().int(),
    index: z.number().int(),
    shardRoot: Hex,
    shardPath: z.array(ProofStep).openapi({ description: "From sha256(0x00 || entrantId || sku) to `shardRoot`." }),
    rootPath: z.array(ProofStep).openapi({ description: "From `shardRoot` to `root`." }),
    root: Hex,
    epoch: z.number().int(),
  })
  .openapi("QueueEntrantProof");

async function committedDraw(c: AppContext, saleId: string) {
  const { state } = await queueState(c, saleId);
  if (!state) throw new ProblemError("not_found", `Sale "${saleId}" has no waiting room.`);
  const lottery = state.lottery;
  if (!lottery?.root || !lottery.shards) throw new ProblemError("not_found", `Sale "${saleId}" has no committed draw yet.`);
  return { lottery, shards: lottery.shards };
}

export const lotteryRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/sales/{saleId}/queue/draw",
      operationId: "getQueueDraw",
      summary: "The lottery's commitment to its entrants, its beacon round, and the round's verified randomness",
      security: ANYONE,
      request: { params: z.object({ saleId: SaleId }) },
      responses: { 200: jsonResponse(Draw, "The draw"), ...problems(400, 401, 404, 503) },
    }),
    async (c) => {
      const { saleId } = c.req.valid("param");
      const { state } = await queueState(c, saleId);
      if (!state) throw new ProblemError("not_found", `Sale "${saleId}" has no waiting room.`);
      const body: z.infer<typeof Draw> = { mode: state.mode, algorithm: state.mode === "lottery" ? DRAW_ALGORITHM : FIFO_ALGORITHM };
      const l = state.lottery;
      if (l) {
        body.epoch = l.epoch;
        body.closesAt = iso(l.closesAtMs);
        if (l.root && l.shards && l.committedAtMs !== null && l.entrants !== null) {
          body.commitment = { root: l.root, entrants: l.entrants, committedAt: iso(l.committedAtMs), shards: l.shards };
        }
        if (l.round !== null && l.roundAtMs !== null) {
          const { genesisSeconds, ...chain } = l.chain;
          body.beacon = { ...chain, genesisTime: genesisSeconds, round: l.round, roundAt: iso(l.roundAtMs) };
        }
        if (l.randomness && l.signature) body.reveal = { randomness: l.randomness, signature: l.signature, drawn: l.drawn };
      }
      return c.json(body, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/sales/{saleId}/queue/draw/entrants",
      operationId: "listQueueDrawEntrants",
      summary: "One join shard's committed entrants, in the order its Merkle tree takes them",
      security: ANYONE,
      request: {
        params: z.object({ saleId: SaleId }),
        query: z.object({ shard: queryInt(0, 63, 0), cursor: PageCursor, limit: queryInt(1, ENTRANTS_PAGE_MAX, ENTRANTS_PAGE_MAX) }),
      },
      responses: { 200: jsonResponse(Entrants, "A page of entrant ids"), ...problems(400, 401, 404, 503) },
    }),
    async (c) => {
      const { saleId } = c.req.valid("param");
      const { shard, cursor, limit } = c.req.valid("query");
      // Bad input is refused before anything is looked up, whatever the sale.
      const from = cursor === undefined ? 0 : Number(decodeCursor(cursor)?.match(/^entrant:(\d{1,10})$/)?.[1] ?? Number.NaN);
      if (!Number.isInteger(from)) throw problemOf(badCursor());
      const { shards } = await committedDraw(c, saleId);
      if (shard >= shards.length) throw new ProblemError("not_found", `The draw has ${shards.length} join shards.`);
      const page = await callObject(c.env, () => c.env.WAITING_ROOM.getByName(joinShardName(saleId, shard)).entrantPage(from, limit));
      return c.json({ shard, entrants: page.entrants, nextCursor: page.next === null ? null : encodeCursor(`entrant:${page.next}`) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/sales/{saleId}/queue/{ticket}/proof",
      operationId: "getQueueEntrantProof",
      summary: "The ticket owner's proof that they are in the draw's commitment",
      security: [{ shopper: [] }],
      request: { params: z.object({ saleId: SaleId, ticket: Ticket }) },
      responses: { 200: jsonResponse(EntrantProof, "The inclusion proof"), ...problems(400, 401, 403, 404, 503) },
    }),
    async (c) => {
      const { customerId } = shopperOf(c);
      const { saleId, ticket } = c.req.valid("param");
      const verified = await verifyTicket(c.env.QUEUE_SIGNING_SECRET, ticket, { saleId, customerId, now_ms: Date.now() });
      if (!verified.ok) throw new ProblemError("not_found", `No such ticket (${verified.reason}).`);
      const { lottery, shards } = await committedDraw(c, saleId);
      const shard = shardOf(customerId, shards.length);
      const proof = await callObject(c.env, () =>
        c.env.WAITING_ROOM.getByName(joinShardName(saleId, shard)).entrantProof(customerId, saleId),
      );
      if (!proof)
        throw new ProblemError("not_found", "This ticket's holder is not an entrant of the committed draw (they joined after its close).");
      const top = await levelsOf(shards.map((s) => Buffer.from(s.root, "hex")));
      const rootPath = await proofOf(shard, shards.length, (level, i) => top[level]![i]!.toString("hex"));
      return c.json(
        {
          entrantId: proof.entrantId,
          sku: proof.sku,
          shard,
          index: proof.index,
          shardRoot: shards[shard]!.root,
          shardPath: proof.steps,
          rootPath,
          root: lottery.root!,
          epoch: lottery.epoch,
        },
        200,
        { "cache-control": "private, no-store" },
      );
    },
  );
