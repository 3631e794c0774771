import type { BenchContext } from "./context.ts";
import { makeCustomers, type Shopper } from "./tokens.ts";

/**
 * Phase 9: a stampede on a sale with a waiting room (spec §9). Thousands of
 * shoppers join in bursts against a few hundred units and poll at the pace
 * the answers ask for; admitted shoppers hold and pay, except a share who
 * abandon their admission (it lapses after `admitSeconds` and the next waiter
 * is admitted). Measures what issue 9 names: admissions after sold-out,
 * units left unsold while shoppers waited past the bound, FIFO rank
 * correlation, object calls per 1,000 polls, oversell, and how long after the
 * last sale every waiter saw `sold_out`.
 */
export interface QueueBenchResult {
  shoppers: number;
  units: number;
  admitted: number;
  abandoned: number;
  paid: number;
  polls: number;
  admittedAfterSoldOut: number;
  unitsUnsoldWhileWaiting: number;
  fifoRankCorrelation: number;
  queuePollObjectCallsPer1k: number;
  oversell: number;
  soldOutVisibleMs: number | null;
  durationS: number;
  accountingOk: boolean;
}

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

const ADMIT_SECONDS = 60;
/** Units may sit unsold while shoppers wait for at most this long (an admission's lapse plus polling and a tick). */
const UNSERVED_BOUND_MS = (ADMIT_SECONDS + 6) * 1000;
const IN_FLIGHT_MAX = 96;
const RUN_MAX_MS = 360_000;

interface Waiter {
  shopper: Shopper;
  ticket: string;
  arrivalMs: number;
  nextPollMs: number;
  state: "waiting" | "admitted" | "done";
  admittedAtMs: number | null;
  sawSoldOutMs: number | null;
  abandons: boolean;
}

function claimsOf(token: string): Record<string, number> {
  return JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8"));
}

/**
 * Goodman and Kruskal's gamma: (concordant - discordant) / (concordant + discordant)
 * pairs. Shoppers admitted in the same move of the frontier share an admission
 * time; such ties are neither, so a run in perfect arrival order scores 1 however
 * coarse the batches (Spearman's rho would count the batches as disorder).
 */
export function rankCorrelation(xs: readonly number[], ys: readonly number[]): number {
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const s = Math.sign(xs[i]! - xs[j]!) * Math.sign(ys[i]! - ys[j]!);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
    }
  }
  return concordant + discordant === 0 ? 1 : (concordant - discordant) / (concordant + discordant);
}

