/**
 * A fixed-bucket histogram of durations, Prometheus-shaped (cumulative
 * `le` buckets, a sum and a count). Kept in memory by one object instance:
 * it restarts from zero when the instance does, which Prometheus's rate()
 * reads as a counter reset.
 */
export const SERVICE_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 120, 250, 500, 1_000, 2_500] as const;

export interface HistogramSnapshot {
  /** Upper bounds in ms, ascending; the last bucket (+Inf) is `count`. */
  bounds_ms: readonly number[];
  /** Observations at or below each bound (cumulative). */
  cumulative: number[];
  sum_ms: number;
  count: number;
}

export class Histogram {
  private readonly counts: number[];
  private sum_ms = 0;
  private count = 0;

  constructor(private readonly bounds_ms: readonly number[] = SERVICE_BUCKETS_MS) {
    this.counts = bounds_ms.map(() => 0);
  }

  observe(ms: number): void {
    const v = Math.max(0, ms);
    this.sum_ms += v;
    this.count += 1;
    const i = this.bounds_ms.findIndex((b) => v <= b);
    if (i >= 0) this.counts[i] = (this.counts[i] ?? 0) + 1;
  }

  snapshot(): HistogramSnapshot {
    let running = 0;
    const cumulative = this.counts.map((n) => (running += n));
    return { bounds_ms: this.bounds_ms, cumulative, sum_ms: this.sum_ms, count: this.count };
  }
}

/** Several instances' histograms (a SKU and its shards) as one: same bounds, counts added. */
export function addHistograms(all: ReadonlyArray<HistogramSnapshot | null>): HistogramSnapshot {
  const out: HistogramSnapshot = { bounds_ms: SERVICE_BUCKETS_MS, cumulative: SERVICE_BUCKETS_MS.map(() => 0), sum_ms: 0, count: 0 };
  for (const h of all) {
    if (!h) continue;
    h.cumulative.forEach((n, i) => {
      out.cumulative[i] = (out.cumulative[i] ?? 0) + n;
    });
    out.sum_ms += h.sum_ms;
    out.count += h.count;
  }
  return out;
}

/**
 * What `now` saw since `before` (an earlier snapshot of the same instances):
 * the counts subtracted bucket by bucket. A count lower than before means an
 * instance restarted from zero, so all it holds now is new (Prometheus's
 * counter-reset rule).
 */
export function histogramSince(now: HistogramSnapshot, before: HistogramSnapshot | null): HistogramSnapshot {
  if (!before || now.count < before.count) return now;
  return {
    bounds_ms: now.bounds_ms,
    cumulative: now.cumulative.map((n, i) => n - (before.cumulative[i] ?? 0)),
    sum_ms: now.sum_ms - before.sum_ms,
    count: now.count - before.count,
  };
}

/**
 * The q-quantile in ms as Prometheus's `histogram_quantile` estimates it: the
 * bucket holding the rank, interpolated linearly inside it; past the last
 * bound, the last bound. Null without observations.
 */
export function quantileMs(h: HistogramSnapshot, q: number): number | null {
  if (h.count <= 0) return null;
  const rank = q * h.count;
  for (let i = 0; i < h.bounds_ms.length; i++) {
    const upto = h.cumulative[i] ?? 0;
    if (upto < rank) continue;
    const below = i === 0 ? 0 : (h.cumulative[i - 1] ?? 0);
    const lower_ms = i === 0 ? 0 : (h.bounds_ms[i - 1] ?? 0);
    const upper_ms = h.bounds_ms[i] ?? lower_ms;
    return upto === below ? upper_ms : lower_ms + ((upper_ms - lower_ms) * (rank - below)) / (upto - below);
  }
  return h.bounds_ms[h.bounds_ms.length - 1] ?? null;
}
