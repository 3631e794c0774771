import { quantile } from "./stats.ts";

/**
 * A discrete-event simulation of a stampede on one SKU split into K stock
 * shards (spec §8), so the bench can say what K objects would do in parallel
 * on the platform, which one local runtime thread cannot show. Every object
 * (the pool and each shard) is a FIFO single server: each event it handles
 * (an incoming call, or the continuation of its own code after a call it
 * made returned) occupies it for a service time measured in the same run
 * (bench/sim-measure.ts). An incoming call occupies it for at least
 * 1 / objectRps, the platform's per-object limit, and is refused at once as
 * 503 overloaded when more than `queueBound` calls already wait.
 *
 * The escrow is modelled as src/stock/shards/escrow.ts and sku-object.ts implement
 * it: a hold goes to its customer's shard and is granted from the allotment;
 * short of it, the shard asks the pool (single flight, for every unit its
 * waiting holds want, telling its pace: the units it held in the last
 * paceWindowMs), the pool grants max(wanted, pace, ceil(pool / 2K)) units (at
 * most grantUnitsMax) after recalling the siblings' free units beyond their
 * own pace when it cannot cover the request, the shard credits the grant (its
 * acknowledgement rides on its next call to the pool, so it costs the pool
 * nothing here), and the waiting holds try again, for at most
 * reserveRoundsMax rounds (then 503 unavailable). A pool left with nothing
 * while siblings kept units answers "later": the holds wait laterMs and ask
 * again, trying their reserve only once units arrived; only a recall that
 * found every sibling without a free unit makes the answer "empty", so
 * `sold_out` means the whole SKU is out. After a hold a shard
 * refills ahead of need once at most a quarter of its last grant is left, and
 * reports its levels to the pool once per reportIntervalMs while it changes
 * (one more call on the pool). A pool or shard told "empty" refuses from what
 * it has for soldOutBoundMs before asking again. Releases, expiries and the
 * edge's cached verdicts are not modelled: every request reaches its object,
 * and a held unit stays held.
 *
 * Deterministic: arrivals (Poisson) and customers' shards come from a seeded
 * generator, and every K sees the same arrival stream. Bounded: arrivals stop
 * after `arrivalSeconds`, the run ends when no event is left, and no K
 * processes more than `maxEvents` events.
 */

/** The escrow's constants, as the running product reports them (GET /__bench/escrow-policy). */
export interface EscrowPolicy {
  soldOutBoundMs: number;
  grantUnitsMax: number;
  reserveRoundsMax: number;
  /** A shard's pace: the units it held in the last this many ms. */
  paceWindowMs: number;
  /** A shard that changed reports its part to the pool at most this often. */
  reportIntervalMs: number;
  /** How long holds wait before asking again when the pool said "later" (siblings kept units). */
  laterMs: number;
}

/** Service times of one object's work, in milliseconds, as measured in the same run. */
export interface ServiceTimes {
  /** A hold on a shard (its reserve transaction). */
  shardHoldMs: number;
  /** A hold on an unsharded SKU's own object (K = 1). */
  singleHoldMs: number;
  /** One step of a two-phase transfer: a grant or surrender, a credit, or a post. */
  transferStepMs: number;
}

export interface SimParams {
  ratePerS: number;
  arrivalSeconds: number;
  units: number;
  shards: number;
  objectRps: number;
  queueBound: number;
  hopMs: number;
  seed: number;
  maxEvents: number;
  service: ServiceTimes;
  policy: EscrowPolicy;
}

export type SimOutcome = "held" | "sold_out" | "overloaded" | "unavailable";

