import { envNumber } from "../../platform/env-number";
import type { Transfer } from "./transfers";
import type { LocationCopy } from "./located-escrow";

/**
 * The escrow's constants and the shapes of what its objects tell each other
 * (spec §8; the mechanism is ./escrow.ts). Shared with the bench, whose
 * simulation models the same policy.
 */

/** Bounds and pacing of the escrow (TIGER_STYLE: every loop and batch has one). */
export const ESCROW = {
  /** Transfers one alarm run re-delivers. */
  redeliver_max: 64,
  /** A grant gives at least what was asked and at most this many units. */
  grant_units_max: 5_000,
  /** Refill rounds one hold may wait through before it answers a transient 503. */
  reserve_rounds_max: 12,
  /** Credited grants whose acknowledgement one call to the pool carries. */
  acks_max: 64,
  /** Keys accepted before a change of the shard count that one object's edge filter carries (see Escrow.keysMovedHere). */
  moved_keys_max: 50_000,
} as const;

/**
 * What a shard tells the pool with each call: its pace (units it held in the
 * last half bound), and the grants it has credited since its last call,
 * which the pool may now post. Carrying the acknowledgement on the next call
 * halves the pool's calls per refill; a shard that never calls again (or
 * restarted and forgot) is covered by the pool's re-delivery.
 */
export interface ShardNews {
  paceUnits: number;
  credited: string[];
  /** The shard's epoch (changes of the shard count it has heard of): the pool re-pushes settings to a stale shard. */
  epoch?: number;
}

export const NO_NEWS: ShardNews = { paceUnits: 0, credited: [] };

/**
 * The pool's answer to a refill: a batch sent (on a located SKU with every
 * location the pool stocks), null (the SKU is out), "later" (siblings kept
 * units they are selling), or "elsewhere" (a located ask: none of the
 * locations that may serve the hold has a free unit in any object).
 */
export type Grant = (Transfer & { stocked?: LocationCopy[] }) | null | "later";
/** The pool's answer to a located shard's ask (see Grant). */
export type LocatedGrant = Grant | "elsewhere";
/** A shard's refill: units credited (0: the SKU is out), "later", or "elsewhere" (see Grant). */
export type Refilled = number | "later" | "elsewhere";
/** What a recall took back, and what the siblings kept at their pace. */
export interface Recalled {
  units: number;
  keptUnits: number;
}
/** A shard's answer to a recall: what it sent back (one transfer per location; none: nothing), and what it kept. */
export interface Surrendered {
  transfers: Transfer[];
  keptUnits: number;
}

/** SHARD_SOLD_OUT_BOUND_MS: how long a refusal may lag units coming back elsewhere. */
export function soldOutBoundMs(env: Env): number {
  return envNumber(env.SHARD_SOLD_OUT_BOUND_MS, 250);
}

/** The window a shard's pace is counted over: half the bound (see Escrow.pace). */
export function paceWindowMs(sold_out_bound_ms: number): number {
  return sold_out_bound_ms / 2;
}

/** How long a hold told "later" waits before it asks again: a quarter of the pace window, so a few asks span it. */
export function laterMs(sold_out_bound_ms: number): number {
  return paceWindowMs(sold_out_bound_ms) / 4;
}
