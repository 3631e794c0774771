/**
 * Stock shards (spec §8): how a SKU's objects are named, which shard
 * serves a customer, and how a hold id names the object that owns it, so
 * every later call on a hold routes without an index.
 */

import { randomHex } from "../platform/random-hex";

/** The merchant may split a SKU's stock across at most this many shards. */
export const MAX_SHARDS = 64;
/** A transfer's peer that is the SKU's own object, the pool. */
export const POOL = -1;

/** `#` never appears in a SKU id, so a shard's name cannot collide with another SKU's. */
export function objectName(sku: string, shard: number | null): string {
  return shard === null || shard === POOL ? sku : `${sku}#${shard}`;
}

/** A shard's index as object names and hold ids spell it: 0 to MAX_SHARDS - 1. */
const SHARD_INDEX = "[0-9]|[1-5][0-9]|6[0-3]";
const SHARD_OBJECT_NAME = new RegExp(`^(.+)#(${SHARD_INDEX})$`);

/** The SKU and shard an object's name (`objectName`) names; null for a name that is not a shard's. */
export function shardOfObject(name: string | undefined): { sku: string; shard: number } | null {
  const m = name === undefined ? null : SHARD_OBJECT_NAME.exec(name);
  return m ? { sku: m[1]!, shard: Number(m[2]) } : null;
}

/**
 * Jump consistent hash (Lamping and Veach, 2014) of the customer id: every
 * hold of a customer goes to one shard, so per-customer limits stay exact in
 * one object, and a change of the shard count moves as few customers as it can.
 */
export function shardOf(customerId: string, shards: number): number {
  if (shards <= 1) return 0;
  let key = BigInt(fnv1a64(customerId));
  let b = -1;
  let j = 0;
  // At most about ln(shards) + a few rounds; bounded by the shard count anyway.
  for (let round = 0; j < shards && round <= MAX_SHARDS * 4; round++) {
    b = j;
    key = (key * 2862933555777941757n + 1n) & 0xffffffffffffffffn;
    j = Math.floor(((b + 1) * 2 ** 31) / (Number(key >> 33n) + 1));
  }
  return b;
}

function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

/**
 * Hold ids name their SKU and, on a sharded SKU, their shard:
 * `hold_<24 hex>_<sku>` or `hold_<24 hex>-<shard>_<sku>`.
 */
export const HOLD_ID_PATTERN = new RegExp(`^hold_[0-9a-f]{24}(?:-(${SHARD_INDEX}))?_([A-Za-z0-9][A-Za-z0-9._-]{0,63})$`);

/** Twelve hex digits of milliseconds end here (the year 10889). */
const HOLD_TIME_END_MS = 16 ** 12;

/**
 * A new hold's id: its creation time in milliseconds (12 hex digits, enough
 * until the year 10889), then 48 random bits. Time first, because the holds
 * table is keyed by id (WITHOUT ROWID): a new row goes at the end of the key
 * order, so the holds that one commit writes share a leaf page. With wholly
 * random ids each hold dirtied a page of its own, about a quarter of the
 * bytes a hold wrote (docs/bench-and-chaos.md). The id is no secret (only
 * its owner may act on a hold), and the time is the hold's `createdAt`.
 */
export function newHoldId(sku: string, shard: number | null, created_at_ms: number): string {
  // Anything else would make an id that HOLD_ID_PATTERN, and so every later call on the hold, refuses.
  if (!Number.isInteger(created_at_ms) || created_at_ms < 0 || created_at_ms >= HOLD_TIME_END_MS) {
    throw new RangeError(`a hold's creation time must be whole milliseconds in [0, 16^12), not ${created_at_ms}`);
  }
  return holdIdOf(created_at_ms.toString(16).padStart(12, "0") + randomHex(6), sku, shard);
}

/** The id a keyed hold's reply is found under: `digest` is 24 hex digits of its key (see keyDigest). */
export function keyedHoldId(sku: string, shard: number | null, digest: string): string {
  return holdIdOf(digest, sku, shard);
}

function holdIdOf(hex24: string, sku: string, shard: number | null): string {
  return shard === null ? `hold_${hex24}_${sku}` : `hold_${hex24}-${shard}_${sku}`;
}

/** The SKU and the shard (null: the SKU's own object) a hold id names, or null for an id that is not one. */
export function placeOfHold(holdId: string): { sku: string; shard: number | null } | null {
  const m = HOLD_ID_PATTERN.exec(holdId);
  if (!m) return null;
  return { sku: m[2]!, shard: m[1] === undefined ? null : Number(m[1]) };
}

/**
 * A stub of a SKU's (or shard's) object, typed by its binding rather than by
 * importing the class: the object is built from stock/, so stock/ naming it
 * back would close an import cycle.
 */
export type SkuStub = ReturnType<Env["SKU"]["getByName"]>;

/** The object that owns a hold. Callers have validated the id; a malformed one is a bug. */
export function holdStub(env: Env, holdId: string): SkuStub {
  const place = placeOfHold(holdId);
  if (!place) throw new Error(`not a hold id: ${holdId}`);
  return env.SKU.getByName(objectName(place.sku, place.shard));
}

/** The object that takes a customer's new holds on a SKU split into `shards`. */
export function customerStub(env: Env, sku: string, customerId: string, shards: number): SkuStub {
  return env.SKU.getByName(shards <= 1 ? sku : objectName(sku, shardOf(customerId, shards)));
}

/**
 * Location transfer ids (spec §11) name their SKU as hold ids do,
 * `ltr_<24 hex>_<sku>`, so a receipt or a cancel reaches the SKU's object
 * without an index. Both locations are in that one object.
 */
export const LOCATION_TRANSFER_ID_PATTERN = /^ltr_[0-9a-f]{24}_([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;

export function newLocationTransferId(sku: string): string {
  return `ltr_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}_${sku}`;
}

/** The SKU a location transfer id names, or null for an id that is not one. */
export function skuOfLocationTransfer(transferId: string): string | null {
  return LOCATION_TRANSFER_ID_PATTERN.exec(transferId)?.[1] ?? null;
}
