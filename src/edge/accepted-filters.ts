import { z } from "zod";
import { ALL_KEYS, NO_KEYS, keyMatcher, type AcceptedKeys } from "../idempotency/accepted-keys";
import type { AppContext } from "../http/context";
import { parseJsonOrNull } from "../platform/json";
import { Memo } from "../platform/memo";
import { callObject } from "../platform/object-call";
import { cacheKey } from "./cache";

/**
 * The accepted-key filters the sold-out cut uses (see AcceptedKeys), by the
 * object that gave them. A verdict names its filter's version; the edge cuts
 * a keyed hold only with the filter of exactly that version, which has every
 * key the object had accepted when it gave the verdict, so an accepted key is
 * never cut. Without it the request goes to the object, as it would with no
 * verdict. A version's filter never changes, so it is fetched from its object
 * once per isolate, or taken from the location's cache where another isolate
 * left it; a stampede's refusals and verdict writes carry only the version.
 */
const KIND = "accepted-keys";
/** A version's filter never changes: the cache keeps it this long for the location's other isolates. */
const FILTER_CACHE_SECONDS = 60;
/** A version the location's cache lacks is not asked for again this soon (its fetch is under way). */
const MISSING_MS = 250;
/** Objects whose filter this isolate keeps decoded (at 50,000 keys about 62 KB each). */
const HELD_MAX = 64;

type Matcher = (key: string) => boolean;
const FIXED = new Map<string, Matcher>([NO_KEYS, ALL_KEYS].map((f) => [f.version, keyMatcher(f)]));
const held = new Map<string, { version: string; matches: Matcher }>();
const missing = new Memo<true>(2_000);
const fetching = new Map<string, Promise<void>>();

/** The matcher of `holder`'s filter at exactly `version`, from this isolate or the location's cache; null: not here. */
export async function matcherOf(holder: string, version: string, now_ms = Date.now()): Promise<Matcher | null> {
  const fixed = FIXED.get(version);
  if (fixed) return fixed;
  const known = held.get(holder);
  if (known?.version === version) return known.matches;
  const id = `${holder}@${version}`;
  if (missing.get(id, now_ms)) return null;
  const hit = await caches.default.match(cacheKey(KIND, id));
  if (!hit) {
    missing.set(id, true, now_ms + MISSING_MS);
    return null;
  }
  const filter = await filterFrom(hit, version);
  return filter ? keep(holder, filter) : null;
}

/** A filter as the location's cache keeps it: its bits as the body, the rest in a header. */
export function filterResponse(filter: AcceptedKeys): Response {
  const { bits, ...shape } = filter;
  const headers = {
    "content-type": "application/octet-stream",
    "cache-control": `public, max-age=${FILTER_CACHE_SECONDS}`,
    [SHAPE_HEADER]: JSON.stringify(shape),
  };
  return new Response(bits, { headers });
}

/** The filter of exactly `version` in a cached response; null for another version or an unreadable entry. */
export async function filterFrom(res: Response, version: string): Promise<AcceptedKeys | null> {
  const shape = FilterShape.safeParse(parseJsonOrNull(res.headers.get(SHAPE_HEADER)));
  if (!shape.success || shape.data.version !== version) return null;
  return { ...shape.data, bits: new Uint8Array(await res.arrayBuffer()) };
}

/** A cached filter's body is its bits; its version, size and probes ride in this header. */
const SHAPE_HEADER = "holdfast-filter";
const FilterShape = z.object({ version: z.string(), m: z.number().int().positive(), k: z.number().int().positive() });

/**
 * After the object gave a verdict naming `version`: unless this isolate or
 * the location's cache has that filter, asks the object for its filter (one
 * call per object at a time; concurrent callers wait for the same one). It
 * may be newer than the verdict; it is kept under its own version and cuts
 * from the next verdict naming it. Never fails: without a filter there is no
 * cut, and the object's next verdict asks again.
 */
export function learnFilterOf(c: AppContext, holder: string, version: string): Promise<void> {
  if (FIXED.has(version) || held.get(holder)?.version === version) return Promise.resolve();
  const running = fetching.get(holder);
  if (running) return running;
  const learn = async () => {
    try {
      if (await matcherOf(holder, version)) return;
      const filter = await callObject(c.env, () => c.env.SKU.getByName(holder).acceptedKeysFilter());
      if (!filter) return;
      keep(holder, filter);
      if (FIXED.has(filter.version)) return;
      c.executionCtx.waitUntil(caches.default.put(cacheKey(KIND, `${holder}@${filter.version}`), filterResponse(filter)));
    } catch {
      // No filter, no cut: keyed holds keep going to the object.
    } finally {
      fetching.delete(holder);
    }
  };
  const started = learn();
  fetching.set(holder, started);
  return started;
}

function keep(holder: string, filter: AcceptedKeys): Matcher {
  const matches = keyMatcher(filter);
  if (held.size >= HELD_MAX && !held.has(holder)) held.delete(held.keys().next().value!);
  held.set(holder, { version: filter.version, matches });
  return matches;
}
