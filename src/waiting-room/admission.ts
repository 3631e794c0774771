import { and, desc, eq, gt, lte, min, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accept, refuse, type Outcome } from "../domain/problems";
import { saleItems, sales } from "../db/schema";
import type { AppContext } from "../http/context";
import { coordinatorName, joinShardCount, joinShardName } from "./config";
import type { QueueState } from "./state";
import { inDraw } from "./place";
import { signTicket, verifyAdmission, type AdmissionClaims, type TicketClaims } from "./tokens";
import { shardOf } from "../stock/addressing";
import { forget, lookup, remembered, store, ttlSeconds } from "../edge/cache";
import { envNumber } from "../platform/env-number";
import { callObject } from "../platform/object-call";
import { Memo } from "../platform/memo";

/**
 * The waiting room at the edge (spec §9): the queue object's published state,
 * cached like a public view (at most the cache TTL old), so a poll reaches no
 * object on a hit; and which SKUs need an admission to be held.
 */

/** Which sales of a SKU have a waiting room: read from D1, kept this long (merchant changes purge this location). */
const SALE_TERMS_TTL_MS = 5_000;

/** Sales whose state a request of this isolate is reading from the queue object, and since when. */
const asking = new Map<string, number>();
/** How often a request waiting on another's read looks for its answer in memory. */
const WAIT_STEP_MS = 5;
/** The last state text of each sale this isolate parsed, and its parse: a poll on a hit parses nothing. */
const parsed = new Map<string, { text: string; state: QueueState | null }>();
/** Sales whose parse this isolate keeps at most (the oldest goes first). */
const PARSED_MAX = 256;

function parsedState(saleId: string, text: string): QueueState | null {
  const known = parsed.get(saleId);
  if (known?.text === text) return known.state;
  const state = JSON.parse(text) as QueueState | null;
  parsed.delete(saleId);
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(saleId, { text, state });
  return state;
}

/**
 * The sale's queue state, from this isolate's memory or the location's cache,
 * else from the queue object. Concurrent misses share one read: the others
 * wait for its answer to land in memory. They must not await the reader's
 * promise: its continuations would run in the reader's request context, where
 * workerd refuses the waiting request's own I/O ("Cannot perform I/O on
 * behalf of a different request", seen under the bench's stampede). Without
 * any sharing, polls reached the object 62 times per 1,000 instead of about 1.
 */
export async function queueState(
  c: AppContext,
  saleId: string,
  now_ms = Date.now(),
): Promise<{ state: QueueState | null; cache: "hit" | "miss" }> {
  const ttl = ttlSeconds(c.env);
  const cached = ttl > 0 ? await lookup("queue-state", saleId, now_ms) : null;
  // No await between this check and the mark below, so two misses cannot both see no reader.
  const hit = cached ?? (ttl > 0 && asking.has(saleId) ? await answerOfOtherRead(c.env, saleId) : null);
  if (hit) return { state: parsedState(saleId, hit.text), cache: "hit" };
  asking.set(saleId, Date.now());
  try {
    const state = await callObject(c.env, () => c.env.WAITING_ROOM.getByName(coordinatorName(saleId)).state());
    // Its age counts from the answer, not the request: a slow answer must not be born expired.
    if (ttl > 0) {
      store(
        c,
        "queue-state",
        saleId,
        { status: 200, text: JSON.stringify(state), headers: { "content-type": "application/json" }, expiresAtMs: Date.now() + ttl * 1000 },
        false,
      );
    }
    return { state, cache: "miss" };
  } finally {
    asking.delete(saleId);
  }
}

/** While another request of this isolate reads the sale's state (at most its call's time bound), waits for the answer in memory. */
async function answerOfOtherRead(env: Env, saleId: string) {
  const bound_ms = envNumber(env.OBJECT_TIMEOUT_MS, 5_000, { min: 1 });
  for (let step = 0; step < Math.ceil(bound_ms / WAIT_STEP_MS); step++) {
    const since = asking.get(saleId);
    if (since === undefined || Date.now() - since > bound_ms) return null;
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    const answer = remembered("queue-state", saleId);
    if (answer) return answer;
  }
  return null;
}

