/**
 * A Bloom filter of the idempotency keys a SKU object accepted recently. The
 * edge uses it with a sold-out verdict, so it can refuse fresh keys itself
 * (most of a stampede) and send only a possible retry of an accepted key to
 * the object, whose stored reply wins (spec §6). A false positive costs one
 * object call; there are no false negatives.
 *
 * At 50,000 keys the filter is about 62 KB, so it does not ride the
 * verdicts: a verdict names the filter's `version` (KeysVersion), and the edge
 * fetches the filter once per version (src/edge/accepted-filters.ts). A
 * version names one state of one filter, never reused (a random build id and
 * the keys added since), so the filter the edge holds for a verdict is the
 * object's filter as the verdict was given: it has every key accepted by then.
 */
export interface AcceptedKeys {
  /** Which state of which filter: the same version, the same bits. */
  version: string;
  /** Filter bits, as bytes: an RPC and the location's cache carry them as they are (base64 was a third more). */
  bits: Uint8Array;
  /** Number of bits (a multiple of 8). */
  m: number;
  /** Probes per key. */
  k: number;
}

/** What a verdict carries of the filter. */
export type KeysVersion = Pick<AcceptedKeys, "version">;

export function versionOf(filter: AcceptedKeys): KeysVersion {
  return { version: filter.version };
}

/** About 1% false positives at ~9.6 bits and 7 probes per key. */
const BITS_PER_KEY = 10;
const PROBES = 7;
/** Keys a filter takes beyond the ones it was sized for, as a factor, before it asks to be rebuilt. */
const CAPACITY_SLACK = 1.25;
/** Small filters fill unevenly (a few keys can set half of 32 bits); 128 bytes keeps them near zero. */
const MIN_BITS = 1_024;
/** The filter of an object with no accepted key: matches nothing. */
export const NO_KEYS: AcceptedKeys = { version: "none", bits: Uint8Array.of(0x00), m: 8, k: PROBES };
/**
 * The filter of an object with more accepted keys than one filter holds:
 * matches every key, so every keyed request reaches the object (a filter of
 * only the newest keys would refuse a retry of an older accepted one).
 */
export const ALL_KEYS: AcceptedKeys = { version: "all", bits: Uint8Array.of(0xff), m: 8, k: 1 };

/**
 * A filter that takes keys as they are accepted, in place: one key costs its
 * probes, and the filter is encoded again only when asked after a change.
 * Sized for `capacity` keys at BITS_PER_KEY; it takes up to CAPACITY_SLACK
 * times that before `add` says it is full (the false-positive rate then near
 * 2.3% rather than 1%), and its owner rebuilds it from the stored keys, bigger.
 */
export class GrowingKeyFilter {
  private encodedFilter: AcceptedKeys | null = null;
  private keys = 0;
  /** This build's, so another build of the same keys (another lifetime of the object) is another version. */
  private readonly build = crypto.randomUUID().slice(0, 13);
  private readonly bytes: Uint8Array;
  private readonly capacity: number;

  private constructor(bytes: Uint8Array, capacity: number) {
    this.bytes = bytes;
    this.capacity = capacity;
  }

  static of(keys: readonly string[], capacity: number): GrowingKeyFilter {
    const m = Math.max(MIN_BITS, Math.ceil((Math.max(capacity, keys.length) * BITS_PER_KEY) / 8) * 8);
    const filter = new GrowingKeyFilter(new Uint8Array(m / 8), Math.max(capacity, keys.length, MIN_BITS / BITS_PER_KEY));
    for (const key of keys) filter.set(key);
    return filter;
  }

  /** False, and unchanged, when full: the caller rebuilds it. */
  add(key: string): boolean {
    if (this.keys >= this.capacity * CAPACITY_SLACK) return false;
    this.set(key);
    this.encodedFilter = null;
    return true;
  }

  encoded(): AcceptedKeys {
    // A copy: the filter goes on taking keys in place, and this state is the version's.
    this.encodedFilter ??= { version: `${this.build}.${this.keys}`, bits: this.bytes.slice(), m: this.bytes.length * 8, k: PROBES };
    return this.encodedFilter;
  }

  private set(key: string): void {
    const m = this.bytes.length * 8;
    for (const bit of probes(key, m, PROBES)) this.bytes[bit >>> 3]! |= 1 << (bit & 7);
    this.keys += 1;
  }
}

/** A decoded filter; decode once per verdict, then test many keys. */
export function keyMatcher(filter: AcceptedKeys): (key: string) => boolean {
  const bytes = filter.bits;
  if (bytes.length * 8 !== filter.m) return () => true; // unreadable: send everything to the object
  return (key) => {
    for (const bit of probes(key, filter.m, filter.k)) if ((bytes[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    return true;
  };
}

/** Double hashing (Kirsch-Mitzenmacher) over two FNV-1a variants: k bit positions from two hashes. */
function* probes(key: string, m: number, k: number): Generator<number> {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  h1 >>>= 0;
  h2 = (h2 >>> 0) | 1;
  for (let i = 0; i < k; i++) yield ((h1 + Math.imul(i, h2)) >>> 0) % m;
}
