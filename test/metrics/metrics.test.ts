import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, hold, paidOrder, placeOrder, putSale, shopperToken, unique, waitForStatus } from "../support/helpers";
import { parseExposition, sample } from "../support/prometheus";
import { endQueuedSalesAfterAll, liveQueuedSale } from "../support/queued-sales";

/** Issue 21: GET /metrics in the Prometheus text format, for the owner only, with each figure where its truth lives. */

const made = endQueuedSalesAfterAll();
const item = (sku: string) => ({ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 3 });
const scrape = () => call("/metrics", { auth: ADMIN });

describe("GET /metrics", () => {
  it("is the owner's: no credential is 401, a shopper 403", async () => {
    expect((await call("/metrics")).status).toBe(401);
    expect((await call("/metrics", { auth: await shopperToken("eve") })).status).toBe(403);
  });

  it("exposes a live sale's SKU: levels, holds, refusals, violations (0), hold service times, lag, in a valid exposition", async () => {
    const sku = await createSku({ stock: 10, alwaysOn: false });
    const saleId = unique("metrics");
    expect((await putSale(saleId, [item(sku)])).status).toBe(201);
    const ann = unique("ann");
    expect((await hold(sku, ann, 3)).status).toBe(201);
    expect((await hold(sku, ann, 1)).body.code).toBe("limit_exceeded");
    await paidOrder(unique("bob"), sku, 1);
    const declined = await placeOrder(unique("cy"), sku, 1, "pm_card_chargeDeclined");
    await waitForStatus(declined.orderId, "payment_failed");
    // An ended sale's SKU is not exposed: the families are bounded by the live sales.
    const old = await createSku({ stock: 1, alwaysOn: false });
    expect((await putSale(unique("over"), [item(old)], { startsInMs: -7_200_000, endsInMs: -3_600_000 })).status).toBe(201);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parseExposition(res.body as string);
    const at = (name: string, labels: Record<string, string> = {}) => sample(families, name, { sku, ...labels });
    expect(at("holdfast_sku_available_units")).toBe(5);
    expect(at("holdfast_sku_reserved_units")).toBe(4);
    expect(at("holdfast_sku_sold_units")).toBe(1);
    expect(at("holdfast_sku_holds_total", { event: "created" })).toBe(3);
    expect(at("holdfast_sku_holds_total", { event: "committed" })).toBe(1);
    expect(at("holdfast_sku_refusals_total", { code: "limit_exceeded" })).toBe(1);
    expect(at("holdfast_invariant_violations_total")).toBe(0);
    // Four hold requests reached the object (three holds, one refusal).
    expect(at("holdfast_hold_service_seconds_count")).toBe(4);
    expect(families.get("holdfast_hold_service_seconds")?.type).toBe("HISTOGRAM");
    expect(sample(families, "holdfast_sku_available_units", { sku: old })).toBeUndefined();
    expect(sample(families, "holdfast_payment_attempts_5m")).toBeGreaterThanOrEqual(2);
    expect(sample(families, "holdfast_payment_failures_5m")).toBeGreaterThanOrEqual(1);
    expect(sample(families, "holdfast_order_outbox_pending")).toBeGreaterThanOrEqual(0);

    // Shipped to D1, the SKU's view has no lag.
    await runDurableObjectAlarm(env.SKU.getByName(sku));
    const after = parseExposition((await scrape()).body as string);
    expect(sample(after, "holdfast_sku_outbox_pending_events", { sku })).toBe(0);
    expect(sample(after, "holdfast_sku_view_lag_seconds", { sku })).toBe(0);
  });

  it("exposes a queued live sale's waiting room", async () => {
    const sku = await createSku({ stock: 1, alwaysOn: false });
    const saleId = await liveQueuedSale(made, sku, "mq");
    for (const c of [unique("w1"), unique("w2"), unique("w3")]) {
      expect((await call(`/v1/sales/${saleId}/queue`, { auth: await shopperToken(c), body: {} })).status).toBeLessThan(300);
    }
    // The queue object counts its join shards' waiters when it ticks: tick until all three are counted.
    let families = parseExposition((await scrape()).body as string);
    for (let tick = 0; tick < 10 && sample(families, "holdfast_waiting_room_waiting", { sale: saleId }) !== 2; tick++) {
      await runDurableObjectAlarm(env.WAITING_ROOM.getByName(saleId));
      families = parseExposition((await scrape()).body as string);
    }
    expect(sample(families, "holdfast_waiting_room_waiting", { sale: saleId })).toBe(2);
    expect(sample(families, "holdfast_waiting_room_admitted_total", { sale: saleId })).toBe(1);
  });
});

describe("the exposition check", () => {
  it("rejects what Prometheus would: an unreadable line, an untyped family, buckets that shrink", () => {
    const ok =
      '# HELP h x\n# TYPE h histogram\nh_bucket{sku="a",le="0.1"} 1\nh_bucket{sku="a",le="+Inf"} 2\nh_sum{sku="a"} 0.3\nh_count{sku="a"} 2\n';
    expect(() => parseExposition(ok)).not.toThrow();
    expect(() => parseExposition("# HELP g x\n# TYPE g gauge\ng{sku=a} 1\n")).toThrow();
    expect(() => parseExposition("g 1\n")).toThrow();
    expect(() => parseExposition(ok.replace('le="+Inf"} 2', 'le="+Inf"} 0'))).toThrow();
    expect(() => parseExposition(ok.replace('h_count{sku="a"} 2', 'h_count{sku="a"} 3'))).toThrow();
  });
});
