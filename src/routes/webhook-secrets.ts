import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/context";
import { sendOutcome } from "../http/outcome";
import { addSecret, listSecrets, retireSecret } from "../notifications/signing-secrets";
import { jsonResponse, OWNER, problems } from "./schemas";

/** The merchant webhook's signing secrets (spec §12): several sign at once during a rotation. */
const SigningSecret = z
  .object({
    secretId: z.string().openapi({ description: "`env`: MERCHANT_WEBHOOK_SECRET; others as POST made them." }),
    createdAt: z.string().nullable().openapi({ description: "Null for `env`." }),
    retiredAt: z.string().nullable().openapi({ description: "Null while it signs deliveries." }),
  })
  .openapi("WebhookSigningSecret");

const NewSecret = SigningSecret.extend({
  secret: z.string().openapi({ description: "The Standard Webhooks secret (`whsec_...`): shown in this reply only." }),
}).openapi("CreatedWebhookSigningSecret");

const params = z.object({
  secretId: z
    .string()
    .regex(/^(env|whs_[0-9a-f]{16})$/, "`env` or a secret id as POST /v1/webhook-secrets returns it")
    .openapi({ param: { name: "secretId", in: "path" } }),
});

export const webhookSecretRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/webhook-secrets",
      operationId: "addWebhookSecret",
      tags: ["access"],
      summary: "Add a signing secret: from now on every delivery is signed with it too",
      description:
        "Rotation: add a secret, configure the receiver with it, then retire the old one; in between each delivery carries a " +
        "signature per active secret, so the receiver verifies with either. No `Idempotency-Key`: a stored reply would keep the secret.",
      security: OWNER,
      responses: { 201: jsonResponse(NewSecret, "The new secret"), ...problems(401, 403, 409) },
    }),
    async (c) => sendOutcome(c, await addSecret(c.env, Date.now()), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/webhook-secrets",
      operationId: "listWebhookSecrets",
      tags: ["access"],
      summary: "The signing secrets, active and retired, without the secrets themselves",
      security: OWNER,
      responses: { 200: jsonResponse(z.object({ data: z.array(SigningSecret) }), "The secrets"), ...problems(401, 403) },
    }),
    async (c) => c.json({ data: await listSecrets(c.env) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/webhook-secrets/{secretId}",
      operationId: "retireWebhookSecret",
      tags: ["access"],
      summary: "Retire a signing secret; the last active one cannot be",
      security: OWNER,
      request: { params },
      responses: { 200: jsonResponse(SigningSecret, "The retired secret"), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => sendOutcome(c, await retireSecret(c.env, c.req.valid("param").secretId, Date.now()), 200),
  );
