import Stripe from "stripe";
import { z } from "zod";
import { drizzle } from "drizzle-orm/d1";
import { eq } from "drizzle-orm";
import { processedWebhooks, type OrderRow } from "../db/schema";
import { accept, refuse, type Outcome } from "../domain/problems";
import { OrderOutbox } from "../orders/outbox";
import { OrderStore } from "../orders/store";
import { OrderContended } from "../orders/contended";
import { OrderFlow } from "../orders/flow";
import { ProviderEvents, type DisputeStatus } from "../orders/provider-events";
import { chargeRequest } from "../orders/recovery";
import { paymentProvider } from "./index";
import { TransientPaymentError } from "./provider";
import { stripeClient } from "./stripe";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * Verifies a Stripe webhook's signature over the raw body; null when it does
 * not verify. The payload is returned unread: a signature vouches for who sent
 * it, not for its shape.
 */
export async function verifyStripeEvent(env: Env, rawBody: string, signature: string): Promise<{ payload: unknown } | null> {
  // Stripe's tolerance (300 s) bounds only an event's age: one stamped further ahead of our clock is refused too.
  if (Number(/(?:^|,)t=(\d+)/.exec(signature)?.[1]) > Date.now() / 1000 + 300) return null;
  try {
    // The key is not used to verify; a placeholder keeps verification possible without Stripe configured.
    const payload: unknown = await stripeClient(env.STRIPE_SECRET_KEY ?? "sk_unused").webhooks.constructEventAsync(
      rawBody,
      signature,
      env.STRIPE_WEBHOOK_SECRET,
      undefined,
      cryptoProvider,
    );
    return { payload };
  } catch {
    return null;
  }
}

/** The envelope of every event, and only what is read of it. */
const EventEnvelope = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** Which order an intent is for: set by us when we created it, absent on others' intents. */
const IntentOwner = z.object({ metadata: z.object({ orderId: z.string().min(1).max(255).optional() }).nullish() });

/** The PaymentIntent fields the order flow reads. */
const PaymentIntent = z.object({
  id: z.string().min(1).max(255),
  amount: z.number().int().nonnegative(),
  amount_received: z.number().int().nonnegative().optional(),
  currency: z.string().min(1).max(16),
  client_secret: z.string().nullish(),
  last_payment_error: z.object({ message: z.string().nullish() }).nullish(),
  cancellation_reason: z.string().nullish(),
  /** Set by us: which payment attempt of the order the intent is (absent on intents made before retries existed: 1). */
  metadata: z.object({ attempt: z.string().max(16).optional() }).nullish(),
});
type PaymentIntent = z.infer<typeof PaymentIntent>;

const INTENT_EVENTS = [
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "payment_intent.requires_action",
] as const;
type IntentEvent = (typeof INTENT_EVENTS)[number];

/** Money moved at Stripe without us: a refund made in the dashboard, a cardholder's dispute. */
const CHARGE_EVENTS = ["charge.refunded", "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"] as const;
type ChargeEvent = (typeof CHARGE_EVENTS)[number];

/** The fields read of a Charge (charge.refunded) or a Dispute (charge.dispute.*): both name the intent. */
const ChargeOrDispute = z.object({
  payment_intent: z.string().min(1).max(255).nullish(),
  refunded: z.boolean().optional(),
  amount_refunded: z.number().int().nonnegative().optional(),
  status: z.string().max(64).optional(),
});
type ChargeOrDispute = z.infer<typeof ChargeOrDispute>;

export type WebhookOutcome = "applied" | "duplicate" | "ignored";

/**
 * Applies a verified event. Stripe retries for days, out of order and
 * duplicated: events are deduplicated by id (recorded after they are handled,
 * so a crash mid-way is retried), and every step of the order flow is
 * idempotent and refuses moves its state does not allow.
 *
 * An event we cannot read is `invalid_request` (400): a 500 would only have
 * Stripe retry it for days. Types we do not handle are acknowledged. An order
 * that stayed contended is `unavailable` (503), which Stripe delivers again.
 */