export interface SimResult {
  shards: number;
  requests: number;
  outcomes: Record<SimOutcome, number>;
  /**
   * Hold requests the SKU answered for real (granted, or refused sold_out)
   * per second, from the first arrival to the last such answer: the rate the
   * SKU takes hold requests at, which is what the seed's 25,000 a second asks.
   */
  holdsPerS: number;
  /** Units granted per second, from the first arrival to the last grant. */
  grantsPerS: number;
  /** When the last unit was granted (ms after the first arrival); null if none was. */
  lastGrantMs: number | null;
  /** When half, 90% and 99% of the stock had been granted (ms after the first arrival). */
  grantedMs: { p50: number | null; p90: number | null; p99: number | null };
  /** Latency of requests the objects answered (everything but 503 overloaded). */
  p50Ms: number;
  p99Ms: number;
  /** Latency of the granted holds alone. */
  heldP99Ms: number;
  /** Units granted beyond the stock (the model's own check: must be 0). */
  oversell: number;
  /** `sold_out` answers more than soldOutBoundMs before the last grant. */
  falseSoldOut: number;
  /** `sold_out` answers while any unit was still not held (bound or not). */
  soldOutWhileAvailable: number;
  /** 503s (overloaded or unavailable) answered before the last grant. */
  unavailableBeforeLastGrant: number;
  /** Units not held when the run settled, counted when some request was told sold out. */
  stranded: number;
  /** Units left unheld at the end, whatever the reason. */
  unitsLeft: number;
  /** Refills the shards asked of the pool, per 1,000 holds. */
  poolCallsPer1kHolds: number;
  /** Busy share of the pool and of the busiest shard, over [0, last grant]. */
  poolUtilization: number;
  maxShardUtilization: number;
  /** Units debited by a transfer and not credited when the run ended (the model's own check: must be 0). */
  inFlightAtEnd: number;
  /** The model's own check: granted + the pool's and shards' free units + in flight = the stock. */
  conserved: boolean;
  events: number;
  /** True when the event cap stopped the run (its figures are then partial). */
  truncated: boolean;
}

/**
 * Whether a run took the offered rate: at least 95% of it answered for real,
 * every request answered (no 503 at all), nothing oversold or stranded, no
 * false sold-out, and no sold_out at all while a unit was still not held.
 */
export function reachedRate(r: SimResult, ratePerS: number): boolean {
  return (
    !r.truncated &&
    r.conserved &&
    r.holdsPerS >= 0.95 * ratePerS &&
    r.outcomes.overloaded + r.outcomes.unavailable === 0 &&
    r.oversell === 0 &&
    r.falseSoldOut === 0 &&
    r.soldOutWhileAvailable === 0 &&
    r.stranded === 0
  );
}

/** The network the honest tables add: a hop per object call, and objects that take this many calls a second. */
export const HOP_VARIANTS = { hopsMs: [5, 20], objectRps: 500 } as const;

/** The sweep again with each hop of HOP_VARIANTS, at its object rate: what the K for the target becomes once calls cost time. */
export function hopSweeps(settings: Omit<SimParams, "shards">, maxShards: number, seeds: number): SimSweep[] {
  return HOP_VARIANTS.hopsMs.map((hopMs) => sweep({ ...settings, hopMs, objectRps: HOP_VARIANTS.objectRps }, maxShards, seeds));
}

/** The shard counts simulated: 1, 2, 4, ... up to `max`. */
export function shardCounts(max: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= max; k *= 2) out.push(k);
  return out;
}

