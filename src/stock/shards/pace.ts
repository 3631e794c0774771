/** Buckets a pace window is cut into: memory stays this small whatever the rate. */
const PACE_BUCKETS = 8;

/**
 * A shard's pace: the units it held in the last `window_ms`, kept in memory
 * only. The escrow sizes refills by it and lets a shard keep that much in a
 * recall (see Escrow). Counted in PACE_BUCKETS buckets, so the window slides
 * in steps of window_ms / PACE_BUCKETS and a unit is forgotten up to one
 * step early. A restart forgets the pace, which errs toward smaller refills
 * and a fuller recall: the safe side for the sold-out bound.
 */
export class Pace {
  private readonly counts = new Array<number>(PACE_BUCKETS).fill(0);
  private readonly bucket_ms: number;
  /** Index (time / bucket_ms) of the newest bucket written. */
  private newest = 0;

  /** A window of 0 (no sold-out bound) counts nothing. */
  private readonly counting: boolean;

  constructor(window_ms: number) {
    this.counting = window_ms > 0;
    this.bucket_ms = Math.max(1, window_ms / PACE_BUCKETS);
  }

  add(units: number, now_ms: number): void {
    if (!this.counting) return;
    this.advance(now_ms);
    this.counts[this.newest % PACE_BUCKETS]! += units;
  }

  units(now_ms: number): number {
    this.advance(now_ms);
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /** Clears the buckets that slid out of the window since the last call (at most all of them). */
  private advance(now_ms: number): void {
    const index = Math.floor(now_ms / this.bucket_ms);
    if (index <= this.newest) return;
    const stale = Math.min(PACE_BUCKETS, index - this.newest);
    for (let i = 1; i <= stale; i++) this.counts[(this.newest + i) % PACE_BUCKETS] = 0;
    this.newest = index;
  }
}
