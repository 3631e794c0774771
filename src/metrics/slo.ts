import { z } from "zod";
import { envNumber } from "../platform/env-number";
import { addHistograms, histogramSince, quantileMs } from "../platform/histogram";
import type { MetricsSnapshot } from "./gather";

/**
 * The service-level objectives an on-call engineer is paged on (issue 21),
 * judged from one metrics snapshot (./gather.ts) and what the previous
 * evaluation remembered. Pure: ./alerts.ts keeps the state and sends.
 */
export const SLO_NAMES = ["hold_p95", "payment_failures", "invariant_violations", "view_lag"] as const;
export type SloName = (typeof SLO_NAMES)[number];

export interface SloConfig {
  /** Page when the hold service P95 of the last minute is above this. */
  hold_p95_ms: number;
  /** Page when failed charges are above this share of the attempts of the last five minutes... */
  payment_failure_ratio: number;
  /** ...and there were at least this many attempts (one declined card among three is not an outage). */
  payment_min_attempts: number;
  /** Page when the D1 view (SKU outboxes) or the order outbox trails by more than this. */
  view_lag_ms: number;
}

/** The thresholds from wrangler.toml's [vars]; a missing or malformed value takes the seed design's default. */
export function sloConfig(
  env: Partial<Pick<Env, "SLO_HOLD_P95_MS" | "SLO_PAYMENT_FAILURE_PERCENT" | "SLO_PAYMENT_MIN_ATTEMPTS" | "SLO_VIEW_LAG_SECONDS">>,
): SloConfig {
  return {
    hold_p95_ms: envNumber(env.SLO_HOLD_P95_MS, 120, { min: 1 }),
    payment_failure_ratio: envNumber(env.SLO_PAYMENT_FAILURE_PERCENT, 5, { min: 0, max: 100 }) / 100,
    payment_min_attempts: envNumber(env.SLO_PAYMENT_MIN_ATTEMPTS, 20, { min: 1, integer: true }),
    view_lag_ms: envNumber(env.SLO_VIEW_LAG_SECONDS, 300, { min: 1 }) * 1000,
  };
}

/** What a rule remembers for the next evaluation: cumulative figures per SKU, to take differences from. */
const HistogramMemory = z.record(z.string(), z.object({ cumulative: z.array(z.number()), sum_ms: z.number(), count: z.number() }));
const CountMemory = z.record(z.string(), z.number());

export interface SloReading {
  slo: SloName;
  breached: boolean;
  value: number;
  threshold: number;
  unit: "ms" | "ratio" | "violations" | "seconds";
  detail: Record<string, unknown>;
  /** Kept for the next evaluation (JSON), null when the rule needs nothing. */
  memory: unknown;
}

/**
 * Each objective read from `m`, given what each rule remembered from the
 * previous evaluation (undefined: the first, or unreadable: judged as the first).
 */
export function readSlos(m: MetricsSnapshot, remembered: Partial<Record<SloName, unknown>>, cfg: SloConfig): SloReading[] {
  const hold = HistogramMemory.safeParse(remembered.hold_p95);
  const violations = CountMemory.safeParse(remembered.invariant_violations);
  return [
    holdP95(m, hold.success ? hold.data : null, cfg),
    paymentFailures(m, cfg),
    invariantViolations(m, violations.success ? violations.data : null),
    viewLag(m, cfg),
  ];
}

/**
 * The P95 of the holds served since the previous evaluation (the cron's
 * minute), all live SKUs together as the dashboard's PromQL sums them. The
 * first evaluation has nothing to subtract and judges nothing.
 */
function holdP95(m: MetricsSnapshot, previous: z.infer<typeof HistogramMemory> | null, cfg: SloConfig): SloReading {
  const memory = Object.fromEntries(
    m.skus.map(({ sku, metrics: { holdService: h } }) => [sku, { cumulative: h.cumulative, sum_ms: h.sum_ms, count: h.count }]),
  );
  const base = { slo: "hold_p95", threshold: cfg.hold_p95_ms, unit: "ms", memory } as const;
  if (!previous) return { ...base, breached: false, value: 0, detail: { holds: 0, note: "first evaluation" } };
  const window = addHistograms(
    m.skus.map((s) => {
      const was = previous[s.sku];
      return histogramSince(s.metrics.holdService, was ? { ...was, bounds_ms: s.metrics.holdService.bounds_ms } : null);
    }),
  );
  const p95 = quantileMs(window, 0.95);
  return { ...base, breached: p95 !== null && p95 > cfg.hold_p95_ms, value: round(p95 ?? 0), detail: { holds: window.count } };
}

function paymentFailures(m: MetricsSnapshot, cfg: SloConfig): SloReading {
  const { attempts, failures, window_ms } = m.payments;
  const ratio = attempts > 0 ? failures / attempts : 0;
  return {
    slo: "payment_failures",
    breached: attempts >= cfg.payment_min_attempts && ratio > cfg.payment_failure_ratio,
    value: round(ratio),
    threshold: cfg.payment_failure_ratio,
    unit: "ratio",
    detail: { attempts, failures, window_ms, min_attempts: cfg.payment_min_attempts },
    memory: null,
  };
}

/**
 * Any violation since the previous evaluation. The counters are lifetime
 * counts: with no memory (the first evaluation) every one counts as new, so
 * a violation from before the alerts existed is paged once.
 */
function invariantViolations(m: MetricsSnapshot, before: Record<string, number> | null): SloReading {
  const skus: Record<string, number> = {};
  const memory: Record<string, number> = {};
  for (const s of m.skus) {
    const now = s.metrics.counters.invariant_violations ?? 0;
    memory[s.sku] = now;
    const was = before?.[s.sku] ?? 0;
    // A lower count than remembered cannot come from the object (it never forgets): read it as all new.
    const fresh = now >= was ? now - was : now;
    if (fresh > 0) skus[s.sku] = fresh;
  }
  const total = Object.values(skus).reduce((n, v) => n + v, 0);
  return { slo: "invariant_violations", breached: total > 0, value: total, threshold: 0, unit: "violations", detail: { skus }, memory };
}

/** The worst lag: a SKU's oldest unshipped audit event, or the oldest unsent order message. */
function viewLag(m: MetricsSnapshot, cfg: SloConfig): SloReading {
  const ages = [
    ...m.skus.map((s) => ({ source: `sku:${s.sku}`, at: s.metrics.outbox.oldestAtMs })),
    { source: "order_outbox", at: m.orderOutbox.oldestAtMs },
  ].flatMap(({ source, at }) => (at === null ? [] : [{ source, lag_ms: Math.max(0, m.at_ms - at) }]));
  const worst = ages.reduce<{ source: string; lag_ms: number } | null>((w, a) => (w && w.lag_ms >= a.lag_ms ? w : a), null);
  const lag_ms = worst?.lag_ms ?? 0;
  return {
    slo: "view_lag",
    breached: lag_ms > cfg.view_lag_ms,
    value: round(lag_ms / 1000),
    threshold: cfg.view_lag_ms / 1000,
    unit: "seconds",
    detail: { source: worst?.source ?? null },
    memory: null,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
