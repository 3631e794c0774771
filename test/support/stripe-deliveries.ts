import type { FakeEvent } from "./fake-stripe-account";
import { stripeEvent } from "./fake-stripe";

/**
 * Delivers webhook events as Stripe does: at least once, in no particular
 * order, duplicates sharing the event's id, and an event answered with
 * anything but 2xx delivered again later
 * (docs.stripe.com/webhooks#handle-duplicate-events, #event-ordering, #retries).
 * Seeded, so a failure names the schedule that found it.
 */
export interface Delivery {
  id: string;
  type: string;
  status: number;
}

/** Attempts per event before the helper stops redelivering (Stripe keeps trying for three days). */
const REDELIVERIES_MAX = 5;

export async function deliverLikeStripe(
  events: readonly FakeEvent[],
  send: (payload: object) => Promise<{ status: number }>,
  opts: { seed: number; copiesMax?: number },
): Promise<Delivery[]> {
  const random = mulberry32(opts.seed);
  const copiesMax = opts.copiesMax ?? 3;
  const queue: FakeEvent[] = [];
  for (const event of events) {
    const copies = 1 + Math.floor(random() * copiesMax);
    for (let i = 0; i < copies; i++) queue.push(event);
  }
  shuffle(queue, random);
  const log: Delivery[] = [];
  const attempts = new Map<string, number>();
  // Bounded: every event is tried at most copiesMax + REDELIVERIES_MAX times.
  for (let i = 0; i < queue.length; i++) {
    const event = queue[i]!;
    const { status } = await send(stripeEvent(event.type, event.object, event.id));
    log.push({ id: event.id, type: event.type, status });
    const tried = (attempts.get(event.id) ?? 0) + 1;
    attempts.set(event.id, tried);
    if ((status < 200 || status >= 300) && tried < copiesMax + REDELIVERIES_MAX) queue.push(event);
  }
  return log;
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** A small seeded PRNG (public domain), enough to replay a delivery schedule. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
