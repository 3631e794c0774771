import { reserveTarget, tryHold } from "./client.ts";
import { summarizeKinds, type KindResult } from "./compare.ts";
import { measure, rps, type BenchContext, type Slice } from "./context.ts";
import { quantile } from "./stats.ts";

/**
 * Live stock push (spec §10), phase 8: `liveSockets` WebSockets on one SKU.
 * 1. Fan-out: isolated changes (one hold each, further apart than the push
 *    window), timed from sending the hold to each socket receiving its level.
 * 2. Holds on the watched SKU against holds on a SKU nobody watches, in
 *    alternating slices like phase 1: the cost of pushing on the hold path.
 *    During the watched slices one socket's messages are counted against the
 *    holds made (messages per change after coalescing), and after them every
 *    socket's last message must be the SKU's final level.
 */

export const LIVE_KINDS = ["watched", "quiet"] as const;
export type LiveKind = (typeof LIVE_KINDS)[number];

/** Stock for both SKUs: more than the slices can hold. */
const LIVE_STOCK = 5_000_000;
/** Sockets opened at once while connecting. */
const CONNECT_BATCH = 50;
const CONNECT_TIMEOUT_MS = 60_000;
/** A change not seen by every socket this long after it was sent counts its missing sockets as missed. */
const FANOUT_TIMEOUT_MS = 5_000;
/** Longer than the object's push window (250 ms), so each fan-out change goes out on its own. */
const CHANGE_GAP_MS = 400;
/** After the last slice: a trailing push is at most a window away. */
const SETTLE_MS = 1_000;

export interface LiveResult {
  sockets: number;
  connectSeconds: number;
  changes: number;
  /** Per change: from sending the hold to the last socket receiving the new level. */
  lastClientMs: { p50: number; p99: number; max: number };
  /** Every delivery of every change. */
  deliveryMs: { p50: number; p99: number };
  /** Socket-changes that did not arrive within FANOUT_TIMEOUT_MS. */
  missed: number;
  kinds: Record<LiveKind, KindResult>;
  /** watched rps / quiet rps within each round. */
  roundRatios: number[];
  /** Messages one socket received per hold during the watched slices, and per second. */
  messagesPerChange: number;
  messagesPerSecond: number;
  /** Whether every socket's last message was the SKU's final level. */
  lastStateOk: boolean;
  seconds: number;
}

interface Watchers {
  sockets: WebSocket[];
  /** The last level each socket received. */
  last: Int32Array;
  /** Messages each socket received. */
  count: Uint32Array;
  /** Called with (socket index, available) on every message. */
  onLevel: ((i: number, available: number) => void) | null;
}

/** A distinct documentation-range address (2001:db8::/32) per socket. */
function benchAddress(i: number): string {
  return `2001:db8::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`;
}

async function connectAll(baseUrl: string, sku: string, n: number): Promise<Watchers> {
  const url = `${baseUrl.replace(/^http/, "ws")}/v1/skus/${encodeURIComponent(sku)}/live`;
  const w: Watchers = { sockets: [], last: new Int32Array(n).fill(-1), count: new Uint32Array(n), onLevel: null };
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (let start = 0; start < n; start += CONNECT_BATCH) {
    if (Date.now() > deadline) throw new Error(`live: ${start} of ${n} sockets connected within ${CONNECT_TIMEOUT_MS} ms`);
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, n - start) }, (_, j) => {
      const i = start + j;
      return new Promise<void>((resolve, reject) => {
        // Each socket as its own client address: the product caps one address at 20 sockets a SKU (issue 22),
        // and a crowd of watchers is many shoppers. (Node's WebSocket, undici's, takes headers.)
        const ws = new WebSocket(url, { headers: { "cf-connecting-ip": benchAddress(i) } } as unknown as string[]);
        w.sockets[i] = ws;
        ws.addEventListener("message", (e) => {
          const { available } = JSON.parse(String(e.data)) as { available: number };
          w.last[i] = available;
          w.count[i]! += 1;
          w.onLevel?.(i, available);
          resolve();
        });
        ws.addEventListener("error", () => reject(new Error(`live: socket ${i} failed`)));
      });
    });
    await Promise.all(batch);
  }
  return w;
}

