import { REFUSAL_COUNTER_PREFIX } from "../stock/stats";
import { histogramSamples, type Family } from "./exposition";
import type { MetricsSnapshot } from "./gather";

const HOLD_EVENTS = ["created", "released", "expired", "committed", "returned"] as const;

/**
 * The metric families of one scrape. Per-SKU families carry one `sku` label
 * (at most METRICS.skus_max SKUs: those of live sales) and refusals a `code`
 * from the API's fixed vocabulary, so cardinality is bounded.
 */
export function families(m: MetricsSnapshot): Family[] {
  const per = (pick: (s: MetricsSnapshot["skus"][number]) => number) => m.skus.map((s) => ({ labels: { sku: s.sku }, value: pick(s) }));
  const seconds = (at_ms: number | null) => (at_ms === null ? 0 : Math.max(0, (m.at_ms - at_ms) / 1000));
  return [
    {
      name: "holdfast_sku_available_units",
      help: "Units a shopper can hold now, per SKU of a live sale.",
      type: "gauge",
      samples: per((s) => s.metrics.levels.available),
    },
    {
      name: "holdfast_sku_reserved_units",
      help: "Units held or in checkout, per SKU of a live sale.",
      type: "gauge",
      samples: per((s) => s.metrics.levels.reserved),
    },
    {
      name: "holdfast_sku_sold_units",
      help: "Units sold and not returned, per SKU of a live sale.",
      type: "gauge",
      samples: per((s) => s.metrics.levels.sold),
    },
    {
      name: "holdfast_sku_holds_total",
      help: "Holds by what happened to them (created, released, expired, committed, returned), per SKU, since the SKU was created.",
      type: "counter",
      samples: m.skus.flatMap((s) =>
        HOLD_EVENTS.map((event) => ({ labels: { sku: s.sku, event }, value: s.metrics.counters[`holds_${event}`] ?? 0 })),
      ),
    },
    {
      name: "holdfast_sku_refusals_total",
      help: "Refusals the SKU's objects gave, by problem code (the edge's cached answers never reach them).",
      type: "counter",
      samples: m.skus.flatMap((s) =>
        Object.entries(s.metrics.counters)
          .filter(([name]) => name.startsWith(REFUSAL_COUNTER_PREFIX))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, value]) => ({ labels: { sku: s.sku, code: name.slice(REFUSAL_COUNTER_PREFIX.length) }, value })),
      ),
    },
    {
      name: "holdfast_invariant_violations_total",
      help: "Stock invariant violations caught and rolled back (spec §2): the oversell counter. Must stay 0; page at once if not.",
      type: "counter",
      samples: per((s) => s.metrics.counters.invariant_violations ?? 0),
    },
    {
      name: "holdfast_hold_service_seconds",
      help: "Time a SKU's object took to serve a hold request, as its instance measured it (resets when the instance restarts).",
      type: "histogram",
      samples: m.skus.flatMap((s) => histogramSamples({ sku: s.sku }, s.metrics.holdService)),
    },
    {
      name: "holdfast_sku_outbox_pending_events",
      help: "Audit events a SKU's objects have not shipped to D1 yet.",
      type: "gauge",
      samples: per((s) => s.metrics.outbox.pending),
    },
    {
      name: "holdfast_sku_view_lag_seconds",
      help: "Age of the oldest event not yet in D1 (audit log, inventory view): how far the D1 view trails the SKU; 0 when caught up.",
      type: "gauge",
      samples: per((s) => seconds(s.metrics.outbox.oldestAtMs)),
    },
    {
      name: "holdfast_metrics_skus_truncated",
      help: "1 when more SKUs are in live sales than one scrape exposes (100).",
      type: "gauge",
      samples: [{ value: m.skusTruncated ? 1 : 0 }],
    },
    {
      name: "holdfast_waiting_room_waiting",
      help: "Shoppers in a live sale's waiting room not yet admitted.",
      type: "gauge",
      samples: m.waitingRooms.map((w) => ({ labels: { sale: w.saleId }, value: w.waiting })),
    },
    {
      name: "holdfast_waiting_room_admitted_total",
      help: "Shoppers a live sale's waiting room has admitted.",
      type: "counter",
      samples: m.waitingRooms.map((w) => ({ labels: { sale: w.saleId }, value: w.admitted })),
    },
    {
      name: "holdfast_payment_attempts_5m",
      help: "Charge attempts started in the last five minutes (checkouts and pay-again), from the audit log.",
      type: "gauge",
      samples: [{ value: m.payments.attempts }],
    },
    {
      name: "holdfast_payment_failures_5m",
      help: "Charge attempts the provider declined or failed in the last five minutes, from the audit log.",
      type: "gauge",
      samples: [{ value: m.payments.failures }],
    },
    {
      name: "holdfast_order_outbox_pending",
      help: "Order queue messages written to D1 and not yet sent.",
      type: "gauge",
      samples: [{ value: m.orderOutbox.pending }],
    },
    {
      name: "holdfast_order_outbox_lag_seconds",
      help: "Age of the oldest order queue message not yet sent; 0 when none waits.",
      type: "gauge",
      samples: [{ value: seconds(m.orderOutbox.oldestAtMs) }],
    },
  ];
}
