/**
 * A Bloom filter of the idempotency keys a SKU object accepted recently. The
 * object hands it to the edge with a sold-out verdict, so the edge can refuse
 * fresh keys itself (most of a stampede) and send only a possible retry of an
 * accepted key to the object, whose stored reply wins (spec §6). A
 * false positive costs one object call; there are no false negatives.
 */
export interface AcceptedKeys {
  /** Filter bits, base64. */
  bits: string;
  /** Number of bits (a multiple of 8). */
  m: number;
  /** Probes per key. */
  k: number;
}

/** About 1% false positives at ~9.6 bits and 7 probes per key. */
const BITS_PER_KEY = 10;
const PROBES = 7;
/** Small filters fill unevenly (a few keys can set half of 32 bits); 128 bytes keeps them near zero. */
const MIN_BITS = 1_024;
/** The filter of an object with no accepted key: matches nothing. */
export const NO_KEYS: AcceptedKeys = { bits: "AA==", m: 8, k: PROBES };
/**
 * The filter of an object with more accepted keys than one filter holds:
 * matches every key, so every keyed request reaches the object (a filter of
 * only the newest keys would refuse a retry of an older accepted one).
 */
export const ALL_KEYS: AcceptedKeys = { bits: "/w==", m: 8, k: 1 };

export function buildAcceptedKeys(keys: readonly string[]): AcceptedKeys {
  if (keys.length === 0) return NO_KEYS;
  const m = Math.max(MIN_BITS, Math.ceil((keys.length * BITS_PER_KEY) / 8) * 8);
  const bytes = new Uint8Array(m / 8);
  for (const key of keys) {
    for (const bit of probes(key, m, PROBES)) bytes[bit >>> 3]! |= 1 << (bit & 7);
  }
  return { bits: toBase64(bytes), m, k: PROBES };
}

/** A decoded filter; decode once per verdict, then test many keys. */
export function keyMatcher(filter: AcceptedKeys): (key: string) => boolean {
  const bytes = fromBase64(filter.bits);
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

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}
