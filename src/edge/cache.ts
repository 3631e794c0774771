import { sha256Hex } from "../domain/canonical-json";
import type { AppContext } from "../http/context";
import { Memo } from "../platform/memo";
import { envNumber } from "../platform/env-number";

/**
 * Public reads at the edge (spec §8), in two levels: this isolate's
 * memory, then the Workers Cache API of the location. A short-lived fresh
 * copy answers reads without waking the object; a longer-lived stale copy
 * answers them while the object is failing. Cache keys are synthetic URLs,
 * never the request itself, so headers cannot split or poison them.
 */
const CACHE_ORIGIN = "https://edge-cache.holdfast.internal";
/** How long a stale copy may stand in for a failing object. */
export const STALE_IF_ERROR_SECONDS = 60;
/** When the fresh copy stops counting, carried with it so the memory level never outlives it. */
const EXPIRES_HEADER = "holdfast-expires-at";
const MEMO_ENTRIES = 2_000;

export interface Entry {
  status: number;
  text: string;
  headers: Record<string, string>;
  expiresAtMs: number;
}

const memo = new Memo<Entry>(MEMO_ENTRIES);

/**
 * How long before a copy lapses one request of this isolate renews it (the
 * others are still answered from it): under a stampede a lapse would
 * otherwise send every request in flight to the object at once, about as
 * many object calls a second as there are concurrent shoppers.
 */
export const REFRESH_AHEAD_MS = 200;
/** Copies one request of this isolate is renewing, until the copy's own expiry. */
const renewing = new Memo<true>(MEMO_ENTRIES);

export function ttlSeconds(env: Env): number {
  return envNumber(env.EDGE_CACHE_TTL_SECONDS, 1);
}

export function cacheKey(kind: string, id: string, variant: "fresh" | "stale" = "fresh"): Request {
  return new Request(`${CACHE_ORIGIN}/${kind}/${encodeURIComponent(id)}/${variant}`);
}

/** The memory level's key: a string, since a Request per lookup was a visible share of a cached read's CPU. */
const memoKey = (kind: string, id: string) => `${kind}/${id}`;

/** The fresh entry for `kind/id` from memory or the location's cache, if any. */
export async function lookup(kind: string, id: string, now_ms = Date.now()): Promise<Entry | null> {
  const inMemory = remembered(kind, id, now_ms);
  if (inMemory) return inMemory;
  const hit = await caches.default.match(cacheKey(kind, id));
  // A request that answered while this one waited on the cache put its copy in memory first.
  if (!hit) return remembered(kind, id);
  // The location's cache may keep a copy past its expiry (max-age is whole seconds, and a purge
  // elsewhere does not reach it): the expiry stored with it decides.
  const expiresAtMs = Number(hit.headers.get(EXPIRES_HEADER));
  if (!(expiresAtMs > now_ms)) return remembered(kind, id);
  const headers = Object.fromEntries([...hit.headers].filter(([name]) => name !== EXPIRES_HEADER));
  const entry: Entry = { status: hit.status, text: await hit.text(), headers, expiresAtMs };
  memo.set(memoKey(kind, id), entry, expiresAtMs);
  return entry;
}

/**
 * Whether this request should renew `entry` (it is within REFRESH_AHEAD_MS of
 * lapsing and nobody here is renewing it yet) instead of answering from it.
 * True once per copy and isolate; the renewed copy's store ends it.
 */
export function claimRenewal(kind: string, id: string, entry: Entry, now_ms = Date.now()): boolean {
  if (entry.expiresAtMs - now_ms > REFRESH_AHEAD_MS) return false;
  const key = memoKey(kind, id);
  if (renewing.get(key, now_ms)) return false;
  renewing.set(key, true, entry.expiresAtMs);
  return true;
}

/** The fresh entry for `kind/id` in this isolate's memory only (no I/O), if any. */
export function remembered(kind: string, id: string, now_ms = Date.now()): Entry | null {
  return memo.get(memoKey(kind, id), now_ms) ?? null;
}

/** Stores a fresh entry (and, for views, a stale twin) in memory and in the location's cache. */
export function store(c: AppContext, kind: string, id: string, entry: Entry, withStale: boolean): void {
  memo.set(memoKey(kind, id), entry, entry.expiresAtMs);
  renewing.delete(memoKey(kind, id));
  const ttl = Math.max(1, Math.ceil((entry.expiresAtMs - Date.now()) / 1000));
  const put = (variant: "fresh" | "stale", max_age: number) =>
    caches.default.put(
      cacheKey(kind, id, variant),
      new Response(entry.text, {
        status: entry.status,
        headers: { ...entry.headers, [EXPIRES_HEADER]: String(entry.expiresAtMs), "cache-control": `public, max-age=${max_age}` },
      }),
    );
  c.executionCtx.waitUntil(Promise.all([put("fresh", ttl), ...(withStale ? [put("stale", STALE_IF_ERROR_SECONDS)] : [])]));
}

/** Forgets `kind/id` in this isolate and this location (a merchant changed it). */
export function forget(c: AppContext, kind: string, id: string): void {
  memo.delete(memoKey(kind, id));
  c.executionCtx.waitUntil(Promise.all([caches.default.delete(cacheKey(kind, id)), caches.default.delete(cacheKey(kind, id, "stale"))]));
}

export type Computed = { status: number; body: unknown; contentType?: string };

/**
 * Serves `kind/id` from the edge, or computes it, answers and stores it (200s
 * and 404s alike: a flood of reads for a missing SKU must not reach an object
 * either). Honours If-None-Match.
 */
export async function cachedPublic(c: AppContext, kind: string, id: string, compute: () => Promise<Computed>): Promise<Response> {
  const ttl = ttlSeconds(c.env);
  const now_ms = Date.now();
  const fresh = ttl > 0 ? await lookup(kind, id, now_ms) : null;
  if (fresh && !claimRenewal(kind, id, fresh, now_ms)) return conditional(c, fresh, "hit");

  let computed: Computed;
  try {
    computed = await compute();
  } catch (e) {
    // The renewal failed: the copy it was renewing is still fresh.
    if (fresh) return conditional(c, fresh, "hit");
    const stale = await caches.default.match(cacheKey(kind, id, "stale"));
    if (stale) {
      const headers = Object.fromEntries([...stale.headers].filter(([name]) => name !== EXPIRES_HEADER));
      return conditional(c, { status: stale.status, text: await stale.text(), headers, expiresAtMs: 0 }, "stale");
    }
    throw e;
  }
  const text = JSON.stringify(computed.body);
  const entry: Entry = {
    status: computed.status,
    text,
    headers: {
      "content-type": computed.contentType ?? "application/json",
      etag: `W/"${sha256Hex(text).slice(0, 32)}"`,
      "cache-control": ttl > 0 ? `public, max-age=${ttl}` : "no-store",
    },
    expiresAtMs: now_ms + ttl * 1000,
  };
  if (ttl > 0) store(c, kind, id, entry, true);
  return conditional(c, entry, "miss");
}

function conditional(c: AppContext, entry: Entry, state: "hit" | "miss" | "stale"): Response {
  const headers = new Headers(entry.headers);
  headers.set("holdfast-cache", state);
  if (state === "stale") headers.set("cache-control", "no-store");
  const etag = entry.headers.etag;
  if (etag && entry.status === 200 && c.req.header("if-none-match") === etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(entry.text, { status: entry.status, headers });
}
