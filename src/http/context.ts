import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
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
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
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
    },
  });
  // Every route is authorized from its own declared `security` (the contract states it), before its input is parsed.
  const register = app.openapi;
  app.openapi = ((declared, handler, hook) => {
    const route = { ...declared, security: ownerByDefault(declared.security) };
    const authorize = authorizeFor(route.security, { locationScoped: route[LOCATION_SCOPED] === true });
    if (!authorize) return register(route, handler, hook);
    const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
    return register({ ...route, middleware: [authorize, ...own] }, handler, hook);
  }) as typeof app.openapi;
  return app;
}
