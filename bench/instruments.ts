import { instrumentsTarget } from "./client.ts";
import { summarizeKinds, type KindResult } from "./compare.ts";
import { measure, rps, type BenchContext, type Slice } from "./context.ts";
import { sampleUsage, usageBetween } from "./resources.ts";

/**
 * What the SKU object's instruments cost a hold (`npm run bench -- --instruments`):
 * the reserve RPC, without the HTTP layer, on three objects that differ only
 * in them. `full` is the product's (the per-operation SQL meter that `costs()`
 * reports, and a span of the caller's trace around the call); `unmetered` has
 * no meter; `bare` has neither. Each has its own SKU with the same stock, and
 * the kinds alternate in short slices in a rotating order, as phase 1 does, so
 * the machine's noise lands on all of them alike. On a shared machine that
 * noise can be larger than the instruments, so their own CPU is also measured
 * apart: LOOP_HOLDS stand-in holds, each running as many statements as the
 * full object's hold did (its meter counts them), bare, in the meter and in a
 * trace span, inside workerd (bench/instruments-loop.ts), with workerd's CPU
 * read around each request; the least of LOOP_ROUNDS rounds per kind.
 */
export const VARIANTS = ["full", "unmetered", "bare"] as const;
export type Variant = (typeof VARIANTS)[number];
/** The kinds of bench/instruments-loop.ts (its route accepts these names). */
const LOOP_KINDS = ["none", "meter", "trace"] as const;
type LoopKind = (typeof LOOP_KINDS)[number];

/** More than any run here takes, so no slice meets a sold-out refusal. */
const STOCK = 2_000_000;
const LOOP_HOLDS = 200_000;
const LOOP_ROUNDS = 3;

export interface InstrumentsResult {
  kinds: Record<Variant, KindResult>;
  /** full rps / bare rps within each round (adjacent slices). */
  roundRatios: number[];
  /** SQL statements per hold, from the full object's meter. */
  statementsPerHold: number;
  /** Runtime CPU per stand-in hold, µs, by loop kind (least of the rounds); null without /proc. */
  loopUs: Record<LoopKind, number | null>;
}

export async function compareInstruments(ctx: BenchContext): Promise<InstrumentsResult> {
  const skuOf = (v: Variant) => `bench-instruments-${v}`;
  for (const v of VARIANTS) {
    const res = await fetch(`${ctx.baseUrl}/__bench/instruments/${v}/${skuOf(v)}?stock=${STOCK}`, { method: "POST" });
    if (res.status !== 201) throw new Error(`instruments: setting up ${v} answered ${res.status}: ${await res.text()}`);
  }
  const target = (v: Variant) => instrumentsTarget(ctx.baseUrl, v, skuOf(v));
  for (const v of VARIANTS) {
    if (ctx.cfg.warmupSeconds <= 0) break;
    const { load } = await measure(ctx, target(v), ctx.cfg.warmupSeconds);
    ctx.progress(`  warm-up ${v}: ${Math.round(rps(load))} rps`);
  }
  const slices: Record<Variant, Slice[]> = { full: [], unmetered: [], bare: [] };
  const roundRatios: number[] = [];
  for (let round = 0; round < ctx.cfg.rounds && !ctx.signal.aborted; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
    for (const v of order) slices[v].push(await measure(ctx, target(v), ctx.cfg.seconds));
    roundRatios.push(rps(slices.full[round]!.load) / rps(slices.bare[round]!.load));
    ctx.progress(
      `  round ${round + 1}/${ctx.cfg.rounds}: ${order.map((v) => `${v} ${Math.round(rps(slices[v][round]!.load))} rps`).join(", ")}`,
    );
  }
  const costs = (await (await fetch(`${ctx.baseUrl}/__bench/costs/${skuOf("full")}`)).json()) as Record<
    string,
    { calls: number; statements?: number } | undefined
  >;
  const hold = costs.hold;
  const statementsPerHold = hold && hold.calls > 0 ? (hold.statements ?? 0) / hold.calls : 0;
  const loopUs = await loopCpu(ctx, statementsPerHold);
  return { kinds: summarizeKinds(VARIANTS, slices), roundRatios, statementsPerHold, loopUs };
}

