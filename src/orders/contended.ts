import type { Outcome } from "../domain/problems";

/**
 * A step with nobody to answer (the payments queue, Stripe's webhook, the
 * refund sweep) takes its outcome's value, or null for any refusal: those are
 * states the step leaves alone. An order that stayed contended is the
 * exception: nothing was written, so the step throws and its queue or Stripe
 * delivers it again, to decide against the new state.
 */
export function unlessContended<T>(orderId: string, outcome: Outcome<T>): T | null {
  if (outcome.ok) return outcome.value;
  if (outcome.transient) throw new OrderContended(orderId, outcome.detail);
  return null;
}

/** A step's order stayed contended: nothing was written, and a later delivery decides against the new state. */
export class OrderContended extends Error {
  constructor(
    readonly orderId: string,
    detail: string,
  ) {
    super(`order ${orderId}: ${detail}`);
  }
}