export async function applyStripeEvent(env: Env, payload: unknown, now_ms: number): Promise<Outcome<WebhookOutcome>> {
  const event = parse(EventEnvelope, payload, "event");
  if (!event.ok) return event;
  const { type, id, data } = event.value;
  const handled = (INTENT_EVENTS as readonly string[]).includes(type);
  const owner = handled ? parse(IntentOwner, data.object, "data.object") : null;
  if (owner && !owner.ok) return owner;
  const orderId = owner?.value.metadata?.orderId;
  const intent = orderId ? parse(PaymentIntent, data.object, "data.object") : null;
  if (intent && !intent.ok) return intent;
  const charge = (CHARGE_EVENTS as readonly string[]).includes(type) ? parse(ChargeOrDispute, data.object, "data.object") : null;
  if (charge && !charge.ok) return charge;

  const db = drizzle(env.DB);
  const [seen] = await db.select().from(processedWebhooks).where(eq(processedWebhooks.eventId, id));
  if (seen) return accept("duplicate");
  let outcome: WebhookOutcome = "ignored";
  const chargeIntent = charge?.value.payment_intent;
  if ((orderId && intent) || chargeIntent) {
    try {
      outcome =
        orderId && intent
          ? await dispatch(env, type as IntentEvent, orderId, intent.value, now_ms)
          : await dispatchCharge(env, type as ChargeEvent, chargeIntent!, charge!.value, now_ms);
    } catch (e) {
      // Not recorded as processed: Stripe delivers it again and it decides against the new state.
      if (e instanceof OrderContended) {
        return {
          ...refuse("unavailable", "The order changed concurrently; deliver the event again.", { retryAfterSeconds: 1 }),
          transient: true,
        };
      }
      // A refund the event calls for could not reach the provider; it stays recorded, and the redelivery finishes it.
      if (e instanceof TransientPaymentError) {
        return { ...refuse("unavailable", "The payment provider did not answer; deliver the event again."), transient: true };
      }
      throw e;
    }
  }
  await db.insert(processedWebhooks).values({ eventId: id, type, receivedAtMs: now_ms }).onConflictDoNothing();
  return accept(outcome);
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): Outcome<z.infer<T>> {
  const result = schema.safeParse(value);
  if (result.success) return accept(result.data);
  const issue = result.error.issues[0];
  const at = issue && issue.path.length > 0 ? `${what}.${issue.path.map(String).join(".")}` : what;
  return refuse("invalid_request", `The Stripe event is not usable: ${at}: ${issue?.message ?? "invalid"}.`);
}

/**
 * Metadata says which order an intent pays for, but the order must agree:
 * its intent (once known), amount and currency. Anything else, such as an
 * intent of another integration on the same account or an event for an order
 * we never placed, is acknowledged and changes nothing.
 */
async function dispatch(
  env: Env,
  type: IntentEvent,
  orderId: string,
  intent: PaymentIntent,
  now_ms: number,
): Promise<"applied" | "ignored"> {
  const stored = await new OrderStore(env.DB, null).get(orderId);
  if (!stored || !paysFor(stored.order, type, intent)) return "ignored";
  if (type === "payment_intent.succeeded" && !isCurrent(stored.order, intent)) {
    // Money for an attempt the order has moved past: real money is settled (paid or refunded), so
    // first make sure it is real, by reading the intent from Stripe rather than trusting the event.
    // Without a key nothing can be read or refunded at Stripe: no Stripe order of ours can exist then.
    if (!env.STRIPE_SECRET_KEY) return "ignored";
    const read = await paymentProvider(env, "stripe").find(chargeRequest(stored.order), intent.id);
    if (read?.status !== "succeeded") return "ignored";
  }
  const flow = new OrderFlow(env);
  switch (type) {
    case "payment_intent.succeeded":
      await flow.paymentSucceeded(orderId, intent.id, now_ms);
      break;
    case "payment_intent.payment_failed":
      await flow.paymentFailed(orderId, intent.last_payment_error?.message ?? "The payment failed.", intent.id, now_ms);
      break;
    case "payment_intent.canceled":
      await flow.paymentFailed(
        orderId,
        `The payment was canceled (${intent.cancellation_reason ?? "no reason given"}).`,
        intent.id,
        now_ms,
      );
      break;
    case "payment_intent.requires_action":
      await flow.requiresAction(orderId, intent.id, intent.client_secret ?? null, now_ms);
      break;
  }
  return "applied";
}

function paysFor(order: OrderRow, type: IntentEvent, intent: PaymentIntent): boolean {
  // What a succeeded intent collected is `amount_received`; before that only `amount` is known.
  const amount = type === "payment_intent.succeeded" ? intent.amount_received : intent.amount;
  const ours =
    order.paymentProvider === "stripe" && amount === order.totalAmount && intent.currency.toLowerCase() === order.currency.toLowerCase();
  // Money in is never ignored, whichever attempt it is: it pays the order or is refunded.
  if (type === "payment_intent.succeeded") return ours;
  // Any other news of an earlier attempt's intent changes nothing: the order has moved on.
  return ours && isCurrent(order, intent);
}

/** The intent of the order's current attempt (its id once the order knows it). */
function isCurrent(order: OrderRow, intent: PaymentIntent): boolean {
  return (order.intentId === null || order.intentId === intent.id) && (intent.metadata?.attempt ?? "1") === String(order.paymentAttempt);
}

/**
 * A full refund made at Stripe refunds the order, a partial one is recorded on
 * it (refundedAmount); a dispute's status follows it, and a lost one ends the order.
 */
async function dispatchCharge(
  env: Env,
  type: ChargeEvent,
  intentId: string,
  object: ChargeOrDispute,
  now_ms: number,
): Promise<"applied" | "ignored"> {
  const events = new ProviderEvents(new OrderStore(env.DB, env, new OrderOutbox(env)));
  if (type === "charge.refunded") {
    if (object.refunded === true) return (await events.refunded(intentId, now_ms)) ? "applied" : "ignored";
    const amount = object.amount_refunded ?? 0;
    return amount > 0 && (await events.partlyRefunded(intentId, amount, now_ms)) ? "applied" : "ignored";
  }
  const status: DisputeStatus = object.status === "won" ? "won" : object.status === "lost" ? "lost" : "open";
  return (await events.disputed(intentId, status, now_ms)) ? "applied" : "ignored";
}
