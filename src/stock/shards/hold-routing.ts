import type { Replayable } from "../../idempotency/rule";
import { currentTraceparent } from "../../platform/trace";
import type { KeysVersion } from "../../idempotency/accepted-keys";
import type { Hold } from "../../domain/types";
import type { IdempotencyKey } from "../../idempotency/rule";
import type { HoldInput } from "../take-hold";
import { objectName, shardOf, type SkuStub } from "../addressing";
import { Memo } from "../../platform/memo";

/**
 * Where the Worker sends a customer's new hold (spec §8). It assumes
 * an unsharded SKU until told otherwise: every answer on the hold path
 * carries the answering object's shard count and epoch (`ShardCount`), and an
 * object that receives a hold that is not its to grant redirects with the
 * count. The Worker remembers the newest count it heard. So an unsharded SKU
 * costs nothing extra, a change of the count costs one redirected call per
 * isolate, and an answer from an object that is not the customer's home under
 * its own count (a stale isolate's verdict or reply) is followed, not returned.
 */
const counts = new Memo<ShardCount>(10_000);
const COUNT_TTL_MS = 10 * 60 * 1000;

/** An object's shard count, and the epoch (changes of the count) it has it from (see ./fences.ts). */
export interface ShardCount {
  shards: number;
  epoch: number;
}

export function knownShards(sku: string, now_ms = Date.now()): number {
  return counts.get(sku, now_ms)?.shards ?? 1;
}

/**
 * Learns a count from an answer: one of an older epoch than the one known is
 * stale news from an object that missed a push, and changes nothing. A
 * redirect's count (`redirect`) is newer than the count the isolate used.
 */
export function learnShards(sku: string, heard: ShardCount, redirect = false, now_ms = Date.now()): void {
  const known = counts.get(sku, now_ms);
  if (known && !redirect && heard.epoch <= known.epoch) return;
  const epoch = Math.max(heard.epoch, known?.epoch ?? 0);
  counts.set(sku, { shards: heard.shards, epoch }, now_ms + COUNT_TTL_MS);
}

/** The object that serves this customer's holds when the SKU has `shards` shards. */
export function homeUnder(sku: string, customerId: string, shards: number): string {
  return shards <= 1 ? sku : objectName(sku, shardOf(customerId, shards));
}

/** The name of the object that takes this customer's holds on the SKU, as far as this isolate knows. */
export function holdingObject(sku: string, customerId: string, now_ms = Date.now()): string {
  return homeUnder(sku, customerId, knownShards(sku, now_ms));
}

type Counted = { count?: ShardCount };
type Reserved = Replayable<Hold> & { acceptedKeys?: KeysVersion } & Counted;
/** An object's stored reply to a keyed hold of the customer's (null: none), with its count. */
export type StoredHold = { reply: Replayable<Hold> | null } & Counted;
type Call = <T>(run: () => Promise<T>) => Promise<T>;

/**
 * Asks the customer's home, following at most two redirects: an object's
 * explicit one (`unavailable` with `shards`), or an answer whose count names
 * another home for this customer than the object that gave it.
 */
async function atHome<T extends Counted>(
  env: Env,
  sku: string,
  customerId: string,
  ask: (stub: SkuStub) => Promise<T>,
  call: Call,
  redirectOf: (answer: T) => number | undefined,
): Promise<T> {
  let shards = knownShards(sku);
  for (let hop = 0; ; hop++) {
    const asked = homeUnder(sku, customerId, shards);
    const answer = await call(() => ask(env.SKU.getByName(asked)));
    const redirect = redirectOf(answer);
    if (redirect !== undefined) learnShards(sku, { shards: redirect, epoch: answer.count?.epoch ?? 0 }, true);
    else if (answer.count) learnShards(sku, answer.count);
    const told = redirect ?? answer.count?.shards;
    if (told === undefined || homeUnder(sku, customerId, told) === asked || hop >= 2) return answer;
    shards = told;
  }
}

const plain: Call = (run) => run();

/** Reserves on the customer's object. `call` wraps each object call (the routes bound them in time). */
export function reserveFor(env: Env, sku: string, input: HoldInput, idem: IdempotencyKey | null, call: Call = plain): Promise<Reserved> {
  return atHome<Reserved>(
    env,
    sku,
    input.customerId,
    async (stub) => stub.reserve(input, idem, currentTraceparent()),
    call,
    (outcome) => {
      const told = !outcome.ok && outcome.code === "unavailable" ? outcome.extra?.shards : undefined;
      return typeof told === "number" ? told : undefined;
    },
  );
}

/**
 * The stored reply to the customer's keyed hold, from their home (which asks
 * the objects that served them under earlier counts), before anything may
 * refuse the retry: a retry of an accepted hold gets its reply.
 */
export async function storedHold(env: Env, sku: string, customerId: string, idem: IdempotencyKey, call: Call = plain) {
  const found = await atHome(
    env,
    sku,
    customerId,
    (stub) => stub.storedHold(customerId, idem),
    call,
    () => undefined,
  );
  return found.reply;
}
