import { DurableObject } from "cloudflare:workers";
import { refuse, type Outcome, type Refusal } from "../domain/problems";
import { InvariantViolation } from "../stock/invariants";
import { hasSchema, migrate } from "./migrate";
import { GENESIS_HASH } from "../audit/chain";
import { AlarmKeeper } from "../platform/alarm-keeper";
import { OutboxShipper, SHIPPING, shipDelayMs } from "../stock/outbox";
import { SkuCatalog } from "../stock/catalog";
import { SKU_MIGRATIONS } from "../stock/schema";
import { SkuLedger } from "../stock/ledger";
import { isShortage } from "../stock/take-hold";
import { Escrow, type Role } from "../stock/shards/escrow";
import type { ShardCount } from "../stock/shards/hold-routing";
import { nextSaleEdgeMs } from "../stock/offer";
import { metricsPartHere, type MetricsPart } from "../stock/metrics-part";
import { Histogram } from "../platform/histogram";
import { Upkeep } from "../stock/upkeep";
import { parseThreshold } from "../stock/alerts";
import { LivePush } from "../stock/live/push";
import { readLive, readWhole, ShardParts, ShardReporter } from "../stock/live/shard-reports";
import { WholeAlerts } from "../stock/whole-alerts";
import { envNumber } from "../platform/env-number";
import { logger, type Log } from "../platform/log";
import { traced } from "../platform/trace";
import { SqlMeter, type OpCost } from "../platform/sql-meter";
import { GROUP_COMMIT_OP, GroupCommit } from "../platform/group-commit";

/** The per-operation SQL meter (`costs`) and the span each call runs in under its caller's trace. */
export type Instruments = { meter: boolean; trace: boolean };

/**
 * The single writer of one SKU's stock (spec §1). RPC methods stamp the
 * time, run one ledger transaction and keep the alarm pointed at the earliest
 * deadline; the tables are the truth and the alarm only a trigger.
 *
 * The object's RPC surface is one class built in layers, each a file of one
 * concern: this core (storage, transactions, the alarm), its reads across the
 * SKU's objects and live push (sku-object-reads.ts), the stock shards' protocol between
 * them (sku-object-peers.ts), and the API's operations (sku-object.ts).
 */
export abstract class SkuObjectCore extends DurableObject<Env> {
  readonly ledger: SkuLedger;
  /** The merchant's settings for this SKU: name, price, sale terms. */
  readonly catalog: SkuCatalog;
  /** Drains the outbox to D1's audit log and inventory view, from the alarm only. */
  readonly shipper: OutboxShipper;
  /** The pool's and the shards' side of stock shards (spec §8). */
  readonly escrow: Escrow;
  readonly log: Log;
  /** Rows read and written per operation, as the platform bills them (see `costs`). */
  readonly meter: SqlMeter;
  protected readonly alarms: AlarmKeeper;
  /** Every mutation's transaction commits in a group with the others that arrived meanwhile (platform/group-commit.ts). */
  private readonly commits: GroupCommit;
  protected readonly upkeep: Upkeep;
  /** Live sockets of the SKU (spec §10), on its own object; shards report to it. */
  protected readonly live: LivePush;
  protected readonly liveShards = new ShardParts();
  protected readonly reporter: ShardReporter;
  /** A sharded SKU's stock alerts, judged on the whole SKU by its own object. */
  protected readonly wholeAlerts: WholeAlerts;
  protected readonly startedAtMs = Date.now();
  protected calls = 0;
  /** Hold service times this instance saw (GET /metrics); the Workers clock moves on I/O only, so it is the awaited part. */
  protected readonly holdService = new Histogram();
  /**
   * Storage is set up by the first change, not by the first call: reads and
   * refusals for a SKU name nobody created leave no stored object behind.
   */
  protected schemaReady = false;

  constructor(
    ctx: DurableObjectState,
    env: Env,
    /** Both on in the product; the bench turns them off to price them (bench/instruments.ts). */
    private readonly instruments: Instruments = { meter: true, trace: true },
  ) {
    super(ctx, env);
    this.log = logger(env);
    this.meter = new SqlMeter(ctx.storage, instruments.meter);
    const storage = this.meter.storage;
    this.ledger = new SkuLedger(storage, {
      hold_seconds: envNumber(env.DEFAULT_HOLD_SECONDS, 600, { min: 1 }),
      payment_seconds: envNumber(env.DEFAULT_PAYMENT_SECONDS, 900, { min: 1 }),
      retention_ms: envNumber(env.RETENTION_SECONDS, 7 * 24 * 3600) * 1000,
    });
    this.catalog = new SkuCatalog(this.ledger.tables);
    this.commits = new GroupCommit(ctx.storage, {
      rolledBack: () => this.ledger.tables.forget(),
      committed: (changes) => this.meter.note(GROUP_COMMIT_OP, changes),
    });
    this.escrow = new Escrow(env, this.ledger, () => Date.now());
    // An alarm armed within the base shipping delay is early enough for anything a
    // request creates: a hold lives a second or more, and events ship at most that
    // much later than their own rule asks (a full batch, due at once, waits for the
    // armed alarm). Under load the reserve path pays for one setAlarm per shipping
    // window (the first event after a ship), not one per request.
    this.alarms = new AlarmKeeper(
      storage,
      // A sale's start or end changes what a hold gets with no request to say so: the alarm wakes then to push it.
      () => earliest(this.ledger.nextDeadlineMs(this.shipper.retryNotBeforeMs, shipDelayMs(this.escrow.role())), this.nextSaleEdgeMs()),
      SHIPPING.delay_ms,
    );
    this.upkeep = new Upkeep(
      this,
      ctx.id.toString(),
      this.alarms,
      (fn) => this.guard(fn),
      (opts) => this.rearm(opts),
    );
    const lowStockThreshold = parseThreshold(env.LOW_STOCK_THRESHOLD, this.log);
    this.shipper = new OutboxShipper(storage, this.ledger.tables, {
      db: env.DB,
      notifications: env.NOTIFICATIONS,
      lowStockThreshold,
      log: this.log,
    });
    this.wholeAlerts = new WholeAlerts(
      this.ledger.tables,
      async () => (this.schemaReady ? readWhole(this.ledger, this.escrow, this.liveShards) : null),
      () => this.alarms.rearm(),
      lowStockThreshold,
      this.log,
    );
    this.live = new LivePush(ctx, () => readLive(this.ledger, this.escrow, this.liveShards), this.log);
    this.reporter = new ShardReporter(this.ledger, this.escrow, this.log);
    void ctx.blockConcurrencyWhile(async () => {
      if (!hasSchema(ctx.storage)) return;
      this.ensureSchema();
      // Deadlines that passed while the object was asleep are settled before any
      // request; if that fails the alarm retries it, and the object still serves.
      this.upkeep.expire();
      await this.alarms.load();
      await this.rearm();
    });
  }

