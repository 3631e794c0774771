import { retryDelaySeconds } from "../platform/backoff";
import { logger, type Log } from "../platform/log";
import { eachMessage } from "../platform/trace";
import { OrderFlow } from "../orders/flow";
import { PaymentJob } from "./job";

export const PAYMENT_QUEUES = {
  main: "holdfast-payments",
  dead: "holdfast-payments-dlq",
} as const;

/**
 * Charges each order of the batch on its own, all at once (`eachMessage`): the
 * shoppers of the batch wait for "paid", and one slow charge must not hold back
 * nine. Running them together is safe for the same reason a duplicate is:
 * delivery is at least once, the flow moves an order only from the state it
 * read (a webhook may race it anyway) and the provider call is keyed by order
 * id, so no order is charged or committed twice. Each job acks or retries
 * (with backoff, then the dead letters) alone.
 */
export async function handlePayments(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const flow = new OrderFlow(env);
  const log = logger(env);
  await eachMessage(batch, (msg) => chargeOne(msg, flow, log));
}

/** One job, in the trace of the request that queued it. */
async function chargeOne(msg: Message<unknown>, flow: OrderFlow, log: Log): Promise<void> {
  const job = PaymentJob.safeParse(msg.body);
  if (!job.success) {
    log.error("payment_job_malformed", { id: msg.id, body: msg.body });
    msg.ack();
    return;
  }
  log.info("payment_job", { orderId: job.data.orderId, messageId: msg.id, attempts: msg.attempts });
  try {
    await flow.charge(job.data.orderId, Date.now());
    msg.ack();
  } catch (e) {
    const delaySeconds = retryDelaySeconds(msg.attempts);
    log.warn("payment_retry", { orderId: job.data.orderId, attempts: msg.attempts, delaySeconds, error: String(e) });
    msg.retry({ delaySeconds });
  }
}

/**
 * A payment job that failed every retry. The charge may have happened with
 * its answer lost, so the flow reads the provider and settles the order as
 * the intent stands; it never records that nothing was charged.
 */
export async function handlePaymentDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const flow = new OrderFlow(env);
  const log = logger(env);
  await eachMessage(batch, (msg) => settleDead(msg, flow, log));
}

/** A dead job, in the trace of the request that queued it: its last word is found with the rest of the purchase. */
async function settleDead(msg: Message<unknown>, flow: OrderFlow, log: Log): Promise<void> {
  const job = PaymentJob.safeParse(msg.body);
  log.error("payment_dead_letter", { id: msg.id, body: msg.body, attempts: msg.attempts });
  if (!job.success) {
    msg.ack();
    return;
  }
  try {
    await flow.afterDeadLetter(job.data.orderId, Date.now());
    msg.ack();
  } catch (e) {
    log.error("payment_dead_letter_failed", { id: msg.id, attempts: msg.attempts, error: String(e) });
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
  }
}
