import { sha256Hex } from "../domain/canonical-json";
import type { AppContext } from "../http/context";

/**
 * Public reads through the Workers Cache API (SPEC section 8): a short-lived
 * fresh copy answers reads without waking the object, and a longer-lived
 * stale copy answers them while the object is failing. Cache keys are
 * synthetic URLs, never the request itself, so headers cannot split or poison them.
 */
const CACHE_ORIGIN = "https://edge-cache.holdfast.internal";
/** How long a stale copy may stand in for a failing object. */
export const STALE_IF_ERROR_SECONDS = 60;

export function ttlSeconds(env: Env): number {
  const ttl = Number(env.EDGE_CACHE_TTL_SECONDS);
  return Number.isFinite(ttl) && ttl >= 0 ? ttl : 1;
}

export function cacheKey(kind: string, id: string, variant: "fresh" | "stale" = "fresh"): Request {
  return new Request(`${CACHE_ORIGIN}/${kind}/${encodeURIComponent(id)}/${variant}`);
}

export type Computed = { status: number; body: unknown; contentType?: string };

/**
 * Serves `kind/id` from the edge cache, or computes it, answers and stores it
 * (200s and 404s alike: a flood of reads for a missing SKU must not reach an
 * object either). Honours If-None-Match.
 */
export async function cachedPublic(c: AppContext, kind: string, id: string, compute: () => Promise<Computed>): Promise<Response> {
  const ttl = ttlSeconds(c.env);
  const cache = caches.default;
  const fresh = ttl > 0 ? await cache.match(cacheKey(kind, id)) : undefined;
  if (fresh) return conditional(c, fresh, "hit");

  let computed: Computed;
  try {
    computed = await compute();
  } catch (e) {
    const stale = await cache.match(cacheKey(kind, id, "stale"));
    if (stale) return conditional(c, stale, "stale");
    throw e;
  }
  const text = JSON.stringify(computed.body);
  const headers = {
    "content-type": computed.contentType ?? "application/json",
    etag: `W/"${(await sha256Hex(text)).slice(0, 32)}"`,
    "cache-control": ttl > 0 ? `public, max-age=${ttl}` : "no-store",
  };
  if (ttl > 0) {
    const store = Promise.all([
      cache.put(cacheKey(kind, id), new Response(text, { status: computed.status, headers })),
      cache.put(
        cacheKey(kind, id, "stale"),
        new Response(text, { status: computed.status, headers: { ...headers, "cache-control": `public, max-age=${STALE_IF_ERROR_SECONDS}` } }),
      ),
    ]);
    c.executionCtx.waitUntil(store);
  }
  return conditional(c, new Response(text, { status: computed.status, headers }), "miss");
}

/** Reads a cached JSON body if one is fresh, without computing anything. */
export async function peekPublic<T>(kind: string, id: string): Promise<{ status: number; body: T } | null> {
  const hit = await caches.default.match(cacheKey(kind, id));
  return hit ? { status: hit.status, body: (await hit.json()) as T } : null;
}

function conditional(c: AppContext, res: Response, state: "hit" | "miss" | "stale"): Response {
  const etag = res.headers.get("etag");
  const headers = new Headers(res.headers);
  headers.set("holdfast-cache", state);
  if (state === "stale") headers.set("cache-control", "no-store");
  if (etag && res.status === 200 && c.req.header("if-none-match") === etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(res.body, { status: res.status, headers });
}
