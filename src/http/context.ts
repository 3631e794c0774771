import { OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler, ValidationTargets } from "hono";
import { ZodObject } from "zod";
import { ProblemError, type ProblemCode } from "../domain/problems";
import { authorizeFor, ownerByDefault, type Principal } from "./auth";

export type AppEnv = {
  Bindings: Env;
  /** `problemCode`: the code of the problem the error handler answered with, for the request's log line (http/observe). */
  Variables: { principal: Principal | null; requestId: string; problemCode?: ProblemCode };
};
export type AppContext = Context<AppEnv>;

/**
 * The operation extension a route sets when it serves keys scoped to locations
 * (spec §11, §12): it checks their scope (`requireScope`, filtered lists) and
 * passes it on to the SKU's object (`scopeOf`), which checks it again. Every
 * other route refuses a scoped key.
 */
export const LOCATION_SCOPED = "x-holdfast-location-scoped";

/**
 * A router whose routes refuse callers their declared `security` does not
 * admit, and whose validation failures become `invalid_request` problems
 * listing every offending field, so neither reaches a handler.
 */
export function router(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: refuseInvalid });
  // Every route is authorized from its own declared `security` (the contract states it), before its input is parsed.
  const register = app.openapi;
  app.openapi = ((declared, handler, hook) => {
    const route = { ...declared, security: ownerByDefault(declared.security) };
    const authorize = authorizeFor(route.security, { locationScoped: route[LOCATION_SCOPED] === true });
    const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
    const first = authorize ? [authorize, ...own] : own;
    const headers = route.request?.headers;
    if (hook !== undefined || !(headers instanceof ZodObject)) {
      return register(own === first ? route : { ...route, middleware: first }, handler, hook);
    }
    // The contract still states the headers; only their check is ours (declaredHeaders).
    const { middleware: _, hide, ...contract } = route;
    if (!hide) app.openAPIRegistry.registerPath(contract);
    const checked = { ...route, hide: true, request: { ...route.request, headers: undefined } };
    return register({ ...checked, middleware: [...first, declaredHeaders(headers)] }, handler, hook);
  }) as typeof app.openapi;
  return app;
}

/** A validation failure as an `invalid_request` problem listing every offending field. */
function refuseInvalid(result: { success: true } | { success: false; error: z.ZodError; target: keyof ValidationTargets }): void {
  if (result.success) return;
  const errors = result.error.issues.map((i) => ({
    in: result.target,
    path: i.path.map(String).join("."),
    message: i.message,
  }));
  const first = errors[0];
  throw new ProblemError(
    "invalid_request",
    first ? `${first.in} ${first.path || "(root)"}: ${first.message}` : "The request is not valid.",
    { errors },
  );
}

/**
 * Checks a route's declared headers, reading only those. Hono's header
 * validator first copies every header of the request into an object, of
 * which the schema keeps the declared ones; on the edge's sold-out refusal
 * that copy was about 6% of the request's CPU. The same schema decides, and
 * its failure is the same problem; the handler reads `c.req.valid("header")`
 * as before. Each header is read case-insensitively under the name its
 * schema gives it, as Hono's validator maps them.
 */
function declaredHeaders(schema: ZodObject): MiddlewareHandler<AppEnv> {
  const names = Object.keys(schema.shape);
  return async (c, next) => {
    const given: Record<string, string> = {};
    for (const name of names) {
      const value = c.req.header(name);
      if (value !== undefined) given[name] = value;
    }
    // Header schemas are plain strings and enums: nothing in them is asynchronous.
    const result = schema.safeParse(given);
    if (!result.success) refuseInvalid({ success: false, error: result.error, target: "header" });
    c.req.addValidatedData("header", result.data as Record<string, unknown>);
    await next();
  };
}