/** One hold, timed from sending it to each socket seeing the level it leaves. */
async function oneChange(ctx: BenchContext, sku: string, w: Watchers, expected: number): Promise<{ arrivals: number[]; missed: number }> {
  const n = w.sockets.length;
  const seen = new Uint8Array(n);
  const arrivals: number[] = [];
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => (done = resolve));
  let t0 = 0;
  w.onLevel = (i, available) => {
    if (available !== expected || seen[i]) return;
    seen[i] = 1;
    arrivals.push(performance.now() - t0);
    if (arrivals.length === n) done();
  };
  t0 = performance.now();
  const answer = await tryHold(ctx.baseUrl, sku, ctx.shoppers[0]!);
  if (answer.status !== 201) throw new Error(`live: a fan-out hold answered ${answer.status} ${answer.code ?? ""}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, FANOUT_TIMEOUT_MS)))]);
  clearTimeout(timer);
  w.onLevel = null;
  return { arrivals, missed: n - arrivals.length };
}

export async function runLive(ctx: BenchContext, skus: { watched: string; quiet: string }): Promise<LiveResult> {
  const started = performance.now();
  const { liveSockets, liveChanges, liveSeconds, liveRounds } = ctx.cfg;
  for (const sku of [skus.watched, skus.quiet]) {
    await ctx.api.createSku(sku);
    await ctx.api.restock(sku, LIVE_STOCK);
  }
  const targets = { watched: reserveTarget(ctx.baseUrl, skus.watched), quiet: reserveTarget(ctx.baseUrl, skus.quiet) };
  // Warm-up before any socket: both objects started and optimised alike.
  for (const kind of LIVE_KINDS) if (ctx.cfg.warmupSeconds > 0) await measure(ctx, targets[kind], ctx.cfg.warmupSeconds);

  const connectStarted = performance.now();
  const w = await connectAll(ctx.baseUrl, skus.watched, liveSockets);
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  ctx.progress(`  ${liveSockets} sockets connected in ${connectSeconds.toFixed(1)} s`);
  try {
    let available = (await ctx.api.levels(skus.watched)).available;
    const lastClient: number[] = [];
    const deliveries: number[] = [];
    let missed = 0;
    for (let c = 0; c < liveChanges && !ctx.signal.aborted; c++) {
      available -= 1;
      const r = await oneChange(ctx, skus.watched, w, available);
      missed += r.missed;
      deliveries.push(...r.arrivals);
      if (r.arrivals.length > 0) lastClient.push(Math.max(...r.arrivals));
      await new Promise((resolve) => setTimeout(resolve, CHANGE_GAP_MS));
    }
    const sortedLast = Float64Array.from(lastClient).sort();
    ctx.progress(
      `  fan-out: ${lastClient.length} changes, last client p50 ${quantile(sortedLast, 0.5).toFixed(1)} ms, p99 ${quantile(sortedLast, 0.99).toFixed(1)} ms, ${missed} missed`,
    );

    const slices: Record<LiveKind, Slice[]> = { watched: [], quiet: [] };
    const roundRatios: number[] = [];
    let watchedMessages = 0;
    let watchedHolds = 0;
    let watchedMs = 0;
    for (let round = 0; round < liveRounds && !ctx.signal.aborted; round++) {
      const order: LiveKind[] = round % 2 === 0 ? ["watched", "quiet"] : ["quiet", "watched"];
      for (const kind of order) {
        const before = w.count[0]!;
        const slice = await measure(ctx, targets[kind], liveSeconds);
        slices[kind].push(slice);
        if (kind === "watched") {
          // Messages of this slice still in their window arrive within it.
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          watchedMessages += w.count[0]! - before;
          watchedHolds += slice.load.created;
          watchedMs += slice.load.elapsedMs;
        }
      }
      const ratio = rps(slices.watched[round]!.load) / rps(slices.quiet[round]!.load);
      roundRatios.push(ratio);
      ctx.progress(
        `  round ${round + 1}/${liveRounds}: watched ${Math.round(rps(slices.watched[round]!.load))} rps, quiet ${Math.round(rps(slices.quiet[round]!.load))} rps (${ratio.toFixed(2)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const final = (await ctx.api.levels(skus.watched)).available;
    const sortedDeliveries = Float64Array.from(deliveries).sort();
    return {
      sockets: liveSockets,
      connectSeconds,
      changes: lastClient.length,
      lastClientMs: { p50: quantile(sortedLast, 0.5), p99: quantile(sortedLast, 0.99), max: sortedLast.at(-1) ?? Number.NaN },
      deliveryMs: { p50: quantile(sortedDeliveries, 0.5), p99: quantile(sortedDeliveries, 0.99) },
      missed,
      kinds: summarizeKinds(LIVE_KINDS, slices),
      roundRatios,
      messagesPerChange: watchedHolds > 0 ? watchedMessages / watchedHolds : Number.NaN,
      messagesPerSecond: watchedMs > 0 ? (watchedMessages * 1000) / watchedMs : Number.NaN,
      lastStateOk: w.last.every((a) => a === final),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const ws of w.sockets) ws.close(1000);
  }
}
