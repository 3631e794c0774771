import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/context";
import { jsonResponse } from "./schemas";

const Health = z
  .object({
    ok: z.boolean(),
    bindings: z.object({ DB: z.enum(["ok", "error"]), SKU: z.enum(["ok", "error"]) }),
    time: z.string(),
  })
  .openapi("Health");

export const healthRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/healthz",
    operationId: "getHealth",
    summary: "Liveness and bindings check",
    security: [],
    responses: { 200: jsonResponse(Health, "Healthy"), 503: jsonResponse(Health, "A binding is failing") },
  }),
  async (c) => {
    const db = await c.env.DB.prepare("SELECT 1 AS one")
      .first<{ one: number }>()
      .then((r) => (r?.one === 1 ? ("ok" as const) : ("error" as const)))
      .catch(() => "error" as const);
    // Deriving an id needs no object to run, so liveness never wakes a SKU.
    const sku = typeof c.env.SKU?.idFromName === "function" && c.env.SKU.idFromName("healthz") ? ("ok" as const) : ("error" as const);
    const ok = db === "ok" && sku === "ok";
    return c.json({ ok, bindings: { DB: db, SKU: sku }, time: new Date().toISOString() }, ok ? 200 : 503);
  },
);