/** mulberry32: a small, fast, seedable generator; good enough for arrivals. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Event {
  t: number;
  seq: number;
  run: () => void;
}

/** A binary min-heap of events by time, then by insertion order (so equal times stay FIFO). */
class EventQueue {
  private readonly heap: Event[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(t: number, run: () => void): void {
    const h = this.heap;
    h.push({ t, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Event, b: Event): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

/** A refill's answer: units granted (0: the SKU is out), "later" (siblings kept units they are selling), or a refused call. */
type Granted = number | "later" | "error";
/** A recall's answer: units taken back, and units the siblings kept at their pace. */
type Recalled = { units: number; kept: number } | "error";

interface Job {
  work: number;
  /** An incoming call (subject to the platform's limit and queue bound), not a continuation. */
  call: boolean;
  done: () => void;
}

/** One object: a FIFO server, and the units it keeps. */
class SimObject {
  readonly jobs: Job[] = [];
  head = 0;
  busy = false;
  busyUntilMs = 0;
  waitingCalls = 0;
  busyMs = 0;
  /** Units on hand that no hold has taken. */
  free = 0;
  /** Until then, this object was told (or found) the SKU empty. */
  emptyUntilMs = 0;
  // A shard's escrow state.
  lastGrant = 0;
  demand = 0;
  refillWaiters: Array<(units: Granted) => void> | null = null;
  /** When each unit this shard held was held, oldest first, read from `salesHead` on. */
  readonly sales: number[] = [];
  salesHead = 0;
  reportDue = false;
  // The pool's.
  recallWaiters: Array<(r: Recalled) => void> | null = null;

  readonly index: number;

  constructor(index: number) {
    this.index = index;
  }

  /** Units held here in the last `windowMs` (Escrow's pace). */
  pace(nowMs: number, windowMs: number): number {
    while (this.salesHead < this.sales.length && this.sales[this.salesHead]! <= nowMs - windowMs) this.salesHead++;
    return this.sales.length - this.salesHead;
  }
}

interface Request {
  arrivalMs: number;
}

/** Runs one stampede against a SKU with `shards` stock shards (1: unsharded). */
export function simulate(p: SimParams): SimResult {
  const K = p.shards;
  const minCallMs = 1000 / p.objectRps;
  const events = new EventQueue();
  let now = 0;
  let processed = 0;
  let truncated = false;

  const outcomes: Record<SimOutcome, number> = { held: 0, sold_out: 0, overloaded: 0, unavailable: 0 };
  const answeredLatencies: number[] = [];
  const heldLatencies: number[] = [];
  const soldOutAt: number[] = [];
  const unavailableAt: number[] = [];
  let granted = 0;
  let lastGrantMs: number | null = null;
  let lastFinalMs = 0;
  /** When the 50%, 90% and 99% marks of the stock were granted. */
  const marks = [0.5, 0.9, 0.99].map((f) => Math.max(1, Math.ceil(f * p.units)));
  const markMs: Array<number | null> = marks.map(() => null);
  let soldOutWhileAvailable = 0;
  let poolCalls = 0;
  /** Units a two-phase transfer has debited and not yet credited. */
  let inFlight = 0;

  const pool = new SimObject(-1);
  pool.free = p.units;
  const shards = K > 1 ? Array.from({ length: K }, (_, i) => new SimObject(i)) : [];
  const objects = [pool, ...shards];
  /** Each object's busy time up to the last grant, for its utilization while the SKU sold. */
  let busyAtLastGrant: number[] = objects.map(() => 0);
  const at = (delayMs: number, run: () => void) => events.push(now + delayMs, run);
  const hop = (run: () => void) => at(p.hopMs, run);

  function startNext(o: SimObject): void {
    if (o.busy || o.head >= o.jobs.length) return;
    const job = o.jobs[o.head]!;
    o.jobs[o.head++] = undefined as unknown as Job;
    if (o.head > 1024 && o.head * 2 > o.jobs.length) {
      o.jobs.splice(0, o.head);
      o.head = 0;
    }
    if (job.call) o.waitingCalls--;
    o.busy = true;
    o.busyMs += job.work;
    o.busyUntilMs = now + job.work;
    at(job.work, () => {
      o.busy = false;
      job.done();
      startNext(o);
    });
  }

  /** An incoming call; false when the object refused it (overloaded). */
  function call(o: SimObject, workMs: number, done: () => void): boolean {
    if (o.busy && o.waitingCalls >= p.queueBound) return false;
    o.jobs.push({ work: Math.max(workMs, minCallMs), call: true, done });
    o.waitingCalls++;
    startNext(o);
    return true;
  }

  /** The object's own code resuming after a call it made returned. */
  function resume(o: SimObject, workMs: number, done: () => void): void {
    o.jobs.push({ work: workMs, call: false, done });
    startNext(o);
  }

  function answer(req: Request, outcome: SimOutcome): void {
    outcomes[outcome]++;
    const latency = now - req.arrivalMs;
    if (outcome !== "overloaded") answeredLatencies.push(latency);
    if (outcome === "held" || outcome === "sold_out") lastFinalMs = now;
    if (outcome === "held") {
      granted++;
      lastGrantMs = now;
      for (let i = 0; i < marks.length; i++) if (granted === marks[i]) markMs[i] = now;
      heldLatencies.push(latency);
      busyAtLastGrant = objects.map((o) => o.busyMs - (o.busy ? o.busyUntilMs - now : 0));
    } else if (outcome === "sold_out") {
      soldOutAt.push(now);
      if (granted < p.units) soldOutWhileAvailable++;
    } else {
      unavailableAt.push(now);
    }
  }

  // --- The unsharded SKU (K = 1): its own object holds every unit.

  function holdOnSingle(req: Request): void {
    const ok = call(pool, p.service.singleHoldMs, () => {
      if (pool.free > 0) {
        pool.free--;
        answer(req, "held");
      } else {
        answer(req, "sold_out");
      }
    });
    if (!ok) answer(req, "overloaded");
  }

  // --- A shard's side (SkuObject.reserveOnShard, Escrow.refill / refillIfLow).

  function holdOnShard(req: Request, s: SimObject): void {
    if (!call(s, p.service.shardHoldMs, () => attempt(req, s, 1))) answer(req, "overloaded");
  }

  /** One round of reserveOnShard, run inside the shard. */
  function attempt(req: Request, s: SimObject, round: number): void {
    const final = now < s.emptyUntilMs;
    if (s.free > 0) {
      holdOn(s, req);
      refillIfLow(s);
      return;
    }
    if (final) {
      answer(req, "sold_out");
      return;
    }
    ask(req, s, round);
  }

  /** The hold waits on a refill; after "later" it asks again, trying its reserve only once units are here. */
  function ask(req: Request, s: SimObject, round: number): void {
    s.demand += 1;
    refill(s, 1, (units) => {
      s.demand -= 1;
      if (units === "error") {
        answer(req, "overloaded");
      } else if (units === "later") {
        if (round >= p.policy.reserveRoundsMax) answer(req, "unavailable");
        else
          at(p.policy.laterMs, () =>
            s.free > 0 ? resume(s, p.service.shardHoldMs, () => attempt(req, s, round + 1)) : ask(req, s, round + 1),
          );
      } else if (units === 0) {
        // The pool and every sibling are out: the final reserve.
        if (s.free > 0) {
          holdOn(s, req);
        } else {
          answer(req, "sold_out");
        }
      } else if (round >= p.policy.reserveRoundsMax) {
        answer(req, "unavailable");
      } else {
        attempt(req, s, round + 1);
      }
    });
  }

  function holdOn(s: SimObject, req: Request): void {
    s.free--;
    s.sales.push(now);
    answer(req, "held");
    report(s);
  }

  /** The shard's level report (ShardReporter): one call to the pool per interval while it changes. */
  function report(s: SimObject): void {
    if (s.reportDue) return;
    s.reportDue = true;
    at(p.policy.reportIntervalMs, () => {
      s.reportDue = false;
      hop(() => call(pool, 0, () => {}));
    });
  }

  function refillIfLow(s: SimObject): void {
    if (s.refillWaiters) return;
    if (s.free > Math.max(1, Math.floor(s.lastGrant / 4))) return;
    refill(s, 1, () => {});
  }

  /** Single flight: callers while a refill is out share its result. */
  function refill(s: SimObject, wanted: number, cb: (units: Granted) => void): void {
    if (s.refillWaiters) {
      s.refillWaiters.push(cb);
      return;
    }
    s.refillWaiters = [cb];
    poolCalls++;
    const w = Math.max(wanted, s.demand);
    const pace = s.pace(now, p.policy.paceWindowMs);
    // Holds resume together in the event that ends the refill, each running its reserve again.
    const finish = (units: Granted) => {
      const waiters = s.refillWaiters ?? [];
      s.refillWaiters = null;
      const work = typeof units === "number" ? waiters.length * p.service.shardHoldMs : 0;
      resume(s, work, () => {
        for (const w of waiters) w(units);
      });
    };
    hop(() => {
      const ok = call(pool, p.service.transferStepMs, () =>
        grant(s.index, w, pace, (units) =>
          hop(() => {
            if (units === "error" || units === "later") return finish(units);
            if (units === 0) {
              s.emptyUntilMs = now + p.policy.soldOutBoundMs;
              return finish(0);
            }
            // The shard credits the grant; its acknowledgement rides on its next call to the pool.
            resume(s, p.service.transferStepMs, () => {
              inFlight -= units;
              s.free += units;
              s.lastGrant = units;
              finish(units);
            });
          }),
        ),
      );
      if (!ok) hop(() => finish("error"));
    });
  }

  // --- The pool's side (Escrow.grant and recall), run inside the pool.

  function grant(shard: number, wanted: number, pace: number, reply: (units: Granted) => void): void {
    const send = (kept: number) => {
      const batch = Math.min(p.policy.grantUnitsMax, Math.max(wanted, pace, Math.ceil(pool.free / (2 * K))));
      const n = Math.min(batch, pool.free);
      if (n <= 0) return reply(kept > 0 ? "later" : 0);
      pool.free -= n;
      inFlight += n;
      reply(n);
    };
    if (pool.free < wanted && K > 1 && !(now < pool.emptyUntilMs)) {
      recall(shard, (r) => {
        if (r === "error") return reply("error");
        if (r.units === 0 && r.kept === 0 && pool.free === 0) pool.emptyUntilMs = now + p.policy.soldOutBoundMs;
        send(r.kept);
      });
    } else {
      send(0);
    }
  }

  function recall(except: number, cb: (r: Recalled) => void): void {
    if (pool.recallWaiters) {
      pool.recallWaiters.push(cb);
      return;
    }
    pool.recallWaiters = [cb];
    const siblings = shards.filter((s) => s.index !== except);
    let pending = siblings.length;
    let sum = 0;
    let kept = 0;
    let settled = false;
    const finish = (units: number | "error") => {
      if (settled) return;
      settled = true;
      const waiters = pool.recallWaiters ?? [];
      pool.recallWaiters = null;
      // Each grant that waited sends its batch (one transaction each) when the recall ends.
      const work = units === "error" ? 0 : waiters.length * p.service.transferStepMs;
      const r: Recalled = units === "error" ? "error" : { units, kept };
      resume(pool, work, () => {
        for (const w of waiters) w(r);
      });
    };
    const one = (units: number) => {
      sum += units;
      if (--pending === 0) finish(sum);
    };
    if (pending === 0) {
      finish(0);
      return;
    }
    for (const s of siblings) {
      hop(() => {
        const ok = call(s, p.service.transferStepMs, () => {
          // A sibling keeps what it sells in a pace window: those units go before a refusal elsewhere could count.
          const keep = Math.min(s.free, s.pace(now, p.policy.paceWindowMs));
          kept += keep;
          const free = s.free - keep;
          if (free <= 0) return hop(() => one(0));
          s.free -= free;
          inFlight += free;
          hop(() =>
            resume(pool, p.service.transferStepMs, () => {
              inFlight -= free;
              pool.free += free;
              hop(() => {
                const posted = call(s, p.service.transferStepMs, () => hop(() => one(free)));
                if (!posted) hop(() => finish("error"));
              });
            }),
          );
        });
        if (!ok) hop(() => finish("error"));
      });
    }
  }

  // --- Arrivals: Poisson at ratePerS for arrivalSeconds; each customer's shard uniform (a hash of distinct ids).

  const arrivals = rng(p.seed);
  const customers = rng(p.seed ^ 0x9e3779b9);
  const endMs = p.arrivalSeconds * 1000;
  let requests = 0;
  const arrive = () => {
    const req: Request = { arrivalMs: now };
    requests++;
    const u = customers();
    if (K === 1) holdOnSingle(req);
    else holdOnShard(req, shards[Math.min(K - 1, Math.floor(u * K))]!);
    const next = now + (-Math.log(1 - arrivals()) * 1000) / p.ratePerS;
    if (next < endMs) events.push(next, arrive);
  };
  events.push(0, arrive);

  while (events.size > 0) {
    if (processed >= p.maxEvents) {
      truncated = true;
      break;
    }
    const e = events.pop()!;
    now = e.t;
    processed++;
    e.run();
  }

  const last = lastGrantMs as number | null;
  const boundary = last === null ? Number.NEGATIVE_INFINITY : last - p.policy.soldOutBoundMs;
  const share = (i: number) => (last !== null && last > 0 ? Math.min(1, busyAtLastGrant[i]! / last) : 0);
  const sorted = (xs: number[]) => Float64Array.from(xs).sort();
  const answered = sorted(answeredLatencies);
  const held = sorted(heldLatencies);
  const unitsLeft = p.units - granted;
  return {
    shards: K,
    requests,
    outcomes,
    holdsPerS: lastFinalMs > 0 ? ((outcomes.held + outcomes.sold_out) * 1000) / lastFinalMs : 0,
    grantsPerS: last !== null && last > 0 ? (granted * 1000) / last : 0,
    lastGrantMs: last,
    grantedMs: { p50: markMs[0] ?? null, p90: markMs[1] ?? null, p99: markMs[2] ?? null },
    p50Ms: quantile(answered, 0.5),
    p99Ms: quantile(answered, 0.99),
    heldP99Ms: quantile(held, 0.99),
    oversell: Math.max(0, granted - p.units),
    falseSoldOut: soldOutAt.filter((t) => t < boundary).length,
    soldOutWhileAvailable,
    unavailableBeforeLastGrant: last === null ? 0 : unavailableAt.filter((t) => t < last).length,
    stranded: outcomes.sold_out > 0 ? unitsLeft : 0,
    unitsLeft,
    poolCallsPer1kHolds: granted > 0 ? (poolCalls * 1000) / granted : 0,
    poolUtilization: share(0),
    maxShardUtilization: Math.max(0, ...shards.map((_, i) => share(i + 1))),
    inFlightAtEnd: inFlight,
    conserved: granted + pool.free + shards.reduce((n, s) => n + s.free, 0) + inFlight === p.units,
    events: processed,
    truncated,
  };
}

/** One K over several seeds: every run, the median run by holds/s, and how many runs reached the rate. */
export interface SimK {
  shards: number;
  runs: SimResult[];
  median: SimResult;
  reached: number;
}

export interface SimSweep {
  settings: Omit<SimParams, "shards" | "seed">;
  seeds: number[];
  byK: SimK[];
  /** The smallest K at which every seed's run took the offered rate (reachedRate), or null if none did. */
  reachedAtK: number | null;
  seconds: number;
}

/**
 * Runs the stampede for K = 1, 2, 4, ... up to `maxShards`, each with `seeds`
 * seeds (seed, seed + 1, ...): the tail of a sale is sensitive to the order of
 * arrivals, so one seed can be lucky.
 */
export function sweep(settings: Omit<SimParams, "shards">, maxShards: number, seeds: number): SimSweep {
  const started = performance.now();
  const { seed, ...rest } = settings;
  const seedList = Array.from({ length: Math.max(1, seeds) }, (_, i) => (seed + i) >>> 0);
  const byK = shardCounts(maxShards).map((shards) => {
    const runs = seedList.map((s) => simulate({ ...rest, seed: s, shards }));
    const sorted = [...runs].sort((a, b) => a.holdsPerS - b.holdsPerS);
    return {
      shards,
      runs,
      median: sorted[Math.floor((sorted.length - 1) / 2)]!,
      reached: runs.filter((r) => reachedRate(r, rest.ratePerS)).length,
    };
  });
  const reached = byK.find((k) => k.reached === k.runs.length);
  return { settings: rest, seeds: seedList, byK, reachedAtK: reached?.shards ?? null, seconds: (performance.now() - started) / 1000 };
}
