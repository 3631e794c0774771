import { sha256Hex } from "../domain/canonical-json";

/**
 * The lottery's order (spec §9): a pseudorandom permutation of the entrants'
 * global indexes 0..n-1 keyed by the beacon's randomness, computable one
 * index at a time in both directions, so
 *   - the draw finds the entrant at places 0..k-1 in O(k) (the first
 *     admission needs only the top of the order, not every entrant's key), and
 *   - the edge finds a ticket's place from its index alone (a poll stays a
 *     read: no object is asked, whatever the line's length).
 * A Fisher-Yates shuffle gives the first, not the second (an entrant's place
 * is known only once the shuffle has reached it). Construction, as format-
 * preserving encryption does it (NIST SP 800-38G's FF1: a 10-round balanced
 * Feistel network, cycle-walking into the domain), with SHA-256 as the
 * round function so anyone recomputes it with a standard library:
 *   w = bits of n-1 (0 for n <= 1), h = max(1, ceil(w / 2)), mask = 2^h - 1
 *   F(r, x) = first 8 hex digits of sha256_hex(randomness + ":" + r + ":" + x), as an integer, & mask
 *   E(x): L = x >> h, R = x & mask; for r in 0..9: (L, R) = (R, L xor F(r, R)); result (L << h) | R
 *   place(j) = E(j), then E again while the result is >= n
 * E permutes 0..2^(2h)-1 (each round is invertible), and cycle-walking
 * restricts a permutation to 0..n-1 (2^(2h) < 4n, so under 4 steps on average).
 */
export const SHUFFLE_ROUNDS = 10;
/** Round-function values are cached per round up to this half width (n < 2^32): 10 tables of at most 64 Ki entries. */
const TABLE_BITS_MAX = 16;

export class DrawShuffle {
  private readonly h: number;
  private readonly mask: number;
  private readonly domain: number;
  private readonly tables: Int32Array[] | null;

  constructor(
    readonly randomness: string,
    readonly n: number,
  ) {
    let w = 0;
    while (2 ** w < n) w++;
    this.h = Math.max(1, Math.ceil(w / 2));
    this.mask = 2 ** this.h - 1;
    this.domain = 2 ** (2 * this.h);
    this.tables = this.h <= TABLE_BITS_MAX ? Array.from({ length: SHUFFLE_ROUNDS }, () => new Int32Array(2 ** this.h).fill(-1)) : null;
  }

  private f(round: number, x: number): number {
    const cached = this.tables?.[round]?.[x];
    if (cached !== undefined && cached >= 0) return cached;
    const v = Number.parseInt(sha256Hex(`${this.randomness}:${round}:${x}`).slice(0, 8), 16) % (this.mask + 1);
    if (this.tables) this.tables[round]![x] = v;
    return v;
  }

  private encrypt(x: number): number {
    let l = Math.floor(x / (this.mask + 1));
    let r = x % (this.mask + 1);
    for (let round = 0; round < SHUFFLE_ROUNDS; round++) [l, r] = [r, (l ^ this.f(round, r)) >>> 0];
    return l * (this.mask + 1) + r;
  }

  private decrypt(y: number): number {
    let l = Math.floor(y / (this.mask + 1));
    let r = y % (this.mask + 1);
    for (let round = SHUFFLE_ROUNDS - 1; round >= 0; round--) [l, r] = [(r ^ this.f(round, l)) >>> 0, l];
    return l * (this.mask + 1) + r;
  }

  /** The place (0: first) of the entrant with global index `index`. */
  placeOf(index: number): number {
    return walk(index, this.n, this.domain, (x) => this.encrypt(x));
  }

  /** The global index of the entrant at `place`: the inverse of placeOf. */
  entrantAt(place: number): number {
    return walk(place, this.n, this.domain, (x) => this.decrypt(x));
  }
}

/** Cycle-walking: the first image back inside 0..n-1. The cycle through x (< n) returns to x, so the loop ends within the domain's size. */
function walk(x: number, n: number, domain: number, step: (x: number) => number): number {
  if (!Number.isInteger(x) || x < 0 || x >= n) throw new RangeError(`index ${x} is outside 0..${n - 1}`);
  let y = step(x);
  for (let i = 0; y >= n && i < domain; i++) y = step(y);
  return y;
}

/** One permutation per (randomness, n) per isolate: the edge answers every poll of a draw from the same cached round values. */
let last: DrawShuffle | null = null;
export function drawShuffle(randomness: string, n: number): DrawShuffle {
  if (last?.randomness !== randomness || last.n !== n) last = new DrawShuffle(randomness, n);
  return last;
}