export async function runQueueStampede(ctx: BenchContext, sku: string, saleId: string): Promise<QueueBenchResult> {
  const shoppersN = num("BENCH_QUEUE_SHOPPERS", 5_000);
  const units = num("BENCH_QUEUE_UNITS", 300);
  const abandonShare = 0.3;
  const { baseUrl, api } = ctx;
  const started = Date.now();
  await api.createSku(sku);
  await api.restock(sku, units);
  await api.createSale(saleId, {
    name: "Queued bench sale",
    startsAt: new Date(Date.now() - 1_000).toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    items: [{ sku, price: { amount: 1000, currency: "usd" }, perCustomerLimit: 1, holdSeconds: 60 }],
    queue: { mode: "fifo", admitSeconds: ADMIT_SECONDS },
  });

  const shoppers = makeCustomers(shoppersN, ctx.shopperSecret, "bench-queue-");
  let inFlight = 0;
  const slots: Array<() => void> = [];
  const limited = async <T>(fn: () => Promise<T>): Promise<T> => {
    while (inFlight >= IN_FLIGHT_MAX) await new Promise<void>((r) => slots.push(r));
    inFlight++;
    try {
      return await fn();
    } finally {
      inFlight--;
      slots.shift()?.();
    }
  };
  const json = async (path: string, shopper: Shopper, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    limited(async () => {
      const res = await fetch(`${baseUrl}${path}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers: {
          authorization: shopper.authorization,
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 500)}`);
      }
      return { status: res.status, cache: res.headers.get("holdfast-cache"), body };
    });

  const waiters: Waiter[] = [];
  // Joins in five bursts, while the shoppers who joined already poll.
  const bursts = 5;
  let joining = true;
  const joinAll = async () => {
    for (let b = 0; b < bursts; b++) {
      const slice = shoppers.slice((b * shoppersN) / bursts, ((b + 1) * shoppersN) / bursts);
      const joined = await Promise.all(slice.map((s) => json(`/v1/sales/${saleId}/queue`, s, { body: {} })));
      joined.forEach((j, i) => {
        if (j.status !== 200) throw new Error(`join returned ${j.status}: ${JSON.stringify(j.body)}`);
        waiters.push({
          shopper: slice[i]!,
          ticket: j.body.ticket,
          arrivalMs: claimsOf(j.body.ticket).a!,
          nextPollMs: Date.now() + j.body.retryAfterSeconds * 1000,
          state: "waiting",
          admittedAtMs: null,
          sawSoldOutMs: null,
          abandons: Math.random() < abandonShare,
        });
      });
      ctx.progress(`  burst ${b + 1}/${bursts}: ${waiters.length} joined`);
      await new Promise((r) => setTimeout(r, 300));
    }
    joining = false;
  };

  const joined = joinAll();
  // Awaited after the loop; this keeps a failed join from counting as unhandled meanwhile.
  joined.catch(() => undefined);
  let polls = 0;
  let misses = 0;
  let paid = 0;
  let lastSaleMs = 0;
  let abandoned = 0;
  const pending: Array<Promise<void>> = [];
  const buy = async (w: Waiter, token: string) => {
    const h = await json(`/v1/skus/${sku}/holds`, w.shopper, {
      body: { quantity: 1 },
      headers: { "holdfast-admission": token, "idempotency-key": crypto.randomUUID() },
    });
    if (h.status !== 201) return;
    const o = await json("/v1/checkout", w.shopper, {
      body: { holdIds: [h.body.holdId], paymentMethod: "pm_card_visa" },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    if (o.status !== 202) return;
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const got = await json(`/v1/orders/${o.body.orderId}`, w.shopper);
      if (got.body.status === "paid") {
        paid++;
        lastSaleMs = Math.max(lastSaleMs, Date.parse(got.body.updatedAt));
        return;
      }
      if (got.body.status !== "pending_payment") return;
    }
  };

  // Units unsold while shoppers waited: sampled, counted once the state lasted past the bound.
  let unservedSinceMs: number | null = null;
  let unitsUnsoldWhileWaiting = 0;
  const sample = async () => {
    const levels = await api.levels(sku);
    const waiting = waiters.filter((w) => w.state === "waiting").length;
    const admittedUnused = waiters.filter((w) => w.state === "admitted").length;
    const unserved = Math.min(waiting, levels.available - admittedUnused);
    if (unserved > 0) {
      unservedSinceMs ??= Date.now();
      if (Date.now() - unservedSinceMs > UNSERVED_BOUND_MS) unitsUnsoldWhileWaiting = Math.max(unitsUnsoldWhileWaiting, unserved);
    } else {
      unservedSinceMs = null;
    }
  };

  const deadline = started + RUN_MAX_MS;
  let lastSampleMs = 0;
  while ((joining || waiters.some((w) => w.state !== "done")) && Date.now() < deadline && !ctx.signal.aborted) {
    const now = Date.now();
    if (now - lastSampleMs > 500) {
      lastSampleMs = now;
      await sample();
    }
    const due = waiters.filter((w) => w.state !== "done" && w.nextPollMs <= now);
    await Promise.all(
      due.map(async (w) => {
        const p = await json(`/v1/sales/${saleId}/queue/${w.ticket}`, w.shopper);
        polls++;
        if (p.cache === "miss") misses++;
        w.nextPollMs = Date.now() + Math.max(1, p.body.retryAfterSeconds) * 1000;
        const status = p.body.status as string;
        if (status === "sold_out" || status === "closed") {
          w.sawSoldOutMs ??= Date.now();
          w.state = "done";
          return;
        }
        if (status === "admitted" && w.state === "waiting") {
          w.state = "admitted";
          w.admittedAtMs = claimsOf(p.body.admission.token).t!;
          if (w.abandons) {
            abandoned++;
            w.state = "done";
            return;
          }
          pending.push(buy(w, p.body.admission.token).finally(() => (w.state = "done")));
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  await joined;
  await Promise.all(pending);
  const levels = await api.levels(sku);
  const admittedWaiters = waiters.filter((w) => w.admittedAtMs !== null);
  const soldOutSeen = waiters.filter((w) => w.sawSoldOutMs !== null).map((w) => w.sawSoldOutMs!);
  return {
    shoppers: shoppersN,
    units,
    admitted: admittedWaiters.length,
    abandoned,
    paid,
    polls,
    admittedAfterSoldOut: lastSaleMs === 0 ? 0 : admittedWaiters.filter((w) => w.admittedAtMs! > lastSaleMs).length,
    unitsUnsoldWhileWaiting,
    fifoRankCorrelation: rankCorrelation(
      admittedWaiters.map((w) => w.arrivalMs),
      admittedWaiters.map((w) => w.admittedAtMs!),
    ),
    queuePollObjectCallsPer1k: polls === 0 ? 0 : (misses / polls) * 1000,
    oversell: Math.max(0, levels.sold - units),
    soldOutVisibleMs: lastSaleMs === 0 || soldOutSeen.length === 0 ? null : Math.max(...soldOutSeen) - lastSaleMs,
    durationS: (Date.now() - started) / 1000,
    accountingOk: levels.received === levels.onHand + levels.sold && levels.sold === paid,
  };
}

export function renderQueue(r: QueueBenchResult): string {
  const rows: Array<[string, string, string]> = [
    ["shoppers / units", `${r.shoppers} / ${r.units}`, ""],
    ["admitted / abandoned / paid", `${r.admitted} / ${r.abandoned} / ${r.paid}`, ""],
    ["admitted_after_sold_out", String(r.admittedAfterSoldOut), "0"],
    ["units_unsold_while_waiting (after the bound)", String(r.unitsUnsoldWhileWaiting), "0"],
    ["fifo_rank_correlation", r.fifoRankCorrelation.toFixed(4), ">= 0.99"],
    ["queue_poll_object_calls_per_1k", r.queuePollObjectCallsPer1k.toFixed(2), "<= 5"],
    ["oversell", String(r.oversell), "0"],
    [
      "last sale -> every waiter sees sold_out",
      r.soldOutVisibleMs === null ? "n/a" : `${(r.soldOutVisibleMs / 1000).toFixed(1)} s`,
      "a few s",
    ],
    ["polls / duration", `${r.polls} / ${r.durationS.toFixed(0)} s`, ""],
  ];
  return ["Waiting room stampede (phase 9)", ...rows.map(([k, v, t]) => `  ${k.padEnd(46)} ${v.padStart(14)}  ${t}`)].join("\n");
}

export function queueSummary(r: QueueBenchResult) {
  return {
    queue: {
      shoppers: r.shoppers,
      units: r.units,
      admitted: r.admitted,
      abandoned: r.abandoned,
      paid: r.paid,
      admitted_after_sold_out: r.admittedAfterSoldOut,
      units_unsold_while_waiting: r.unitsUnsoldWhileWaiting,
      fifo_rank_correlation: Math.round(r.fifoRankCorrelation * 10_000) / 10_000,
      queue_poll_object_calls_per_1k: Math.round(r.queuePollObjectCallsPer1k * 100) / 100,
      oversell: r.oversell,
      sold_out_visible_ms: r.soldOutVisibleMs,
      accounting_ok: r.accountingOk,
    },
  };
}

export function queueTargetsMet(r: QueueBenchResult) {
  return {
    queue_admitted_after_sold_out: r.admittedAfterSoldOut === 0,
    queue_units_unsold_while_waiting: r.unitsUnsoldWhileWaiting === 0,
    queue_fifo_rank_correlation: r.fifoRankCorrelation >= 0.99,
    queue_poll_object_calls: r.queuePollObjectCallsPer1k <= 5,
    queue_oversell: r.oversell === 0,
  };
}
