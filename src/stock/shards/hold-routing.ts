import type { Replayable } from "../../idempotency/rule";
import type { AcceptedKeys } from "../../idempotency/accepted-keys";
import type { Hold } from "../../domain/types";
import type { IdempotencyKey } from "../../idempotency/rule";
import type { HoldInput } from "../take-hold";
import { customerStub, objectName, shardOf } from "../addressing";
import { Memo } from "../../platform/memo";

/**
 * Where the Worker sends a customer's new hold (spec §8). It assumes
 * an unsharded SKU until told otherwise: the object that receives a hold
 * that is not its to grant answers with the SKU's shard count, and the
 * Worker remembers it. So an unsharded SKU costs nothing extra, and a change
 * of the count costs one redirected call per isolate.
 */
const counts = new Memo<number>(10_000);
const COUNT_TTL_MS = 10 * 60 * 1000;

export function knownShards(sku: string, now_ms = Date.now()): number {
  return counts.get(sku, now_ms) ?? 1;
}

/** The name of the object that takes this customer's holds on the SKU, as far as this isolate knows. */
export function holdingObject(sku: string, customerId: string, now_ms = Date.now()): string {
  const shards = knownShards(sku, now_ms);
  return shards <= 1 ? sku : objectName(sku, shardOf(customerId, shards));
}

type Reserved = Replayable<Hold> & { acceptedKeys?: AcceptedKeys };

/**
 * Reserves on the customer's object, following at most two redirects.
 * `call` wraps each object call (the routes bound them in time).
 */
export async function reserveFor(
  env: Env,
  sku: string,
  input: HoldInput,
  idem: IdempotencyKey | null,
  call: (run: () => Promise<Reserved>) => Promise<Reserved> = (run) => run(),
): Promise<Reserved> {
  let shards = knownShards(sku);
  let outcome: Reserved;
  for (let hop = 0; ; hop++) {
    const stub = customerStub(env, sku, input.customerId, shards);
    outcome = await call(() => stub.reserve(input, idem));
    const told = !outcome.ok && outcome.code === "unavailable" ? outcome.extra?.shards : undefined;
    if (typeof told !== "number" || told === shards || hop >= 2) return outcome;
    shards = told;
    counts.set(sku, told, Date.now() + COUNT_TTL_MS);
  }
}
