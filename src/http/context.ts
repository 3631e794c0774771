import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError } from "../domain/problems";
import type { Principal } from "./auth";

export type AppEnv = { Bindings: Env; Variables: { principal: Principal | null; requestId: string } };
export type AppContext = Context<AppEnv>;

/**
 * A router whose validation failures become `invalid_request` problems listing
 * every offending field, so bad input never reaches a handler.
 */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
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
}
