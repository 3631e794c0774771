/**
 * The shoppers' side of 3-D Secure, played against the fake Stripe
 * (stripe-server.ts): each intent that asks for authentication is answered a
 * moment later, passed (75%) or failed (25%). The failed ones (at most four
 * at a time; payment jobs lag the load, so this goes on while it settles) then succeed anyway (the bank approves after all) while refunds of that intent
 * meet an outage, and the shopper pays the order again at that moment:
 * pay-again during a pending late-payment refund (issue 24, finding 1).
 */
import type { Actor } from "./load.ts";
import { run } from "./load.ts";
import { rng } from "./random.ts";
import { sleep } from "./runtime.ts";
import type { FakeStripeServer } from "./stripe-server.ts";

/** How long a shopper takes to answer 3-D Secure. */
const ANSWER_AFTER_MS = [300, 3_000] as const;
/** How long refunds of a late payment meet an outage (longer than the SDK's three tries). */
const REFUND_OUTAGE_MS = 6_000;
/** Concurrent pay-again stories; a new one waits for a slot. */
const STORIES_MAX = 4;

export async function threeDSecure(
  a: Actor,
  seed: number,
  stripe: FakeStripeServer,
  tokens: ReadonlyMap<string, string>,
  running: () => boolean,
): Promise<{ passed: number; failed: number; payAgain: number }> {
  const r = rng(seed, "3ds");
  const seen = new Map<string, number>();
  const counts = { passed: 0, failed: 0, payAgain: 0 };
  const stories = new Set<Promise<void>>();
  while (running() && !a.client.aborted) {
    const now = Date.now();
    for (const intent of stripe.intents.values()) {
      if (intent.status !== "requires_action") continue;
      const due = seen.get(intent.id) ?? now + r.int(...ANSWER_AFTER_MS);
      seen.set(intent.id, due);
      if (due > now) continue;
      const pass = r.chance(0.75);
      stripe.authenticate(intent.id, pass);
      if (pass) counts.passed++;
      else counts.failed++;
      const token = tokens.get(intent.metadata.customerId ?? "");
      if (!pass && token && stories.size < STORIES_MAX) {
        counts.payAgain++;
        const story = payAgainDuringRefund(a, stripe, intent.id, intent.metadata.orderId!, token).finally(() => stories.delete(story));
        stories.add(story);
      }
    }
    await sleep(200);
  }
  await Promise.all(stories);
  return counts;
}

/**
 * The order reads payment_failed; the intent then succeeds with refunds of it
 * failing, so the late-payment refund is left pending; the shopper pays again.
 */
async function payAgainDuringRefund(a: Actor, stripe: FakeStripeServer, intentId: string, orderId: string, token: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const read = await run(a, "poll_order", { method: "GET", path: `/v1/orders/${orderId}`, token });
    if (read?.status === 200 && read.body.status === "payment_failed") break;
    if (read?.status === 200 && read.body.status !== "pending_payment") return;
    await sleep(200);
  }
  stripe.failRefundsOf(intentId, REFUND_OUTAGE_MS);
  stripe.succeedLate(intentId);
  // Long enough for the succeeded webhook to land and record the refund.
  await sleep(1_500);
  await run(a, "pay_again", {
    method: "POST",
    path: `/v1/orders/${orderId}/pay`,
    token,
    body: { paymentMethod: "pm_card_visa" },
    key: `pay-again-${orderId}`,
  });
}
