import type { Outcome, Refusal } from "../domain/problems";
import { ProblemError } from "../domain/problems";
import type { AppContext } from "./context";

/**
 * Turns an object's outcome into the HTTP reply: the value as JSON with the
 * route's success status, or the refusal as its problem. A replayed
 * idempotent request says so in `Idempotent-Replayed`, as Stripe does.
 */
export function sendOutcome<T, S extends 200 | 201 | 202>(c: AppContext, outcome: Outcome<T> & { replayed?: boolean }, status: S) {
  if (outcome.replayed) c.header("Idempotent-Replayed", "true");
  if (!outcome.ok) throw problemOf(outcome);
  return c.json(outcome.value as T, status);
}

/**
 * A refusal as the problem it leaves by, through the one error handler: for a
 * route whose success is not one status (created or replaced).
 */
export function problemOf(refusal: Refusal & { replayed?: boolean }): ProblemError {
  const headers: Record<string, string> = refusal.replayed ? { "Idempotent-Replayed": "true" } : {};
  const retryAfter = refusal.extra?.retryAfterSeconds;
  if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
  return new ProblemError(refusal.code, refusal.detail, refusal.extra ?? {}, headers);
}
