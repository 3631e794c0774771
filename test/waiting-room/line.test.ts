import { describe, expect, it } from "vitest";
import { LINE_MARKS_MAX, markPlace, mergeLines, positionIn, sampleStride, type LineMark } from "../../src/waiting-room/line";
import { arrivalPlace, drawPlace } from "../../src/waiting-room/place";

/** A join shard's sample, as its query takes it: every stride-th place beyond the frontier, and the last, with their ranks. */
function sampleOf(places: string[], frontier: string | null): LineMark[] {
  const beyond = places.filter((p) => p > (frontier ?? "")).sort();
  const stride = sampleStride(beyond.length);
  return beyond.flatMap((place, i) =>
    (i + 1) % stride === 0 || i + 1 === beyond.length ? [{ place: markPlace(place), count: i + 1 }] : [],
  );
}

/** Deterministic arrivals: `n` customers over `span_ms`, spread over `shards` join shards by index. */
function line(n: number, shards: number, span_ms: number) {
  const t0 = 1_800_000_000_000;
  const places = Array.from({ length: n }, (_, i) =>
    arrivalPlace(t0 + Math.floor((i * span_ms) / n) + ((i * 7919) % 13), `cust-${i}`),
  ).sort();
  const byShard = Array.from({ length: shards }, () => [] as string[]);
  for (const [i, p] of places.entries()) byShard[(i * 2654435761) % shards]!.push(p);
  return { places, byShard };
}

describe("a waiter's position in line", () => {
  it("is exact while every shard's line fits its sample", () => {
    const { places, byShard } = line(40, 3, 4_000);
    const frontier = places[9]!;
    const merged = mergeLines(byShard.map((p) => sampleOf(p, frontier)));
    const waiting = places.length - 10;
    for (const [i, place] of places.slice(10).entries()) expect(positionIn(merged, frontier, place, waiting)).toBe(i + 1);
  });

  it("stays within a few percent of the line on 10,000 waiters over 16 shards, with the published marks bounded", () => {
    const { places, byShard } = line(10_000, 16, 60_000);
    const frontier = places[999]!;
    const merged = mergeLines(byShard.map((p) => sampleOf(p, frontier)));
    expect(merged.length).toBeLessThanOrEqual(LINE_MARKS_MAX);
    // The last mark counts the whole line beyond the frontier.
    expect(merged[merged.length - 1]!.count).toBe(9_000);
    const waiting = 9_000;
    let worst = 0;
    places.slice(1_000).forEach((place, i) => {
      const position = positionIn(merged, frontier, place, waiting)!;
      expect(position).toBeGreaterThanOrEqual(1);
      expect(position).toBeLessThanOrEqual(waiting);
      worst = Math.max(worst, Math.abs(position - (i + 1)));
    });
    expect(worst / waiting).toBeLessThan(0.03);
  });

  it("counts from the frontier the marks were not sampled after, and never says less than 1", () => {
    const { places, byShard } = line(100, 2, 10_000);
    // Sampled before a tick admitted 20 more: the position counts from the new frontier.
    const merged = mergeLines(byShard.map((p) => sampleOf(p, places[9]!)));
    expect(positionIn(merged, places[29]!, places[30]!, 70)).toBe(1);
    expect(positionIn(merged, places[29]!, places[99]!, 70)).toBe(70);
    expect(positionIn(merged, places[29]!, places[20]!, 70)).toBe(1);
    expect(positionIn([], null, places[0]!, 5)).toBeNull();
  });

  it("puts a waiter who joined after the last sample behind everyone sampled", () => {
    const { places, byShard } = line(50, 3, 5_000);
    const merged = mergeLines(byShard.map((p) => sampleOf(p, places[9]!)));
    const late = arrivalPlace(1_900_000_000_000, "late");
    expect(positionIn(merged, places[9]!, late, 40)).toBe(41);
    expect(positionIn(merged, places[9]!, places[49]!, 40)).toBe(40);
  });

  it("publishes no customer id: a mark keeps only the ordering part of a place", () => {
    expect(markPlace(arrivalPlace(1_800_000_000_123, "alice@example.com"))).toBe("1:001800000000123:");
    expect(markPlace(drawPlace(123))).toBe("0:0000000000000123");
  });
});
