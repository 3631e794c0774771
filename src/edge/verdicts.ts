import { refuse, type Refusal } from "../domain/problems";
import type { SaleSummary, SkuStatus } from "../domain/types";
import type { AppContext } from "../http/context";
import { isVerdict, notOnSale, saleEnded, saleNotStarted, soldOut } from "../stock/offer";
import type { KeysVersion } from "../idempotency/accepted-keys";
import { learnFilterOf, matcherOf } from "./accepted-filters";
import { claimRenewal, lookup, store, ttlSeconds } from "./cache";
import { Memo } from "../platform/memo";
import { holdingObject, homeUnder, learnShards, type ShardCount } from "../stock/shards/hold-routing";

/**
 * The sold-out cut (spec §8): while the edge's cached state of a SKU
 * says no shopper can hold it (sold out, sale not started or ended, not on
 * sale, no such SKU), holds are refused here with the problem the object
 * would give. Only refusals that do not depend on the shopper qualify, and a
 * cached verdict lives no longer than the cache TTL, so stock that comes back
 * is offered again within it; the edge never grants anything.
 */

export interface PublicSkuView {
  status: SkuStatus;
  sale: SaleSummary | null;
}

/**
 * "No verdict here" is remembered briefly too, so a live sale's holds skip the
 * cache lookup; a verdict another isolate learns reaches this one within that
 * window (the object still refuses correctly meanwhile).
 */
const NO_VERDICT_MS = 250;
const noVerdict = new Memo<true>(2_000);

/** A cached refusal, and (when the object gave it) the version of its filter of accepted keys. */
type Verdict = Refusal & { acceptedKeys?: KeysVersion; count?: ShardCount };

/** Decoded verdicts by SKU, so a stampede does not parse one on every request. */
const decoded = new Map<string, { text: string; refusal: Refusal; count?: ShardCount; keysVersion: string | null }>();
const DECODED_MAX = 256;

/**
 * The refusal the edge answers for this hold itself, or null to ask the
 * object: the verdict the object or a public read left at this location,
 * unless the request may retry a hold the object accepted (its stored reply
 * wins, spec §6). `key` is the request's scoped Idempotency-Key.
 */
export async function edgeRefusal(sku: string, customerId: string, key: string | null, now_ms = Date.now()): Promise<Refusal | null> {
  // On a sharded SKU the verdict and its accepted keys are the customer's shard's.
  const holder = holdingObject(sku, customerId, now_ms);
  if (noVerdict.get(holder, now_ms)) return null;
  // The holding object's own verdict knows its accepted keys; a public read's (under the SKU) knows none.
  const own = await lookup("hold-verdict", holder, now_ms);
  // One request renews a verdict about to lapse (its refusal stores the next one); the rest are still cut by it.
  if (own && claimRenewal("hold-verdict", holder, own, now_ms)) return null;
  const source = own ? holder : sku;
  const entry = own ?? (holder === sku ? null : await lookup("hold-verdict", sku, now_ms));
  if (!entry) {
    noVerdict.set(holder, true, now_ms + NO_VERDICT_MS);
    return null;
  }
  const verdict = decode(source, entry.text);
  if (verdict.count) {
    // The object's count is news here too; a verdict of an object that is not this customer's home is not theirs.
    learnShards(sku, verdict.count, false, now_ms);
    if (homeUnder(sku, customerId, verdict.count.shards) !== holder) return null;
  }
  if (key === null) return verdict.refusal;
  // A verdict from a public read knows no keys: any keyed request may be a retry.
  if (verdict.keysVersion === null) return null;
  // Only the filter of the verdict's own version: it has every key accepted before the verdict.
  const accepted = await matcherOf(source, verdict.keysVersion, now_ms);
  return accepted && !accepted(key) ? verdict.refusal : null;
}

function decode(sku: string, text: string) {
  const known = decoded.get(sku);
  if (known?.text === text) return known;
  const { acceptedKeys, count, ...refusal } = JSON.parse(text) as Verdict;
  const fresh = { text, refusal, count, keysVersion: acceptedKeys?.version ?? null };
  if (decoded.size >= DECODED_MAX) decoded.clear();
  decoded.set(sku, fresh);
  return fresh;
}

/** A public read that shows no shopper can hold the SKU leaves the same verdict the object would give. */
export function rememberViewVerdict(c: AppContext, sku: string, view: PublicSkuView | null): void {
  const refusal = view === null ? refuse("not_found", "No such SKU.") : refusalFor(view);
  if (refusal) void rememberVerdict(c, sku, refusal);
}

/**
 * Remembers a shopper-independent refusal (with its accepted keys' version, if
 * the object gave it) for the cache TTL; resolves once this isolate holds the
 * filter it names (one object call per new version), so the next keyed hold
 * is cut as the refusal it follows was.
 */
export function rememberVerdict(c: AppContext, sku: string, refusal: Verdict): Promise<void> {
  const ttl = ttlSeconds(c.env);
  if (ttl <= 0 || !isVerdict(refusal.code)) return Promise.resolve();
  noVerdict.delete(sku);
  const entry = {
    status: 200,
    text: JSON.stringify(refusal),
    headers: { "content-type": "application/json" },
    expiresAtMs: Date.now() + ttl * 1000,
  };
  store(c, "hold-verdict", sku, entry, false);
  return refusal.acceptedKeys ? learnFilterOf(c, sku, refusal.acceptedKeys.version) : Promise.resolve();
}

/** A merchant change ended whatever verdict this isolate held. */
export function forgetVerdict(sku: string): void {
  noVerdict.delete(sku);
}

function refusalFor(view: PublicSkuView): Refusal | null {
  switch (view.status) {
    case "sold_out":
      return soldOut();
    case "upcoming":
      return view.sale ? saleNotStarted(view.sale) : null;
    case "ended":
      return view.sale ? saleEnded(view.sale) : null;
    case "off_sale":
      return notOnSale();
    default:
      return null;
  }
}
