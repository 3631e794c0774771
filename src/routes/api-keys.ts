import { createRoute, z } from "@hono/zod-openapi";
import { createKey, listKeys, revokeKey, SECRET_PREFIX } from "../access/api-keys";
import type { ApiKeyRow } from "../db/schema";
import { ProblemError } from "../domain/problems";
import { Role } from "../domain/roles";
import { callerOf } from "../http/auth";
import { LOCATION_SCOPED, router } from "../http/context";
import { ANY_MERCHANT, jsonBody, jsonResponse, OWNER, problems } from "./schemas";

/** Spec §11's location ids; the locations themselves are not built yet, so only the shape is checked. */
const LocationId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "1-64 characters: letters, digits, '.', '_' or '-'");

const Instant = z.iso.datetime({ offset: true }).openapi({ example: "2027-01-31T00:00:00Z" });

const NewKey = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "warehouse tablet" }),
    role: Role.openapi({ description: "`owner` everything; `manager` SKUs, stock, sales, orders; `fulfillment` orders; `viewer` reads." }),
    locations: z
      .array(LocationId)
      .min(1)
      .max(50)
      .optional()
      .openapi({ description: "Limits the key to these locations (spec §11); absent: every location. Not for owners." }),
    expiresAt: Instant.optional().openapi({ description: "When the key stops working; absent: never." }),
  })
  .refine((k) => !(k.role === "owner" && k.locations), { message: "an owner key has every location", path: ["locations"] })
  .openapi("ApiKeyInput");

const ApiKey = z
  .object({
    keyId: z.string().openapi({ example: "key_3f2a9c1b7d4e5f60" }),
    name: z.string(),
    role: Role,
    locations: z.array(z.string()).nullable(),
    createdAt: z.string(),
    createdBy: z.string().openapi({ description: "The key that created it (`root`: ADMIN_TOKEN)." }),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().openapi({ description: "The last request it authenticated, to the minute." }),
  })
  .openapi("ApiKey");

const CreatedKey = ApiKey.extend({
  secret: z
    .string()
    .openapi({ description: `The bearer secret (\`${SECRET_PREFIX}...\`): shown in this reply only, kept only as a hash.` }),
}).openapi("CreatedApiKey");

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function viewOf(row: ApiKeyRow): z.infer<typeof ApiKey> {
  return {
    keyId: row.keyId,
    name: row.name,
    role: row.role,
    locations: row.locations === null ? null : (JSON.parse(row.locations) as string[]),
    createdAt: new Date(row.createdAtMs).toISOString(),
    createdBy: row.createdBy,
    expiresAt: iso(row.expiresAtMs),
    revokedAt: iso(row.revokedAtMs),
    lastUsedAt: iso(row.lastUsedAtMs),
  };
}

const keyParams = z.object({
  keyId: z
    .string()
    .regex(/^key_[0-9a-f]{16}$/, "a key id as POST /v1/api-keys returns it")
    .openapi({ param: { name: "keyId", in: "path" } }),
});

const Access = z
  .object({
    keyId: z.string().openapi({ description: "`root` for ADMIN_TOKEN." }),
    role: Role,
    locations: z.array(z.string()).nullable(),
  })
  .openapi("Access");

/** Merchant API keys (spec §12): only an owner manages them; any key may ask what it is. */
export const apiKeyRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/access",
      operationId: "getAccess",
      tags: ["access"],
      summary: "The calling merchant key: its id, role and locations",
      description: "What the key may call is each operation's `security` in this document: one requirement per role it admits.",
      security: ANY_MERCHANT,
      // It reads no location's data, so a key scoped to locations may ask what it is.
      [LOCATION_SCOPED]: true,
      responses: { 200: jsonResponse(Access, "The calling key"), ...problems(401, 403) },
    }),
    (c) => {
      const caller = callerOf(c);
      if (caller.kind !== "merchant") throw new Error("a merchant-only route admitted a shopper");
      return c.json({ keyId: caller.keyId, role: caller.role, locations: caller.locations }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/api-keys",
      operationId: "createApiKey",
      tags: ["access"],
      summary: "Create an API key; its secret is in this reply only",
      description:
        "No `Idempotency-Key`: a stored reply would keep the secret, which is kept only as a hash. A retry after a lost " +
        "reply creates a second key; revoke the first (it is listed by name).",
      security: OWNER,
      request: { body: jsonBody(NewKey) },
      responses: { 201: jsonResponse(CreatedKey, "The key and its secret"), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const now_ms = Date.now();
      const expiresAtMs = body.expiresAt === undefined ? null : Date.parse(body.expiresAt);
      if (expiresAtMs !== null && expiresAtMs <= now_ms) {
        throw new ProblemError("invalid_request", "body expiresAt: must be in the future", {
          errors: [{ in: "json", path: "expiresAt", message: "must be in the future" }],
        });
      }
      const input = { name: body.name, role: body.role, locations: body.locations ?? null, expiresAtMs };
      const { row, secret } = await createKey(c.env, input, callerKeyId(c), now_ms);
      return c.json({ ...viewOf(row), secret }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/api-keys",
      operationId: "listApiKeys",
      tags: ["access"],
      summary: "The API keys, newest first, without their secrets (revoked ones say when)",
      security: OWNER,
      responses: { 200: jsonResponse(z.object({ data: z.array(ApiKey) }), "The newest 500 keys"), ...problems(401, 403) },
    }),
    async (c) => c.json({ data: (await listKeys(c.env)).map(viewOf) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/api-keys/{keyId}",
      operationId: "revokeApiKey",
      tags: ["access"],
      summary: "Revoke an API key: refused everywhere within five seconds",
      description: "Revoking a revoked key answers it unchanged (its first revocation time stays).",
      security: OWNER,
      request: { params: keyParams },
      responses: { 200: jsonResponse(ApiKey, "The revoked key"), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const row = await revokeKey(c.env, c.req.valid("param").keyId, Date.now());
      if (!row) throw new ProblemError("not_found", "No such API key.");
      return c.json(viewOf(row), 200);
    },
  );

function callerKeyId(c: Parameters<typeof callerOf>[0]): string {
  const caller = callerOf(c);
  if (caller.kind !== "merchant") throw new Error("an owner-only route admitted a shopper");
  return caller.keyId;
}
