import type { Outcome } from "../domain/problems";
import { ProblemError } from "../domain/problems";
import type { AppContext } from "./context";

/**
 * Turns an object's outcome into the HTTP reply: the value as JSON with the
 * route's success status, or the refusal as its problem. A replayed
 * idempotent request says so in `Idempotent-Replayed`, as Stripe does.
 */
export function sendOutcome<T, S extends 200 | 201 | 202>(c: AppContext, outcome: Outcome<T> & { replayed?: boolean }, status: S) {
  if (outcome.replayed) c.header("Idempotent-Replayed", "true");
  if (!outcome.ok) {
    const headers: Record<string, string> = outcome.replayed ? { "Idempotent-Replayed": "true" } : {};
    const retryAfter = outcome.extra?.retryAfterSeconds;
    if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
    throw new ProblemError(outcome.code, outcome.detail, outcome.extra ?? {}, headers);
  }
  return c.json(outcome.value as T, status);
}
