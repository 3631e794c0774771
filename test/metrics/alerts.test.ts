import { createExecutionContext, createScheduledController, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateSlos } from "../../src/metrics/alerts";
import type { Notification } from "../../src/notifications/messages";
import { OrderOutbox } from "../../src/orders/outbox";
import type { Histogram } from "../../src/platform/histogram";
import worker from "../../src/worker";
import type { ReceivedWebhook } from "../support/fake-merchant";
import { createSku, expectProblem, hold, placeOrder, putSale, shopperToken, unique, waitForStatus } from "../support/helpers";
import { corruptLiveUnits, skuStub } from "../support/inside-objects";
import { fakeQueue, flushOutbox } from "../support/outbox";
import { SUITE_WEBHOOK_PATH } from "../support/secrets";

/**
 * Issue 21: the alerts. Each objective is driven over its threshold and the
 * evaluation (what the every-minute cron runs) is watched through a recording
 * notifications queue: one `slo.breach` when it breaks, none while it stays
 * broken, one `slo.recovered` when it holds again. The tests share this
 * file's D1 (the alerts' state), so each first settles the state it starts from.
 */

const MINUTE_MS = 60_000;
type SloNotice = Extract<Notification, { type: "slo.breach" | "slo.recovered" }>;

/** One evaluation at `now_ms`; the notifications it queued about `slo`. */
async function evaluate(slo: string, now_ms: number, vars: Partial<Env> = {}): Promise<SloNotice[]> {
  const { queue, sent } = fakeQueue();
  await evaluateSlos({ ...env, ...vars }, now_ms, queue);
  return (sent as Notification[])
    .filter((n): n is SloNotice => n.type === "slo.breach" || n.type === "slo.recovered")
    .filter((n) => n.data.slo === slo);
}

/** Every live SKU this file made: the view-lag objective reads them all, so one test's unshipped events are another's lag. */
const liveSkus: string[] = [];

async function liveSku(stock = 20): Promise<string> {
  const sku = await createSku({ stock, alwaysOn: false });
  expect((await putSale(unique("slo"), [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 10 }])).status).toBe(201);
  liveSkus.push(sku);
  return sku;
}

describe("alert: invariant violations, at once", () => {
  it("sends one slo.breach for the minute a violation happened, none while more come, one slo.recovered after", async () => {
    const sku = await liveSku();
    expect((await hold(sku, unique("ann"), 1)).status).toBe(201);
    const t0 = Date.now();
    expect(await evaluate("invariant_violations", t0)).toEqual([]);

    await corruptLiveUnits(sku);
    expectProblem(await hold(sku, unique("bob"), 1), 500, "internal");
    const breach = await evaluate("invariant_violations", t0 + MINUTE_MS);
    expect(breach).toHaveLength(1);
    expect(breach[0]).toMatchObject({
      id: `slo:invariant_violations:${t0 + MINUTE_MS}:breach`,
      audience: "merchant",
      type: "slo.breach",
      data: { slo: "invariant_violations", value: 1, threshold: 0, detail: { skus: { [sku]: 1 } } },
    });

    // Another violation in the next minute: the same breach, not a new page.
    expectProblem(await hold(sku, unique("cy"), 1), 500, "internal");
    expect(await evaluate("invariant_violations", t0 + 2 * MINUTE_MS)).toEqual([]);
    // A quiet minute: recovered, naming when the breach began.
    const recovered = await evaluate("invariant_violations", t0 + 3 * MINUTE_MS);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ type: "slo.recovered", data: { breachedAtMs: t0 + MINUTE_MS, value: 0 } });
    expect(await evaluate("invariant_violations", t0 + 4 * MINUTE_MS)).toEqual([]);
  });

  it("reaches the merchant's webhook, signed, from the every-minute cron", async () => {
    const sku = await liveSku();
    const at = Date.now() + 10 * MINUTE_MS;
    await evaluate("invariant_violations", at - MINUTE_MS);
    await corruptLiveUnits(sku);
    expectProblem(await hold(sku, unique("dee"), 1), 500, "internal");
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env);
    const id = `slo:invariant_violations:${at}:breach`;
    let delivered: ReceivedWebhook[] = [];
    for (let i = 0; i < 100 && delivered.length === 0; i++) {
      const all = (await (await fetch(`https://merchant.test/__received?path=${SUITE_WEBHOOK_PATH}`)).json()) as ReceivedWebhook[];
      delivered = all.filter((w) => w.headers["webhook-id"] === id);
      if (delivered.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.verified).toBe(true);
    expect(JSON.parse(delivered[0]!.body)).toMatchObject({
      type: "slo.breach",
      data: { slo: "invariant_violations", detail: { skus: { [sku]: 1 } } },
    });
  });
});

