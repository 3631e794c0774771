/**
 * The waiting room at scale (issue 17, spec §9): rows read by one tick of a
 * sale's queue (the coordinator and every join shard) with 1,000 and with
 * 1,000,000 entrants, joins driven straight at the join shards (no HTTP).
 * Prints one JSON line with `queue_tick_rows_read_at_1k` and
 * `queue_tick_rows_read_at_1m` (target <= 10,000 per tick): the most any of a
 * few ticks read, each tick admitting up to a thousand shoppers from a SKU
 * with a thousand units free.
 *
 *   npm run bench:queue                     # both sizes (the million takes minutes)
 *   BENCH_QUEUE_ENTRANTS=100000 npm run bench:queue   # one other size instead of the million
 */
import { bundleBenchWorker } from "./build.ts";
import { startRuntime } from "./runtime.ts";

const SHARDS = 16;
const FILL_CHUNK = 5_000;
const TICKS = 5;
const AVAILABLE = 1_000;
const TARGET_ROWS = 10_000;

async function post(base: string, path: string, body?: unknown): Promise<Record<string, number>> {
  const res = await fetch(`${base}${path}`, { method: "POST", body: body === undefined ? null : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, number>;
}

/** Fills a fresh sale with `entrants` joins spread over the shards, then runs ticks and keeps the most rows one read. */
async function measure(base: string, entrants: number): Promise<{ rowsRead: number; admitted: number; fillS: number }> {
  const sale = `bench-queue-${entrants}-${Date.now()}`;
  const now = Date.now();
  await post(base, `/__bench/queue-scale/start?sale=${sale}`, {
    saleId: sale,
    revision: 1,
    settings: { mode: "fifo", prequeueSeconds: 600, admitSeconds: 300 },
    startsAtMs: now - 60_000,
    endsAtMs: now + 3_600_000,
    skus: ["bench-sku"],
    joinShards: SHARDS,
  });
  const started = performance.now();
  const perShard = Math.ceil(entrants / SHARDS);
  // Two shards at a time: the runtime is one process on a shared machine.
  for (let shard = 0; shard < SHARDS; shard += 2) {
    await Promise.all(
      [shard, shard + 1].map(async (s) => {
        for (let from = 0; from < perShard; from += FILL_CHUNK) {
          const n = Math.min(FILL_CHUNK, perShard - from);
          await post(base, `/__bench/queue-scale/fill?sale=${sale}&shard=${s}&from=${from}&n=${n}&start=${now - 50_000_000}`);
        }
      }),
    );
    process.stderr.write(`  ${entrants}: shards ${shard}-${shard + 1} filled (${Math.round((performance.now() - started) / 1000)} s)\n`);
  }
  const fillS = (performance.now() - started) / 1000;
  let rowsRead = 0;
  let admitted = 0;
  for (let t = 0; t < TICKS; t++) {
    const tick = await post(
      base,
      `/__bench/queue-scale/tick?sale=${sale}&now=${now + 1_000 * (t + 1)}&available=${AVAILABLE + admitted}&shards=${SHARDS}`,
    );
    rowsRead = Math.max(rowsRead, tick.rowsRead!);
    admitted += tick.admitted!;
    process.stderr.write(`  ${entrants}: tick ${t + 1} read ${tick.rowsRead} rows, admitted ${tick.admitted}\n`);
  }
  return { rowsRead, admitted, fillS };
}

async function main() {
  const scriptPath = await bundleBenchWorker();
  const runtime = await startRuntime(scriptPath);
  try {
    const small = await measure(runtime.baseUrl, 1_000);
    const size = Number(process.env.BENCH_QUEUE_ENTRANTS) || 1_000_000;
    const large = await measure(runtime.baseUrl, size);
    const key = size === 1_000_000 ? "1m" : String(size);
    console.log(
      JSON.stringify({
        queue_tick_rows_read_at_1k: small.rowsRead,
        [`queue_tick_rows_read_at_${key}`]: large.rowsRead,
        queue_tick_rows_read_target: TARGET_ROWS,
        reached: large.rowsRead <= TARGET_ROWS,
        admitted_per_tick_at_1k: Math.round(small.admitted / TICKS),
        [`admitted_per_tick_at_${key}`]: Math.round(large.admitted / TICKS),
        [`fill_s_at_${key}`]: Math.round(large.fillS),
      }),
    );
  } finally {
    await runtime.mf.dispose();
  }
}

await main();
