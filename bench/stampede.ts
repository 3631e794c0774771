import { escrowPolicy, tryHold, type HoldAnswer, type MerchantLevels } from "./client.ts";
import type { BenchContext } from "./context.ts";
import { quantile } from "./stats.ts";
import { makeCustomers } from "./tokens.ts";

/**
 * Stock shards (spec §8) at the end of a sale: a stampede of many more hold
 * attempts than units, each from a distinct customer, against a SKU split
 * into `BENCH_SHARDS` shards, with `BENCH_CONCURRENCY` attempts in flight.
 * Every reply is kept with the time it arrived. Then, once no transfer is in
 * flight, the merchant's view and the cross-shard audit are read:
 *
 *   oversell        201s beyond the stock
 *   stranded        units still available after the stampede although more
 *                   attempts than units were made
 *   false_sold_out  `sold_out` replies that arrived more than the escrow's
 *                   bound (SHARD_SOLD_OUT_BOUND_MS) before the last unit
 *                   was reserved (the last granted hold's `createdAt`): the
 *                   SKU still had that unit to give then, and kept it free
 *                   for longer than the bound after the refusal
 *   audit_ok        GET /v1/skus/{sku}/stats' escrow.audit.ok
 *
 * Times are the client's, when each reply arrived; a refusal decided a little
 * earlier than it arrived only makes the count more lenient by a round trip.
 * The reservation time is the object's clock, which on this one machine is
 * the client's clock: unlike the 201's arrival it carries no queueing delay of
 * the reply, which on a loaded machine runs to seconds and made the count
 * charge the transit of a grant to the refusals before it.
 */

export interface StampedeRound {
  sku: string;
  stock: number;
  attempts: number;
  granted: number;
  statuses: Record<number, number>;
  /** Refusals by problem code (`sold_out`, `unavailable`, ...). */
  codes: Record<string, number>;
  /** `sold_out` replies the edge gave from its cached verdict (`holdfast-cache: hit`). */
  soldOutFromEdge: number;
  oversell: number;
  availableAfter: number;
  stranded: number;
  falseSoldOut: number;
  /** Of those, the ones the edge gave from its cached verdict (it lives EDGE_CACHE_TTL_SECONDS). */
  falseSoldOutFromEdge: number;
  /**
   * `sold_out` replies that arrived more than the bound before the last
   * granted hold's request was even sent: that unit was certainly not held
   * yet (the stampede releases nothing), whatever the replies' transit times.
   */
  falseSoldOutCertain: number;
  /** `sold_out` replies that arrived more than the bound before the last 201 arrived (the older, transit-blind count). */
  soldOutBeforeLastArrival: number;
  /** `sold_out` replies that arrived before the last 201, bound or not. */
  soldOutBeforeLastGrant: number;
  /** How far ahead of the last 201 the first `sold_out` arrived (ms; 0 if none did). */
  soldOutLeadMs: number;
  /** Reply times from the first attempt (ms). */
  lastGrantMs: number | null;
  /** When the last granted unit was reserved, from the first attempt (ms, the hold's createdAt). */
  lastReservedMs: number | null;
  firstSoldOutMs: number | null;
  p50Ms: number;
  p99Ms: number;
  /** 201s by the shard their hold id names. */
  grantsByShard: Record<string, number>;
  levels: MerchantLevels;
  /** Units still in a transfer when the settle wait ended (0 when it settled). */
  inFlight: number;
  settleMs: number;
  poolCalls: number;
  auditOk: boolean;
  auditProblems: string[];
  /** reserved == granted, reserved <= onHand, received == onHand + sold. */
  accountingOk: boolean;
}

export interface StampedeResult {
  shards: number;
  boundMs: number;
  concurrency: number;
  rounds: StampedeRound[];
  /** Sums over the rounds; audit_ok only if every round's audit was. */
  oversell: number;
  stranded: number;
  falseSoldOut: number;
  auditOk: boolean;
  accountingOk: boolean;
  seconds: number;
}