  /** Runs a call as a span of the caller's trace (src/platform/trace.ts), unless the trace is off. */
  protected inTrace<T>(trace: string | undefined, fn: () => T): T {
    return this.instruments.trace ? traced(trace, fn) : fn();
  }

  /** Every answer on the hold path tells the edge this object's shard count (see hold-routing). */
  protected counted<T extends object>(answer: T): T & { count?: ShardCount } {
    const role = this.knownRole();
    return role ? { ...answer, count: { shards: role.shards, epoch: role.epoch } } : answer;
  }

  /** This object's audit stream head, kept outside D1 (issue 25): what `verify` checks D1's chain against. */
  async auditHead(): Promise<{ seq: number; hash: string }> {
    if (!hasSchema(this.ctx.storage)) return { seq: 0, hash: GENESIS_HASH };
    return this.ctx.storage.sql.exec<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_head WHERE id = 1").one();
  }

  /** Rows read and written by operation since this object started (the bench prices them; docs/bench-and-chaos.md). */
  async costs(): Promise<Record<string, OpCost>> {
    return this.meter.report();
  }

  async counters(): Promise<Record<string, number>> {
    return this.schemaReady ? this.ledger.counters() : {};
  }

  /** This object's own part of its SKU's metrics. */
  metricsPart(): MetricsPart | null {
    return this.schemaReady ? metricsPartHere(this.ledger.tables, this.holdService.snapshot()) : null;
  }

  /**
   * The alarm only triggers; Upkeep does the work and points the alarm at what is left.
   * Each run is a trace of its own (src/platform/trace.ts): its lines (shipping, expiry) carry one id.
   */
  override alarm(): Promise<void> {
    return traced(undefined, async () => {
      this.alarms.fired();
      if (!this.schemaReady) return;
      await this.upkeep.run();
    });
  }

  /**
   * Runs a mutation through the group commit (at once when the object is
   * idle), then re-arms the alarm; a violated invariant becomes an `internal`
   * refusal.
   */
  protected async mutate<R extends Outcome<unknown>>(fn: () => R): Promise<R | Refusal> {
    this.calls += 1;
    if (!this.schemaReady) return refuse("not_found", "No such SKU.");
    const result = await this.commits.run(() => {
      let outcome: R | Refusal;
      try {
        outcome = this.guard(fn);
      } catch (e) {
        if (!(e instanceof InvariantViolation)) throw e;
        outcome = refuse("internal", "The change would break a stock invariant, so nothing was applied.");
      }
      // A shard's shortage is a step of a hold still in progress, not an answer.
      if (!outcome.ok && !isShortage(outcome)) this.ledger.countRefusal(outcome.code);
      return outcome;
    });
    await this.rearm();
    return result;
  }

  /** This object's role among its SKU's objects (from memory): null before it has settings. */
  protected knownRole(): Role | null {
    return this.schemaReady ? this.escrow.role() : null;
  }

  /** Sets up (or upgrades) storage; every change calls it, and tests that drive the ledger directly. */
  ensureSchema(): void {
    if (this.schemaReady) return;
    migrate(this.ctx.storage, SKU_MIGRATIONS);
    // A step may have rebuilt a table whose rows the tables keep in memory.
    this.ledger.tables.forget();
    this.schemaReady = true;
  }

  /** Runs a change that emits events but returns no refusal, then re-arms so its events ship. */
  protected async changeThenRearm<R>(fn: () => R): Promise<R> {
    this.calls += 1;
    const result = this.guard(fn);
    await this.rearm();
    return result;
  }

  /** Counts and logs an invariant violation loudly; the transaction already rolled back. */
  protected guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof InvariantViolation) {
        this.log.critical("invariant_violation", { object: this.ctx.id.toString(), invariant: e.invariant, facts: e.facts });
        this.ledger.recordViolation();
      }
      throw e;
    }
  }

  protected nextSaleEdgeMs(): number | null {
    return this.schemaReady ? nextSaleEdgeMs(this.ledger.tables.saleRules(), Date.now()) : null;
  }

  /** Every change ends here, so it is also where live push hears of it (a comparison when nobody watches). */
  protected rearm(opts: { exact?: boolean; atLatestMs?: number | null } = {}): Promise<void> {
    const role = this.knownRole();
    if (role?.shard != null) this.reporter.changed(role);
    else {
      this.live.changed();
      // Once sharded, the SKU's own object may serve holds itself (back to one shard): its changes count too.
      if (role && role.span > 1) this.wholeAlerts.changed();
    }
    return this.alarms.rearm(opts);
  }
}

function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}