/** The customer's join shard under the sale's own count (see QueueState.joinShards). */
export function joinShard(env: Env, state: Pick<QueueState, "saleId" | "joinShards">, customerId: string) {
  return env.WAITING_ROOM.getByName(joinShardName(state.saleId, joinShardIndex(env, state, customerId)));
}

/**
 * A lottery ticket signed before tickets carried the join's log index (`i`)
 * shows no drawn place (./place.ts computes it from the index). Once the
 * round is in, the customer's join shard names their index (one read of their
 * row: every join to a lottery was logged, older ones by the log's own step)
 * and the ticket is signed again with it, so the holder's next poll, with the
 * ticket answered, asks no object. Any other ticket is returned as it is.
 */
export async function withLogIndex(c: AppContext, state: QueueState, ticket: string, claims: TicketClaims) {
  if (claims.i !== undefined || !state.lottery?.randomness || !inDraw(state, claims.a)) return { ticket, claims };
  const index = await callObject(c.env, () => joinShard(c.env, state, claims.c).entrantIndex(claims.c));
  if (index === null) return { ticket, claims };
  const indexed: TicketClaims = { ...claims, i: index };
  return { ticket: await signTicket(c.env.QUEUE_SIGNING_SECRET, indexed), claims: indexed };
}

export function joinShardIndex(env: Env, state: Pick<QueueState, "joinShards">, customerId: string): number {
  return shardOf(customerId, state.joinShards ?? joinShardCount(env));
}

/** What the edge remembers of a SKU's sales: the queued sale live now, if any, and until when that answer holds. */
interface LiveQueue {
  saleId: string | null;
  untilMs: number;
}

/**
 * The SKU's live sale (the one its object prices by: `outranks`) if it has a
 * waiting room. D1 ranks exactly the sales live now, as `outranks` does, and
 * answers the first: no page of a SKU's sales can leave the live one out
 * (issue 22 item 2: a page of 100 unordered sales let a shopper skip the
 * line). The answer is kept until the next start or end of one of the SKU's
 * sales, so a queued sale is in front from its first millisecond.
 */
export async function queuedSaleOf(c: AppContext, sku: string, now_ms = Date.now()): Promise<string | null> {
  const hit = await lookup("sku-sales", sku, now_ms);
  if (hit) {
    const kept = JSON.parse(hit.text) as LiveQueue;
    if (now_ms < kept.untilMs) return kept.saleId;
  }
  const db = drizzle(c.env.DB);
  const ofSku = eq(saleItems.sku, sku);
  const [[live], [next]] = await Promise.all([
    db
      .select({ saleId: sales.saleId, endsAtMs: sales.endsAtMs, mode: sales.queueMode })
      .from(saleItems)
      .innerJoin(sales, eq(sales.saleId, saleItems.saleId))
      .where(and(ofSku, lte(sales.startsAtMs, now_ms), gt(sales.endsAtMs, now_ms)))
      // The order of `outranks` (stock/offer.ts): priority (none below 0), then the later start, then the greater id.
      .orderBy(desc(sql`coalesce(${saleItems.priority}, -1)`), desc(sales.startsAtMs), desc(sales.saleId))
      .limit(1),
    db
      .select({ startsAtMs: min(sales.startsAtMs) })
      .from(saleItems)
      .innerJoin(sales, eq(sales.saleId, saleItems.saleId))
      .where(and(ofSku, gt(sales.startsAtMs, now_ms))),
  ]);
  const untilMs = Math.min(now_ms + SALE_TERMS_TTL_MS, live?.endsAtMs ?? Infinity, next?.startsAtMs ?? Infinity);
  const answer: LiveQueue = { saleId: live && live.mode !== null ? live.saleId : null, untilMs };
  store(
    c,
    "sku-sales",
    sku,
    { status: 200, text: JSON.stringify(answer), headers: { "content-type": "application/json" }, expiresAtMs: untilMs },
    false,
  );
  return answer.saleId;
}

