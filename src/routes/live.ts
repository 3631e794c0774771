import { createRoute, z } from "@hono/zod-openapi";
import { LiveLevels } from "../domain/live";
import { ProblemError } from "../domain/problems";
import { router } from "../http/context";
import { callObject } from "../platform/object-call";
import { ANYONE, Problem, problems, SkuId } from "./schemas";

const params = z.object({ sku: SkuId });

const LiveHeaders = z.object({
  upgrade: z
    .string()
    // Spelled out rather than with the `i` flag, which the generated document cannot carry.
    .regex(/^[Ww][Ee][Bb][Ss][Oo][Cc][Kk][Ee][Tt]$/, "websocket (any case)")
    .optional()
    .openapi({ description: "`websocket`. Without it the answer is `426 upgrade_required`." }),
});

const PROTOCOL =
  "The socket first receives the SKU's current levels, then a message on every change, at most about 4 a second " +
  "(changes within 250 ms fold into one message carrying the latest levels; the last state is never dropped). " +
  "Every message is a `LiveLevels` JSON text. Send `ping` to get `pong` (answered without waking the object) " +
  "or `refresh` to get the latest levels again; anything else closes the socket with 1003. " +
  "A socket that sends nothing for 10 minutes is closed with 1001 (send `ping` to keep it), " +
  "and one client address may hold at most 20 sockets per SKU (more are refused `429 rate_limited`).";

export const liveRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/v1/skus/{sku}/live",
    operationId: "watchSkuLevels",
    summary: "A WebSocket pushing the SKU's public levels on every change",
    description: `Public: no credential needed (a present one must be valid). ${PROTOCOL}`,
    security: ANYONE,
    request: { params, headers: LiveHeaders },
    responses: {
      101: {
        description: `Switching Protocols: the WebSocket is open. ${PROTOCOL}`,
        headers: { Upgrade: { $ref: "#/components/headers/Upgrade" } },
        // Not a body: what every message on the socket is (OpenAPI has no place for WebSocket messages).
        content: { "application/json": { schema: LiveLevels } },
      },
      // A WebSocket's success is 101, never 2xx; `default` keeps the contract's "at least one success" rule true to it.
      default: { description: "Any other status: a problem document", content: { "application/problem+json": { schema: Problem } } },
      ...problems(400, 401, 404, 426, 429, 503),
    },
  }),
  async (c) => {
    const { sku } = c.req.valid("param");
    if (c.req.valid("header").upgrade === undefined) {
      throw new ProblemError(
        "upgrade_required",
        "This is a WebSocket: send `Upgrade: websocket` (e.g. `new WebSocket(url)`).",
        {},
        { upgrade: "websocket" },
      );
    }
    // The one call that is not RPC: only a request can carry a WebSocket upgrade to the object.
    const res = await callObject(c.env, () => c.env.SKU.getByName(sku).fetch(c.req.raw));
    // The object's headers are immutable here; the app's middleware still adds Request-Id and CORS.
    return new Response(res.body, { status: res.status, headers: res.headers, webSocket: res.webSocket }) as never;
  },
);
