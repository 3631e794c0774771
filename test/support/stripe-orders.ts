import { createMessageBatch } from "cloudflare:test";
import { checkout } from "../../src/orders/checkout";
import { applyStripeEvent } from "../../src/payments/webhook";
import { handlePaymentDeadLetters, handlePayments, PAYMENT_QUEUES } from "../../src/payments/consumer";
import { fakeQueue } from "./outbox";
import { call, hold } from "./helpers";
import { signStripePayload, stripeEnv, stripeEvent, type FakeStripe } from "./fake-stripe";

/**
 * A Stripe order driven step by step: checkout() with a keyed env whose queues
 * record what they are sent, the payments consumer fed by the test, and
 * Stripe's events posted signed to the Worker's webhook.
 */
export interface StripeOrder {
  orderId: string;
  holdId: string;
  env: Env;
  jobs: unknown[];
  notifications: unknown[];
}

export async function placeStripeOrder(customerId: string, sku: string, quantity: number, paymentMethod: string): Promise<StripeOrder> {
  const { env, jobs } = stripeEnv();
  const notes = fakeQueue();
  const keyed: Env = { ...env, NOTIFICATIONS: notes.queue as Env["NOTIFICATIONS"] };
  const h = (await hold(sku, customerId, quantity)).body;
  const out = await checkout(keyed, customerId, { holdIds: [h.holdId], paymentMethod }, null, Date.now());
  if (!out.ok) throw new Error(`checkout refused: ${out.code} ${out.detail}`);
  return { orderId: out.value.orderId, holdId: h.holdId as string, env: keyed, jobs, notifications: notes.sent };
}

/** Delivers the order's latest payment job to the consumer (attempt `attempts`); whether it acked or asked for a retry. */
export async function runPaymentJob(o: StripeOrder, attempts = 1, queue: "main" | "dead" = "main"): Promise<"ack" | "retry"> {
  const batch = createMessageBatch<unknown>(PAYMENT_QUEUES[queue], [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts, body: o.jobs.at(-1) },
  ]);
  let outcome: "ack" | "retry" = "ack";
  const [msg] = batch.messages;
  const retry = msg!.retry.bind(msg);
  msg!.retry = (options?: QueueRetryOptions) => {
    outcome = "retry";
    retry(options);
  };
  await (queue === "main" ? handlePayments : handlePaymentDeadLetters)(batch, o.env);
  return outcome;
}

/**
 * Posts a Stripe event, signed, to the Worker's webhook; with an env (one that
 * has the Stripe key, which the pool's own lacks), applies it through the
 * webhook's handler in that env instead, answering as the route would.
 */
export async function postStripeEvent(payload: object, keyed?: Env): Promise<{ status: number; body: { outcome?: string } }> {
  if (keyed) {
    try {
      const out = await applyStripeEvent(keyed, structuredClone(payload), Date.now());
      return out.ok ? { status: 200, body: { outcome: out.value } } : { status: out.transient ? 503 : 400, body: {} };
    } catch {
      return { status: 500, body: {} };
    }
  }
  const raw = JSON.stringify(payload);
  return call("/v1/webhooks/stripe", {
    method: "POST",
    rawBody: raw,
    headers: { "content-type": "application/json", "stripe-signature": await signStripePayload(raw) },
  });
}

/** Posts the events the fake emitted for one intent since `from` (an index into fake.events), in order. */
export async function postEventsOf(fake: FakeStripe, intentId: string, from: number, keyed: Env) {
  const out = [];
  for (const e of fake.events.slice(from)) {
    const about = e.object as { id?: string; payment_intent?: string };
    if (about.id === intentId || about.payment_intent === intentId)
      out.push(await postStripeEvent(stripeEvent(e.type, e.object, e.id), keyed));
  }
  return out;
}

/** What the provider holds for an order: its succeeded intents and the money refunded on each. */
export function moneyOf(fake: FakeStripe, orderId: string) {
  const intents = [...fake.intents.values()].filter((i) => i.metadata.orderId === orderId);
  const succeeded = intents.filter((i) => i.status === "succeeded").map((i) => i.id);
  const refunded = fake.refunds.filter((r) => succeeded.includes(r.payment_intent)).map((r) => r.payment_intent);
  return { succeeded, refunded, kept: succeeded.filter((id) => !refunded.includes(id)) };
}