/** The attempts are bounded by count; this bounds a stampede by time too. */
const STAMPEDE_TIMEOUT_SECONDS = 120;
/** How long to wait for transfers in flight to land before reading the levels. */
const SETTLE_TIMEOUT_MS = 10_000;
const SETTLE_POLL_MS = 100;

export async function runStampedes(ctx: BenchContext, skuPrefix: string): Promise<StampedeResult> {
  const started = performance.now();
  const boundMs = (await escrowPolicy(ctx.baseUrl)).soldOutBoundMs;
  const rounds: StampedeRound[] = [];
  for (let round = 0; round < ctx.cfg.stampedeRounds && !ctx.signal.aborted; round++) {
    const r = await stampede(ctx, `${skuPrefix}-${round}`, round, boundMs);
    rounds.push(r);
    ctx.progress(
      `  stampede ${round + 1}/${ctx.cfg.stampedeRounds}: ${r.granted} granted of ${r.stock} in ${r.attempts} attempts ` +
        `(${JSON.stringify(r.codes)}), available after ${r.availableAfter}, false sold-out ${r.falseSoldOut}, ` +
        `audit ${r.auditOk ? "ok" : "FAILED"}, last grant ${r.lastGrantMs?.toFixed(0) ?? "-"} ms, first sold-out ${r.firstSoldOutMs?.toFixed(0) ?? "-"} ms`,
    );
  }
  const sum = (f: (r: StampedeRound) => number) => rounds.reduce((n, r) => n + f(r), 0);
  return {
    shards: ctx.cfg.shards,
    boundMs,
    concurrency: ctx.shoppers.length,
    rounds,
    oversell: sum((r) => r.oversell),
    stranded: sum((r) => r.stranded),
    falseSoldOut: sum((r) => r.falseSoldOut),
    auditOk: rounds.length > 0 && rounds.every((r) => r.auditOk),
    accountingOk: rounds.length > 0 && rounds.every((r) => r.accountingOk),
    seconds: (performance.now() - started) / 1000,
  };
}

interface Reply extends HoldAnswer {
  /** A grant's reservation time (its createdAt), from the first attempt. */
  reservedMs?: number;
  sentMs: number;
  atMs: number;
  latencyMs: number;
}

