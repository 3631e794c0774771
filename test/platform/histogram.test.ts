import { describe, expect, it } from "vitest";
import { Histogram, histogramSince, quantileMs } from "../../src/platform/histogram";

/** The alerts' arithmetic on the objects' hold service histograms (issue 21, src/metrics/slo.ts). */

const of = (...ms: number[]) => {
  const h = new Histogram();
  for (const v of ms) h.observe(v);
  return h.snapshot();
};

describe("quantileMs", () => {
  it("estimates as Prometheus's histogram_quantile: the rank's bucket, interpolated inside it", () => {
    // 19 at <= 1 ms, 1 in (120, 250]: the 95th percentile is the 19th observation, in the first bucket.
    expect(quantileMs(of(...Array(19).fill(1), 200), 0.95)).toBeCloseTo((0.95 * 20) / 19, 5);
    // Ten in (120, 250]: rank 9.5 of 10, 120 + 130 * 0.95.
    expect(quantileMs(of(...Array(10).fill(200)), 0.95)).toBeCloseTo(243.5, 5);
    // Past the last bound: the last bound.
    expect(quantileMs(of(9_000), 0.95)).toBe(2_500);
    expect(quantileMs(of(), 0.95)).toBeNull();
  });

  it("puts P95 above 120 ms exactly when more than 5 % of the holds took longer", () => {
    expect(quantileMs(of(...Array(95).fill(10), ...Array(5).fill(200)), 0.95)).toBeLessThanOrEqual(120);
    expect(quantileMs(of(...Array(94).fill(10), ...Array(6).fill(200)), 0.95)).toBeGreaterThan(120);
  });
});

describe("histogramSince", () => {
  it("subtracts an earlier snapshot, and reads a smaller count as a restart (all new)", () => {
    const h = new Histogram();
    h.observe(1);
    const before = h.snapshot();
    h.observe(200);
    h.observe(200);
    const since = histogramSince(h.snapshot(), before);
    expect(since.count).toBe(2);
    expect(quantileMs(since, 0.5)).toBeGreaterThan(120);
    const restarted = of(5);
    expect(histogramSince(restarted, h.snapshot())).toEqual(restarted);
    expect(histogramSince(restarted, null)).toEqual(restarted);
  });
});
