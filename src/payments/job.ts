import { z } from "zod";
import { ORDER_ID_PATTERN } from "../domain/ids";
import { MessageTraceparent, withTraceparent } from "../platform/trace";

/**
 * A message on the `payments` queue: the order to charge, or to expire when it
 * arrives at the order's deadline. One schema for the producers (orders/) and
 * the consumer, which parses every body: a queue's messages are untrusted.
 */
export const PaymentJob = z.object({
  orderId: z.string().regex(ORDER_ID_PATTERN),
  /** The trace of the request that queued it (src/platform/trace.ts); the consumer continues it. */
  traceparent: MessageTraceparent,
});
export type PaymentJob = z.infer<typeof PaymentJob>;

/** Queues a payment job, after `delaySeconds` (Queues allow up to 12 h) when given. */
export async function enqueuePayment(queue: Queue, job: PaymentJob, delaySeconds?: number): Promise<void> {
  const body = withTraceparent(job);
  await queue.send(body, delaySeconds === undefined ? { contentType: "json" } : { contentType: "json", delaySeconds });
}