async function stampede(ctx: BenchContext, sku: string, round: number, boundMs: number): Promise<StampedeRound> {
  const { shards, stampedeStock: stock, stampedeAttempts: attempts } = ctx.cfg;
  await ctx.api.createSku(sku, shards);
  await ctx.api.restock(sku, stock);
  const customers = makeCustomers(attempts, ctx.shopperSecret, `bench-crowd-${round}-`);
  const poolCallsBefore = (await ctx.api.escrow(sku)).poolCalls;

  const replies: Reply[] = [];
  const t0 = performance.now();
  const t0EpochMs = performance.timeOrigin + t0;
  const deadline = t0 + STAMPEDE_TIMEOUT_SECONDS * 1000;
  let next = 0;
  let networkErrors = 0;
  const worker = async () => {
    // Bounded by the attempts, the deadline and network errors.
    while (next < attempts && performance.now() < deadline && !ctx.signal.aborted && networkErrors < 50) {
      const customer = customers[next++]!;
      const sent = performance.now();
      try {
        const answer = await tryHold(ctx.baseUrl, sku, customer);
        const at = performance.now();
        const reservedMs = answer.createdAtMs === undefined ? {} : { reservedMs: answer.createdAtMs - t0EpochMs };
        replies.push({ ...answer, ...reservedMs, sentMs: sent - t0, atMs: at - t0, latencyMs: at - sent });
      } catch {
        networkErrors++;
      }
    }
  };
  await Promise.all(ctx.shoppers.map(worker));
  if (networkErrors >= 50) throw new Error(`stampede on ${sku} abandoned after ${networkErrors} network errors`);
  if (replies.length < attempts) throw new Error(`stampede on ${sku} made ${replies.length} of ${attempts} attempts in time`);

  // Let transfers in flight land, so available units are not hidden in one.
  const settleStart = performance.now();
  let escrow = await ctx.api.escrow(sku);
  while (escrow.inFlight !== 0 && performance.now() - settleStart < SETTLE_TIMEOUT_MS) {
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    escrow = await ctx.api.escrow(sku);
  }
  const settleMs = performance.now() - settleStart;
  const levels = await ctx.api.levels(sku);

  const statuses: Record<number, number> = {};
  const codes: Record<string, number> = {};
  const grantsByShard: Record<string, number> = {};
  let granted = 0;
  let lastGrantMs: number | null = null;
  let lastGrantSentMs: number | null = null;
  let lastReservedMs: number | null = null;
  const soldOutAt: Array<{ atMs: number; edge: boolean }> = [];
  let soldOutFromEdge = 0;
  for (const r of replies) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status === 201) {
      granted++;
      lastGrantMs = Math.max(lastGrantMs ?? 0, r.atMs);
      lastGrantSentMs = Math.max(lastGrantSentMs ?? 0, r.sentMs);
      if (r.reservedMs === undefined) throw new Error(`a 201 for ${sku} has no createdAt: the hold's reservation time is unknown`);
      lastReservedMs = Math.max(lastReservedMs ?? 0, r.reservedMs);
      const shard = /^hold_[0-9a-f]{24}(?:-(\d+))?_/.exec(r.holdId ?? "")?.[1] ?? "unsharded";
      grantsByShard[shard] = (grantsByShard[shard] ?? 0) + 1;
    } else {
      const code = r.code ?? `http_${r.status}`;
      codes[code] = (codes[code] ?? 0) + 1;
      if (code === "sold_out") {
        soldOutAt.push({ atMs: r.atMs, edge: r.cache === "hit" });
        if (r.cache === "hit") soldOutFromEdge++;
      }
    }
  }
  const last = lastGrantMs as number | null;
  const firstSoldOutMs = soldOutAt.length ? Math.min(...soldOutAt.map((x) => x.atMs)) : null;
  const before = last === null ? [] : soldOutAt.filter((x) => x.atMs < last);
  const reserved = lastReservedMs as number | null;
  const falseOnes = reserved === null ? [] : soldOutAt.filter((x) => x.atMs < reserved - boundMs);
  const latencies = Float64Array.from(replies.map((r) => r.latencyMs)).sort();
  const availableAfter = levels.available;
  return {
    sku,
    stock,
    attempts,
    granted,
    statuses,
    codes,
    soldOutFromEdge,
    oversell: Math.max(0, granted - stock),
    availableAfter,
    stranded: attempts > stock ? availableAfter : 0,
    falseSoldOut: falseOnes.length,
    falseSoldOutFromEdge: falseOnes.filter((x) => x.edge).length,
    falseSoldOutCertain: lastGrantSentMs === null ? 0 : soldOutAt.filter((x) => x.atMs < (lastGrantSentMs as number) - boundMs).length,
    soldOutBeforeLastArrival: last === null ? 0 : before.filter((x) => x.atMs < last - boundMs).length,
    soldOutBeforeLastGrant: before.length,
    soldOutLeadMs: last !== null && firstSoldOutMs !== null ? Math.max(0, last - firstSoldOutMs) : 0,
    lastGrantMs: last,
    lastReservedMs: reserved,
    firstSoldOutMs,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    grantsByShard,
    levels,
    inFlight: escrow.inFlight,
    settleMs,
    poolCalls: escrow.poolCalls - poolCallsBefore,
    auditOk: escrow.audit.ok,
    auditProblems: escrow.audit.problems,
    accountingOk: levels.reserved === granted && levels.reserved <= levels.onHand && levels.received === levels.onHand + levels.sold,
  };
}
