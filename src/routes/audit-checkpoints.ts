import { createRoute, z } from "@hono/zod-openapi";
import { checkpointsStub, exportStream, EXPORT } from "../audit/export";
import { signingKey } from "../audit/checkpoint";
import { refuse } from "../domain/problems";
import { router } from "../http/context";
import { problemOf } from "../http/outcome";
import { badCursor, decodeCursor, encodeCursor } from "../platform/cursor";
import { jsonResponse, OWNER, problems, queryInt, READ, PageCursor } from "./schemas";

/** Signed checkpoints of the audit log and what checks against them (issue 25, docs/operations.md "Audit log"). */

const Stream = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z]+:[\x21-\x7e]+$/, "a stream name such as sku:<sku> or order:<orderId>")
  .openapi({ example: "sku:tee-black-m" });

export const CheckpointSignature = z
  .string()
  .openapi({ description: "Ed25519 over the UTF-8 of the body's canonical JSON (keys sorted), base64url." });

export const CheckpointBody = z
  .object({
    log: z.string().openapi({ example: "holdfast-audit/v1" }),
    seq: z.number().int(),
    atMs: z.number().int(),
    streams: z.number().int(),
    events: z.number().int(),
    root: z.string().openapi({ description: "RFC 9162 Merkle root (hex) over every stream's head, one leaf per stream in name order." }),
    keyId: z.string(),
  })
  .openapi("AuditCheckpointBody");

const Checkpoint = z
  .object({
    body: CheckpointBody,
    signature: CheckpointSignature,
  })
  .openapi("AuditCheckpoint");

const ExportedEvent = z
  .object({
    stream: z.string(),
    seq: z.number().int(),
    type: z.string(),
    atMs: z.number().int(),
    data: z.string().openapi({ description: "The event's facts as stored: canonical JSON text." }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditExportedEvent");

const StreamExport = z
  .object({
    stream: z.string(),
    checkpoint: Checkpoint,
    proof: z.object({ index: z.number().int(), size: z.number().int(), path: z.array(z.string()) }),
    events: z.array(ExportedEvent),
  })
  .openapi("AuditStreamExport");

const cursorOf = (seq: number) => encodeCursor(JSON.stringify(["cp", seq]));
function seqOf(cursor: string): number | null {
  try {
    const v: unknown = JSON.parse(decodeCursor(cursor) ?? "null");
    return Array.isArray(v) && v.length === 2 && v[0] === "cp" && Number.isSafeInteger(v[1]) && (v[1] as number) > 0
      ? (v[1] as number)
      : null;
  } catch {
    return null;
  }
}

export const auditCheckpointRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/audit/key",
      operationId: "getAuditKey",
      summary: "The Ed25519 public key that signs audit checkpoints",
      security: READ,
      responses: {
        200: jsonResponse(
          z.object({
            alg: z.literal("Ed25519"),
            keyId: z.string(),
            publicKey: z.string().openapi({ description: "Raw key, base64url (JWK `x`)." }),
          }),
          "The key",
        ),
        ...problems(401, 403, 404),
      },
    }),
    async (c) => {
      const key = await signingKey(c.env);
      if (!key) throw problemOf(refuse("not_found", "No audit signing key is configured."));
      return c.json({ alg: "Ed25519" as const, keyId: key.keyId, publicKey: key.publicKey }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/audit/checkpoints",
      operationId: "listAuditCheckpoints",
      summary: "Signed checkpoints, newest first",
      security: READ,
      request: { query: z.object({ cursor: PageCursor, limit: queryInt(1, 100, 20) }) },
      responses: {
        200: jsonResponse(z.object({ data: z.array(Checkpoint), nextCursor: z.string().nullable() }), "A page of checkpoints"),
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const before = cursor === undefined ? null : seqOf(cursor);
      if (cursor !== undefined && before === null) throw problemOf(badCursor());
      const rows = await checkpointsStub(c.env).listCheckpoints(before, limit + 1);
      const page = rows.slice(0, limit);
      const next = rows.length > limit ? cursorOf(page.at(-1)!.body.seq) : null;
      return c.json({ data: page, nextCursor: next }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/audit/export",
      operationId: "exportAuditStream",
      summary: "One stream up to its head in the latest checkpoint, with that checkpoint and the head's inclusion proof",
      description:
        "What `npm run audit:verify -- <file>` checks with nothing but the public key: the chain of every event up to the " +
        `head, and the head's inclusion in the signed checkpoint. At most ${EXPORT.max_events} events.`,
      security: OWNER,
      request: { query: z.object({ stream: Stream }) },
      responses: { 200: jsonResponse(StreamExport, "The export"), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const out = await exportStream(c.env, c.req.valid("query").stream);
      if (!out.ok) throw problemOf(out);
      return c.json(out.value, 200);
    },
  );