describe("alert: hold service P95 over 120 ms for a minute", () => {
  it("judges the holds served since the last evaluation: one breach, none while slow, one recovery", async () => {
    const sku = await liveSku();
    expect((await hold(sku, unique("eve"), 1)).status).toBe(201);
    const t0 = Date.now();
    await evaluate("hold_p95", t0);
    // The object's own histogram is fed slow service times: the Workers clock moves only on I/O, so a test cannot make a hold slow.
    const slow = (ms: number, n: number) =>
      runInDurableObject(skuStub(sku), (o) => {
        const h = (o as unknown as { holdService: Histogram }).holdService;
        for (let i = 0; i < n; i++) h.observe(ms);
      });
    await slow(200, 10);
    expect((await hold(sku, unique("fay"), 1)).status).toBe(201);
    const breach = await evaluate("hold_p95", t0 + MINUTE_MS);
    expect(breach).toHaveLength(1);
    expect(breach[0]!.data).toMatchObject({ slo: "hold_p95", threshold: 120, unit: "ms", detail: { holds: 11 } });
    expect(breach[0]!.data.value).toBeGreaterThan(120);

    await slow(300, 5);
    expect(await evaluate("hold_p95", t0 + 2 * MINUTE_MS)).toEqual([]);
    // A minute of fast holds (95 % at or under 120 ms): recovered.
    await slow(10, 20);
    const recovered = await evaluate("hold_p95", t0 + 3 * MINUTE_MS);
    expect(recovered.map((n) => n.type)).toEqual(["slo.recovered"]);
    expect(recovered[0]!.data.value).toBeLessThanOrEqual(120);
  });

  it("takes its threshold from SLO_HOLD_P95_MS", async () => {
    const sku = await liveSku();
    const t0 = Date.now() + 20 * MINUTE_MS;
    await evaluate("hold_p95", t0, { SLO_HOLD_P95_MS: "400" });
    await runInDurableObject(skuStub(sku), (o) => (o as unknown as { holdService: Histogram }).holdService.observe(200));
    expect(await evaluate("hold_p95", t0 + MINUTE_MS, { SLO_HOLD_P95_MS: "400" })).toEqual([]);
  });
});

describe("alert: payment failures over 5 % of five minutes", () => {
  it("sends one breach once declines pass the share of attempts, and recovers when the window has none", async () => {
    const vars = { SLO_PAYMENT_MIN_ATTEMPTS: "3" };
    const sku = await liveSku();
    await evaluate("payment_failures", Date.now() + 30 * MINUTE_MS, vars);
    expect(await evaluate("payment_failures", Date.now(), vars)).toEqual([]);
    for (const who of ["gus", "hal", "ida"]) {
      const declined = await placeOrder(unique(who), sku, 1, "pm_card_chargeDeclined");
      await waitForStatus(declined.orderId, "payment_failed");
    }
    const t = Date.now();
    const breach = await evaluate("payment_failures", t, vars);
    expect(breach).toHaveLength(1);
    expect(breach[0]!.data).toMatchObject({ slo: "payment_failures", threshold: 0.05, unit: "ratio", detail: { failures: 3 } });
    expect(breach[0]!.data.value).toBeGreaterThan(0.05);
    expect(await evaluate("payment_failures", t + 1_000, vars)).toEqual([]);
    // Five minutes on, the window is empty.
    expect((await evaluate("payment_failures", t + 6 * MINUTE_MS, vars)).map((n) => n.type)).toEqual(["slo.recovered"]);
  });
});

describe("alert: view lag over five minutes", () => {
  it("pages when an order's queue message stays unsent past the bound, once, and recovers when it is sent", async () => {
    const sku = await liveSku();
    const customer = unique("jan");
    const h = await hold(sku, customer, 1);
    expect(h.status).toBe(201);
    // The payments queue is down while the order is placed: its job stays in the order outbox.
    const down = { ...env, PAYMENTS: fakeQueue({ fail: true }).queue } as Env;
    const res = await worker.fetch(
      new Request("https://holdfast.test/v1/checkout", {
        method: "POST",
        headers: { authorization: await shopperToken(customer), "content-type": "application/json", "idempotency-key": unique("k") },
        body: JSON.stringify({ holdIds: [h.body.holdId], paymentMethod: "pm_card_visa" }),
      }),
      down,
      createExecutionContext(),
    );
    expect(res.status).toBe(202);
    await flushOutbox(sku);
    await runDurableObjectAlarm(skuStub(sku));
    // Earlier tests' SKUs ship on their own alarms; on a loaded machine one may not have yet, and its older event would be the worst lag.
    for (const other of liveSkus) await flushOutbox(other);
    const t0 = Date.now();
    await evaluate("view_lag", t0);

    const breach = await evaluate("view_lag", t0 + 6 * MINUTE_MS);
    expect(breach).toHaveLength(1);
    expect(breach[0]!.data).toMatchObject({ slo: "view_lag", threshold: 300, unit: "seconds", detail: { source: "order_outbox" } });
    expect(breach[0]!.data.value).toBeGreaterThan(300);
    expect(await evaluate("view_lag", t0 + 7 * MINUTE_MS)).toEqual([]);

    // The sweep sends it (the queue is back): the lag is gone.
    expect(await new OrderOutbox(env).sweep(t0 + 8 * MINUTE_MS, 50)).toBeGreaterThanOrEqual(1);
    expect((await evaluate("view_lag", t0 + 8 * MINUTE_MS)).map((n) => n.type)).toEqual(["slo.recovered"]);
  });
});

describe("alert delivery", () => {
  it("owes a change the queue refused: the next evaluation sends it, same id, before the change that followed", async () => {
    const sku = await liveSku();
    const t0 = Date.now() + 40 * MINUTE_MS;
    await evaluate("invariant_violations", t0);
    await corruptLiveUnits(sku);
    expectProblem(await hold(sku, unique("kim"), 1), 500, "internal");
    await expect(evaluateSlos(env, t0 + MINUTE_MS, fakeQueue({ fail: true }).queue)).rejects.toThrow("queue unavailable");
    // A quiet minute later the breach is over, but it was never sent: both go out, in order, once.
    const owed = await evaluate("invariant_violations", t0 + 2 * MINUTE_MS);
    expect(owed.map((n) => n.id)).toEqual([
      `slo:invariant_violations:${t0 + MINUTE_MS}:breach`,
      `slo:invariant_violations:${t0 + MINUTE_MS}:recovered`,
    ]);
    expect(await evaluate("invariant_violations", t0 + 3 * MINUTE_MS)).toEqual([]);
  });
});