async function loopCpu(ctx: BenchContext, statements: number): Promise<Record<LoopKind, number | null>> {
  const execs = Math.max(1, Math.round(statements));
  const seen: Record<LoopKind, number[]> = { none: [], meter: [], trace: [] };
  for (let round = 0; round < LOOP_ROUNDS && !ctx.signal.aborted; round++) {
    for (const kind of LOOP_KINDS.map((_, i) => LOOP_KINDS[(i + round) % LOOP_KINDS.length]!)) {
      const before = sampleUsage(ctx.runtimePids);
      const res = await fetch(`${ctx.baseUrl}/__bench/instruments-loop/${kind}?n=${LOOP_HOLDS}&execs=${execs}`, { method: "POST" });
      if (!res.ok) throw new Error(`instruments loop ${kind} answered ${res.status}`);
      await res.arrayBuffer();
      const used = usageBetween(before, sampleUsage(ctx.runtimePids));
      if (used.runtimeUserMs !== null && used.runtimeSysMs !== null)
        seen[kind].push(((used.runtimeUserMs + used.runtimeSysMs) * 1000) / LOOP_HOLDS);
    }
  }
  const least = (xs: number[]) => (xs.length ? Math.min(...xs) : null);
  return { none: least(seen.none), meter: least(seen.meter), trace: least(seen.trace) };
}

const over = (x: number | null, base: number | null) => (x === null || base === null ? null : x - base);
const r3 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);

/**
 * JSON keys: `instruments_full_vs_bare` (rate of the product's object over the
 * bare one's; 1 means the instruments cost nothing), `instruments_meter_vs_none`
 * (full over unmetered: the meter alone) and `instruments_trace_vs_none`
 * (unmetered over bare: the span alone); the same by runtime CPU per hold
 * (`..._cpu`: the other's CPU over this one's, so also 1 when free); measured
 * apart, `instruments_meter_us_per_hold` and `instruments_trace_us_per_hold`
 * (CPU over the bare loop's, `instruments_loop_us`), with
 * `instruments_statements_per_hold`; and each kind's rate, latency and CPU.
 */
export function instrumentsSummary(r: InstrumentsResult): Record<string, unknown> {
  const k = r.kinds;
  const cpu = (v: Variant) => k[v].cost.runtimeCpuUs;
  const byCpu = (a: Variant, b: Variant) => {
    const ca = cpu(a);
    const cb = cpu(b);
    return ca === null || cb === null || ca === 0 ? null : cb / ca;
  };
  return {
    instruments_full_vs_bare: r3(k.full.summary.rps / k.bare.summary.rps),
    instruments_meter_vs_none: r3(k.full.summary.rps / k.unmetered.summary.rps),
    instruments_trace_vs_none: r3(k.unmetered.summary.rps / k.bare.summary.rps),
    instruments_full_vs_bare_cpu: r3(byCpu("full", "bare")),
    instruments_meter_vs_none_cpu: r3(byCpu("full", "unmetered")),
    instruments_trace_vs_none_cpu: r3(byCpu("unmetered", "bare")),
    instruments_round_ratios: r.roundRatios.map(r3),
    instruments_statements_per_hold: r3(r.statementsPerHold),
    instruments_meter_us_per_hold: r3(over(r.loopUs.meter, r.loopUs.none)),
    instruments_trace_us_per_hold: r3(over(r.loopUs.trace, r.loopUs.none)),
    instruments_loop_us: { none: r3(r.loopUs.none), meter: r3(r.loopUs.meter), trace: r3(r.loopUs.trace) },
    instruments: Object.fromEntries(
      VARIANTS.map((v) => [
        v,
        {
          rps: Math.round(k[v].summary.rps),
          p50_ms: r3(k[v].summary.p50Ms),
          p99_ms: r3(k[v].summary.p99Ms),
          runtime_cpu_us: r3(cpu(v)),
          statuses: k[v].summary.statuses,
        },
      ]),
    ),
  };
}

export function renderInstruments(r: InstrumentsResult): string {
  const rows = VARIANTS.map((v) => {
    const x = r.kinds[v];
    const c = x.cost.runtimeCpuUs;
    return `${v.padEnd(10)} ${String(Math.round(x.summary.rps)).padStart(7)} rps  p50 ${x.summary.p50Ms.toFixed(2)} ms  runtime CPU ${c === null ? "n/a" : `${Math.round(c)} us`}/hold`;
  });
  const s = instrumentsSummary(r);
  const execs = Math.max(1, Math.round(r.statementsPerHold));
  return [
    "instruments on the hold path (reserve RPC; full = meter + trace, unmetered = trace only, bare = neither)",
    ...rows,
    `full/bare ${s.instruments_full_vs_bare} by rate, ${s.instruments_full_vs_bare_cpu} by CPU; meter ${s.instruments_meter_vs_none} / ${s.instruments_meter_vs_none_cpu}; trace ${s.instruments_trace_vs_none} / ${s.instruments_trace_vs_none_cpu}`,
    `apart (${LOOP_HOLDS} stand-in holds of ${execs} statements): meter ${s.instruments_meter_us_per_hold} us/hold, trace ${s.instruments_trace_us_per_hold} us/hold, bare loop ${r3(r.loopUs.none)} us/hold`,
  ].join("\n");
}