/** A merchant changed the sale: this location forgets its queue state and the SKUs' sale terms. */
export function purgeQueue(c: AppContext, saleId: string, skus: readonly string[]): void {
  forget(c, "queue-state", saleId);
  for (const sku of skus) forget(c, "sku-sales", sku);
}

/**
 * The hold's admission, checked here with the signing key alone: signed,
 * for this sale, this customer and this SKU (each SKU of a sale has its own
 * line), not expired. Anything else is refused `admission_required`.
 */
export async function requireAdmission(
  env: Env,
  token: string | undefined,
  saleId: string,
  customerId: string,
  sku: string,
  now_ms = Date.now(),
): Promise<Outcome<AdmissionClaims>> {
  const detail = `This sale has a waiting room: join it with POST /v1/sales/${saleId}/queue and send the admission token in Holdfast-Admission.`;
  if (!token) return refuse("admission_required", detail, { saleId });
  const verified = await verifyAdmission(env.QUEUE_SIGNING_SECRET, token, { saleId, customerId, now_ms });
  if (!verified.ok) return refuse("admission_required", `The admission is not valid (${verified.reason}). ${detail}`, { saleId });
  if (verified.claims.k !== sku) {
    return refuse(
      "admission_required",
      `The admission is for item "${verified.claims.k}", not "${sku}": queue for it with \`sku\`. ${detail}`,
      {
        saleId,
      },
    );
  }
  return accept(verified.claims);
}

/**
 * The admissions a checkout by items needs, since it takes its holds itself:
 * the one token must admit the customer to every queued SKU of the checkout
 * (so items of two queued lines are held one by one first).
 */
export async function requireAdmissions(
  c: AppContext,
  skus: readonly string[],
  customerId: string,
  token: string | undefined,
): Promise<Outcome<AdmissionClaims[]>> {
  const queued: Array<{ saleId: string; sku: string }> = [];
  for (const sku of new Set(skus)) {
    const saleId = await queuedSaleOf(c, sku);
    if (saleId) queued.push({ saleId, sku });
  }
  const admissions = await Promise.all(queued.map((q) => requireAdmission(c.env, token, q.saleId, customerId, q.sku)));
  const claims: AdmissionClaims[] = [];
  for (const admission of admissions) {
    if (!admission.ok) return admission;
    claims.push(admission.value);
  }
  return accept(claims);
}

/** Sales this isolate woke lately: a stampede of joins wakes the queue object about once a second per isolate, not once per join. */
const woken = new Memo<true>(1_000);
const WAKE_EVERY_MS = 1_000;

/** A new waiter joined: make sure the sale's queue object is ticking (after the answer). */
export function wakeQueue(c: AppContext, saleId: string, now_ms = Date.now()): void {
  if (woken.get(saleId, now_ms)) return;
  woken.set(saleId, true, now_ms + WAKE_EVERY_MS);
  c.executionCtx.waitUntil(c.env.WAITING_ROOM.getByName(coordinatorName(saleId)).wake());
}

/** Admissions this isolate has reported used, so a shopper's later holds cost no call. */
const reported = new Memo<true>(10_000);
const REPORTED_TTL_MS = 10 * 60 * 1000;

/** A hold succeeded under an admission: its join shard counts it used (after the answer, off the hold's path). */
export function reportAdmissionUsed(c: AppContext, claims: AdmissionClaims, now_ms = Date.now()): void {
  const key = `${claims.s}|${claims.c}`;
  if (reported.get(key, now_ms)) return;
  reported.set(key, true, now_ms + REPORTED_TTL_MS);
  c.executionCtx.waitUntil(
    queueState(c, claims.s, now_ms).then(({ state }) =>
      state ? joinShard(c.env, state, claims.c).markUsed(claims.c, claims.t) : undefined,
    ),
  );
}
