import { DurableObject } from "cloudflare:workers";
import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import type { Adjustment, Hold, MerchantWrite, SaleRule, SkuConfig, SkuSnapshot } from "../domain/types";
import type { LocationProfile } from "../domain/locations";
import type { EventLevels } from "../stock/stocking";
import { viewLevelsHere, type ObjectView } from "../stock/view-levels";
import { InvariantViolation } from "../stock/invariants";
import { hasSchema, migrate } from "./migrate";
import { GENESIS_HASH } from "../audit/chain";
import { AlarmKeeper } from "../platform/alarm-keeper";
import { OutboxShipper, SHIPPING, shipDelayMs } from "../stock/outbox";
import { SkuCatalog } from "../stock/catalog";
import { SKU_MIGRATIONS } from "../stock/schema";
import { NO_KEYS, type AcceptedKeys } from "../idempotency/accepted-keys";
import type { MerchantActor } from "../domain/roles";
import { LIMITS, SkuLedger, type Actor, type AdjustmentResult, type IdempotencyKey, type Replayable } from "../stock/ledger";
import { isShortage, type HoldInput } from "../stock/take-hold";
import { unitsWanted, type HoldChange } from "../stock/change-hold";
import { Escrow, type FenceAs, type Prior, type Role } from "../stock/shards/escrow";
import type { ShardCount, StoredHold } from "../stock/shards/hold-routing";
import type { Grant, ShardNews, Surrendered } from "../stock/shards/escrow-policy";
import { keysMovedTo } from "../stock/shards/moved-keys";
import { POOL } from "../stock/addressing";
import { expireHoldNow } from "../stock/dev-expiry";
import { isVerdict, nextSaleEdgeMs } from "../stock/offer";
import { partOf, wholeSnapshot, type ShardPart } from "../stock/shards/parts";
import type { Transfer } from "../stock/shards/transfers";
import { skuStats, type SkuStats } from "../stock/stats";
import { auditAcrossObjects } from "../stock/stats-audit";
import { addMetricsParts, metricsPartHere, type MetricsPart, type SkuMetrics } from "../stock/metrics-part";
import { Histogram } from "../platform/histogram";
import { addActivity, countSaleRefusal, saleActivityHere, type SaleActivity } from "../stock/sale-activity";
import { Upkeep } from "../stock/upkeep";
import { parseThreshold } from "../stock/alerts";
import { holdPage, mergeHoldPages, type HoldQuery, type MerchantHold } from "../stock/hold-list";
import { LivePush } from "../stock/live/push";
import { readLive, readWhole, ShardParts, ShardReporter } from "../stock/live/shard-reports";
import { WholeAlerts } from "../stock/whole-alerts";
import { problemResponse } from "../http/problem";
import { envNumber } from "../platform/env-number";
import { logger, type Log } from "../platform/log";
import { traced } from "../platform/trace";
import { SqlMeter, type OpCost } from "../platform/sql-meter";
import type { LocationTransfer, LocationTransferInput, StepContext, TransferQuery } from "../stock/location-transfers";

/** Calls the SKU's own object makes to push its settings to one shard before leaving it to the next grant. */
const PUSH_ATTEMPTS_MAX = 3;

/**
 * The single writer of one SKU's stock (spec §1). RPC methods stamp the
 * time, run one ledger transaction and keep the alarm pointed at the earliest
 * deadline; the tables are the truth and the alarm only a trigger.
 */
export class SkuObject extends DurableObject<Env> {
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
  private readonly alarms: AlarmKeeper;
  private readonly upkeep: Upkeep;
  /** Live sockets of the SKU (spec §10), on its own object; shards report to it. */
  private readonly live: LivePush;
  private readonly liveShards = new ShardParts();
  private readonly reporter: ShardReporter;
  /** A sharded SKU's stock alerts, judged on the whole SKU by its own object. */
  private readonly wholeAlerts: WholeAlerts;
  private readonly startedAtMs = Date.now();
  private calls = 0;
  /** Hold service times this instance saw (GET /metrics); the Workers clock moves on I/O only, so it is the awaited part. */
  private readonly holdService = new Histogram();
  /**
   * Storage is set up by the first change, not by the first call: reads and
   * refusals for a SKU name nobody created leave no stored object behind.
   */
  private schemaReady = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.log = logger(env);
    this.meter = new SqlMeter(ctx.storage);
    const storage = this.meter.storage;
    this.ledger = new SkuLedger(storage, {
      hold_seconds: envNumber(env.DEFAULT_HOLD_SECONDS, 600, { min: 1 }),
      payment_seconds: envNumber(env.DEFAULT_PAYMENT_SECONDS, 900, { min: 1 }),
      retention_ms: envNumber(env.RETENTION_SECONDS, 7 * 24 * 3600) * 1000,
    });
    this.catalog = new SkuCatalog(this.ledger.tables);
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

  /** The merchant's settings; with shards, pushed on to every shard (draining ones give their units back). */
  async configure(
    sku: string,
    config: SkuConfig,
    write: MerchantWrite = {},
  ): Promise<Outcome<{ created: boolean; snapshot: SkuSnapshot }>> {
    this.ensureSchema();
    this.escrow.forgetRole();
    const result = await this.changeThenRearm(() => this.catalog.configure(sku, config, Date.now(), null, null, null, write));
    this.escrow.forgetRole();
    if ("ok" in result) {
      this.ledger.countRefusal(result.code);
      return result;
    }
    const role = this.escrow.role()!;
    if (role.span > 1) {
      await this.escrow.onShards(role, (_shard, i) => this.pushSettings(role, i, config));
      const whole = (await this.snapshot())!;
      // As on an unsharded SKU, a SKU never stocked has no level to compare with: its first restock raises none.
      if (whole.levels.received > 0) await this.wholeAlerts.judgeNow(whole.levels);
      return accept({ ...result, snapshot: whole });
    }
    return accept(result);
  }

  /**
   * Pushes the SKU's settings to shard `i`, a few times if a call fails. A
   * shard that still missed them is pushed again when it next asks the pool
   * for units (`grant`), and its old customers are fenced by their new homes,
   * so a stale shard can neither take more units nor exceed a limit.
   */
  private async pushSettings(role: Role, i: number, config?: SkuConfig): Promise<boolean> {
    const sku = this.ledger.tables.requireSku();
    const settings: SkuConfig = config ?? {
      name: sku.name,
      price: { amount: sku.price_amount, currency: sku.currency },
      alwaysOn: sku.always_on === 1,
    };
    const rules = this.ledger.tables.saleRules();
    for (let attempt = 1; attempt <= PUSH_ATTEMPTS_MAX; attempt++) {
      try {
        await this.escrow.peer(role, i).configureShard(role.sku, i, { ...settings, shards: role.shards }, rules, role.history, role.epoch);
        return true;
      } catch (e) {
        this.log.error("settings_push_failed", { sku: role.sku, shard: i, attempt, error: String(e) });
      }
    }
    return false;
  }

  /** A shard that found itself behind asks for the current settings (see `reserve`). */
  async pushSettingsTo(shard: number): Promise<void> {
    const role = this.schemaReady ? this.escrow.role() : null;
    if (role && role.shard === null && shard >= 0 && shard < role.span) await this.pushSettings(role, shard);
  }

  /** A shard's settings, from its SKU's own object; the shard's epoch in return (older pushes change nothing). */
  async configureShard(sku: string, shard: number, config: SkuConfig, rules: SaleRule[], history: number[], epoch: number): Promise<void> {
    this.ensureSchema();
    const now_ms = Date.now();
    this.escrow.forgetRole();
    await this.changeThenRearm(() => {
      this.catalog.configure(sku, config, now_ms, shard, history, epoch);
      for (const rule of rules) this.catalog.applySaleRule(rule, now_ms);
    });
    this.escrow.forgetRole();
    await this.escrow.drain(this.escrow.role()!);
  }

  async applySaleRule(rule: SaleRule): Promise<{ applied: boolean }> {
    this.ensureSchema();
    const result = await this.changeThenRearm(() => this.catalog.applySaleRule(rule, Date.now()));
    await this.escrow.onShards(this.escrow.role(), (shard) => shard.applySaleRule(rule));
    return result;
  }

  async removeSaleRule(saleId: string, revision: number): Promise<{ applied: boolean }> {
    this.ensureSchema();
    const result = await this.changeThenRearm(() => this.catalog.removeSaleRule(saleId, revision, Date.now()));
    await this.escrow.onShards(this.escrow.role(), (shard) => shard.removeSaleRule(saleId, revision));
    return result;
  }

  /** Restocks and shrinkage go to the pool; shrinkage beyond it recalls the shards' free units first. */
  async adjust(input: Adjustment, idem: IdempotencyKey | null, write: MerchantWrite = {}): Promise<Replayable<AdjustmentResult>> {
    const role = this.schemaReady ? this.escrow.role() : null;
    if (role && role.span > 1 && input.delta < 0 && this.escrow.available() < -input.delta) {
      await this.escrow.recall(role, null, "all");
    }
    const outcome = await this.meter.measure("restock", () => this.mutate(() => this.ledger.adjust(input, idem, Date.now(), write)));
    if (!outcome.ok || !role || role.span <= 1) return outcome;
    if (!outcome.replayed) this.wholeAlerts.changed({ stocked: true });
    // The answer speaks of the SKU, not of the pool alone.
    const whole = await this.snapshot();
    return whole ? { ...outcome, value: { ...outcome.value, levels: whole.levels } } : outcome;
  }

  /**
   * `PUT /v1/skus/{sku}/locations/{id}` (spec §11): stocks the location with
   * no units if new (the SKU's first location makes its stock `default`'s)
   * and sets its safety stock. `write.profile` is the registry's copy.
   */
  async stockLocation(
    locationId: string,
    safetyStock: number | undefined,
    write: MerchantWrite,
  ): Promise<Outcome<{ levels: EventLevels; version: number }>> {
    return this.mutate(() => this.ledger.stockLocation(locationId, safetyStock, write, Date.now()));
  }

  /** The registry's push of a location's profile: applied only where stocked and newer (bumps `version`). */
  async setLocationProfile(profile: LocationProfile): Promise<{ applied: boolean }> {
    if (!this.schemaReady) return { applied: false };
    return this.changeThenRearm(() => this.ledger.setLocationProfile(profile, Date.now()));
  }

  /**
   * A refusal the edge may repeat to other shoppers (sold out, not on sale...)
   * carries the filter of keys this object accepted, so the edge's cut can
   * still send a retry of an accepted hold here for its stored reply.
   */
  async reserve(
    input: HoldInput,
    idem: IdempotencyKey | null,
    /** The caller's W3C traceparent: this call's log lines carry its trace id (src/platform/trace.ts). */
    trace?: string,
  ): Promise<Replayable<Hold> & { acceptedKeys?: AcceptedKeys; count?: ShardCount }> {
    return traced(trace, () =>
      this.meter.measure("hold", async () => {
        const started_ms = Date.now();
        const answer = this.counted(await this.reserveHere(input, idem, false));
        this.holdService.observe(Date.now() - started_ms);
        return answer;
      }),
    );
  }

  /** Every answer on the hold path tells the edge this object's shard count (see hold-routing). */
  private counted<T extends object>(answer: T): T & { count?: ShardCount } {
    const role = this.schemaReady ? this.escrow.role() : null;
    return role ? { ...answer, count: { shards: role.shards, epoch: role.epoch } } : answer;
  }

  private async reserveHere(
    input: HoldInput,
    idem: IdempotencyKey | null,
    /** The settings were just re-pushed, so a stale role is not asked for again. */
    settled: boolean,
  ): Promise<Replayable<Hold> & { acceptedKeys?: AcceptedKeys }> {
    const role = this.schemaReady ? this.escrow.role() : null;
    // Not this object's customer (the shard count changed, or a newer home fenced it): the caller retries where it says.
    const elsewhere = role && this.escrow.homeRefusal(role, input.customerId);
    if (elsewhere) return elsewhere;
    const prior = role ? await this.escrow.priorOf(role, input.customerId, idem) : null;
    if (prior && "code" in prior) {
      // This shard missed newer settings: it asks the SKU's own object for them, then serves under them (once).
      if (role?.shard == null || settled) return prior;
      await this.escrow.peer(role, POOL).pushSettingsTo(role.shard);
      return this.reserveHere(input, idem, true);
    }
    if (prior?.reply) return prior.reply;
    // The home is checked again inside the hold's transaction: the count may change, or a fence arrive, while it waits.
    const attempt = (shortage: "ask" | "final") =>
      this.mutate(() => {
        const now = this.escrow.role();
        return (
          (now && this.escrow.homeRefusal(now, input.customerId)) || this.ledger.reserve(input, idem, Date.now(), shortage, prior?.usage)
        );
      });
    // A shard, or a SKU's own object whose old shards may still hold units, refills when short.
    const refills = role !== null && (role.shard !== null || role.span > 1);
    const outcome: Replayable<Hold> = refills
      ? await this.escrow.reserveWithRefills(role, input.quantity, attempt)
      : await attempt("final");
    // The sale board counts its shoppers' refusals apart from the SKU's lifetime counters (issue 21).
    if (!outcome.ok && !outcome.replayed && !isShortage(outcome) && this.schemaReady)
      countSaleRefusal(this.ledger.tables, outcome.code, Date.now());
    if (outcome.ok || outcome.replayed || !isVerdict(outcome.code)) return outcome;
    if (!this.schemaReady) return { ...outcome, acceptedKeys: NO_KEYS };
    const moved = role && role.history.length > 0 ? await this.escrow.keysMovedHere(role) : undefined;
    // Without the moved keys the edge could refuse a retry whose hold exists elsewhere: no filter, no cut.
    return moved === null ? outcome : { ...outcome, acceptedKeys: this.ledger.acceptedKeys(Date.now(), moved) };
  }

  // --- Live push (spec §10): the one fetch entry, since a WebSocket upgrade can only travel as a request.

  override async fetch(request: Request): Promise<Response> {
    const role = this.schemaReady ? this.escrow.role() : null;
    if (!role || role.shard !== null) return problemResponse("not_found", "No such SKU.");
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
      return problemResponse("upgrade_required", "Send Upgrade: websocket.");
    if (!this.live.watching && role.span > 1) {
      // The first watcher: shards start reporting, and the copy of their parts is read afresh.
      this.liveShards.clear();
      await this.escrow.onShards(role, (s) => s.watchLive());
    }
    // The edge's view of the client (Cloudflare sets it; absent in local tools), for the per-client socket cap.
    return this.live.accept(role.sku, request.headers.get("cf-connecting-ip"));
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.live.onMessage(ws, message);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    this.live.onClose(ws, code);
  }

  override webSocketError(ws: WebSocket): void {
    this.webSocketClose(ws, 1011);
  }

  /** A shard's levels changed; the answer tells it whether to keep reporting. */
  async shardLevels(part: ShardPart, news?: ShardNews): Promise<{ watching: boolean }> {
    if (this.schemaReady && news && news.credited.length > 0) {
      this.escrow.heard(news, Date.now());
      await this.rearm();
    }
    this.liveShards.report(part);
    this.live.changed();
    this.wholeAlerts.changed();
    return { watching: this.live.watching };
  }

  async watchLive(): Promise<void> {
    this.reporter.watch();
  }

  // --- Escrow (spec §8): the pool's and the shards' side of two-phase transfers.

  async grant(shard: number, wanted: number, news?: ShardNews): Promise<Grant> {
    const role = this.escrow.role();
    if (!role || role.shard !== null) return null;
    // A shard that missed the current settings gets them before any unit: it asks again under them.
    if (news?.epoch !== undefined && news.epoch < role.epoch) {
      await this.pushSettings(role, shard);
      return "later";
    }
    const t = await this.meter.measure("transfer", () => this.escrow.grant(role, shard, wanted, news));
    await this.rearm();
    return t;
  }

  async surrender(keepPace = false): Promise<Surrendered> {
    if (!this.schemaReady) return { transfer: null, keptUnits: 0 };
    const t = this.meter.measure("transfer", () => this.escrow.surrender(keepPace, Date.now()));
    await this.rearm();
    return t;
  }

  async receiveTransfer(t: Transfer): Promise<void> {
    this.ensureSchema();
    this.meter.measure("transfer", () => this.guard(() => this.escrow.receive(t, Date.now())));
    await this.rearm();
  }

  async postTransfer(transferId: string): Promise<void> {
    if (!this.schemaReady) return;
    this.meter.measure("transfer", () => this.escrow.post(transferId, Date.now()));
    await this.rearm();
  }

  /** This object's own part of its SKU, for the SKU's own object to add up. */
  async part(audited = false): Promise<ShardPart | null> {
    if (!this.schemaReady) return null;
    // As of now, like the pool's own snapshot: a hold past its deadline is not reserved, whether or not the alarm ran.
    this.guard(() => this.ledger.expireDue(Date.now(), LIMITS.sweep_holds_max));
    const part = this.guard(() => partOf(this.ledger, this.escrow.poolCalls, audited));
    await this.rearm();
    return part;
  }

  /** The customer's units here by sale, and the stored reply of a keyed hold made here (see Escrow.priorOf). */
  /** Hold keys this object accepted for customers whose home under `shards` is `home` (a change of the count moved them). */
  async keysMovedTo(home: number, shards: number): Promise<string[] | null> {
    const role = this.schemaReady ? this.escrow.role() : null;
    return role ? keysMovedTo(this.ledger.replies, role.sku, home, shards, Date.now()) : [];
  }

  async priorHere(customerId: string, idem: IdempotencyKey | null, fenceAs: FenceAs | null = null): Promise<Prior> {
    if (!this.schemaReady) return { usage: {}, reply: null, epoch: null };
    return this.guard(() => this.escrow.priorHere(customerId, idem, fenceAs, Date.now()));
  }

  /**
   * The stored reply to the customer's keyed hold, if it ran: here, or (when
   * this is the customer's home) in the objects that served them under the
   * SKU's earlier counts. Nothing when this is not their home: the edge asks it.
   */
  async storedHold(customerId: string, idem: IdempotencyKey): Promise<StoredHold> {
    const role = this.schemaReady ? this.escrow.role() : null;
    if (!role) return { reply: null };
    const here = this.ledger.replies.recall<Hold>(idem, Date.now());
    if (here || !this.escrow.serves(role, customerId)) return this.counted({ reply: here });
    const prior = await this.escrow.priorOf(role, customerId, idem);
    return this.counted({ reply: "code" in prior ? null : prior.reply });
  }

  /** A keyed change's stored reply, without running anything: what a retry over the edge's budget is answered. */
  async storedChange(idem: IdempotencyKey): Promise<Replayable<Hold> | null> {
    return this.schemaReady ? this.ledger.replies.recall<Hold>(idem, Date.now()) : null;
  }

  async getHold(holdId: string, actor: Actor): Promise<Outcome<Hold>> {
    return this.meter.measure("get_hold", () => this.mutate(() => this.ledger.getHold(holdId, actor, Date.now())));
  }

  /** `merchant`: the key that released it, when a merchant did (spec §12), named in the event. */
  async release(holdId: string, actor: Actor, merchant?: MerchantActor, trace?: string): Promise<Outcome<Hold>> {
    return traced(trace, () =>
      this.meter.measure("release", () =>
        this.mutate(() => this.ledger.release(holdId, actor, Date.now(), merchant && { by: "merchant", actor: merchant })),
      ),
    );
  }

  /**
   * The owner changes a held hold's quantity (spec §3; stock/change-hold).
   * Units are added only by the customer's home, under their usage in the
   * SKU's other objects, and a shard short of them refills as for a new hold.
   */
  async changeHold(holdId: string, change: HoldChange, idem: IdempotencyKey | null): Promise<Replayable<Hold> & { freed?: true }> {
    const role = this.schemaReady ? this.escrow.role() : null;
    const before = role ? this.ledger.tables.hold(holdId)?.quantity : undefined;
    const outcome = await this.changeHere(holdId, change, idem, role);
    // Units came back (a decrease, a release): the route drops its location's cached sold-out verdict.
    const freed = outcome.ok && !outcome.replayed && (outcome.value.status !== "held" || outcome.value.quantity < (before ?? 0));
    return freed ? { ...outcome, freed: true } : outcome;
  }

  private async changeHere(holdId: string, change: HoldChange, idem: IdempotencyKey | null, role: Role | null): Promise<Replayable<Hold>> {
    const home = role !== null && this.escrow.homeRefusal(role, change.customerId) === null;
    const prior = role && home ? await this.escrow.priorOf(role, change.customerId, null) : null;
    if (prior && "code" in prior) return prior;
    const attempt = (shortage: "ask" | "final") =>
      this.mutate(() => {
        const now = this.escrow.role();
        const away = now && this.escrow.homeRefusal(now, change.customerId);
        return this.ledger.changeHold(holdId, change, idem, Date.now(), { shortage, prior: prior?.usage ?? {}, away });
      });
    if (role === null || (role.shard === null && role.span <= 1)) return attempt("final");
    return this.escrow.reserveWithRefills(role, unitsWanted(this.ledger.tables, holdId, change.quantity), attempt);
  }

  /** A merchant voids a held hold (issue 10): the shopper's release, audited with the merchant and the reason. */
  async voidHold(holdId: string, reason: string, merchant?: MerchantActor): Promise<Outcome<Hold>> {
    return this.meter.measure("void", () =>
      this.mutate(() =>
        this.ledger.release(holdId, "merchant", Date.now(), { by: "merchant", reason, ...(merchant && { actor: merchant }) }),
      ),
    );
  }

  /** A page of the SKU's holds for the merchant, newest first; null for a SKU nobody created. */
  async listHolds(query: HoldQuery): Promise<MerchantHold[] | null> {
    if (!this.schemaReady || !this.ledger.tables.sku()) return null;
    // Overdue holds read as what they are: expired.
    this.guard(() => this.ledger.expireDue(Date.now(), LIMITS.sweep_holds_max));
    await this.rearm();
    const own = holdPage(this.ledger.tables, query);
    const shards = await this.escrow.onShards(this.escrow.role(), async (s) => (await s.listHolds(query)) ?? []);
    return mergeHoldPages([own, ...shards], query.rows);
  }

  /** Dev tools only (the route refuses unless DEV_TOOLS=on). */
  async expireHoldNow(holdId: string): Promise<Outcome<Hold>> {
    return this.mutate(() => expireHoldNow(this.ledger, holdId, Date.now()));
  }

  async beginCheckout(holdId: string, orderId: string, actor: Actor, trace?: string): Promise<Outcome<Hold>> {
    return traced(trace, () =>
      this.meter.measure("checkout", () => this.mutate(() => this.ledger.beginCheckout(holdId, orderId, Date.now(), actor))),
    );
  }

  async commit(holdId: string, orderId: string, trace?: string): Promise<Outcome<Hold>> {
    return traced(trace, () => this.meter.measure("commit", () => this.mutate(() => this.ledger.commit(holdId, orderId, Date.now()))));
  }

  async returnHold(holdId: string, orderId: string): Promise<Outcome<Hold>> {
    return this.meter.measure("return", () => this.mutate(() => this.ledger.returnHold(holdId, orderId, Date.now())));
  }

  async voidCheckout(holdId: string, orderId: string): Promise<Outcome<Hold>> {
    return this.meter.measure("void_checkout", () => this.mutate(() => this.ledger.voidCheckout(holdId, orderId, Date.now())));
  }

  // --- Location transfers (spec §11): both locations are in this object, so each step is one transaction.

  async createLocationTransfer(
    input: LocationTransferInput,
    ctx: StepContext,
    idem: IdempotencyKey | null,
  ): Promise<Replayable<LocationTransfer>> {
    return this.transferStep(() => this.ledger.locationTransfers.create(input, ctx, idem, Date.now()));
  }

  /** `quantity` omitted: everything still in transit. */
  async receiveLocationTransfer(
    transferId: string,
    quantity: number | undefined,
    ctx: StepContext,
    idem: IdempotencyKey | null,
  ): Promise<Replayable<LocationTransfer>> {
    return this.transferStep(() => this.ledger.locationTransfers.receive(transferId, quantity, ctx, idem, Date.now()));
  }

  async cancelLocationTransfer(transferId: string, ctx: StepContext, idem: IdempotencyKey | null): Promise<Replayable<LocationTransfer>> {
    return this.transferStep(() => this.ledger.locationTransfers.cancel(transferId, ctx, idem, Date.now()));
  }

  async locationTransfer(transferId: string): Promise<LocationTransfer | null> {
    return this.schemaReady && this.ledger.tables.sku() ? this.ledger.locationTransfers.get(transferId) : null;
  }

  /** A page of the SKU's transfers, newest first; null for a SKU nobody created. */
  async listLocationTransfers(query: TransferQuery): Promise<LocationTransfer[] | null> {
    return this.schemaReady && this.ledger.tables.sku() ? this.ledger.locationTransfers.list(query) : null;
  }

  /** Overdue holds end first (their units become movable), then the step runs as any mutation. */
  private transferStep(step: () => Replayable<LocationTransfer>): Promise<Replayable<LocationTransfer>> {
    return this.meter.measure("location_transfer", async () => {
      if (this.schemaReady) this.guard(() => this.ledger.expireDue(Date.now(), LIMITS.sweep_holds_max));
      return this.mutate(step);
    });
  }

  /** The SKU as the API shows it; a sharded SKU's own object adds up its shards. */
  /** This object's audit stream head, kept outside D1 (issue 25): what `verify` checks D1's chain against. */
  async auditHead(): Promise<{ seq: number; hash: string }> {
    if (!hasSchema(this.ctx.storage)) return { seq: 0, hash: GENESIS_HASH };
    return this.ctx.storage.sql.exec<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_head WHERE id = 1").one();
  }

  async snapshot(): Promise<SkuSnapshot | null> {
    this.calls += 1;
    if (!this.schemaReady) return null;
    const snapshot = this.guard(() => this.ledger.snapshot(Date.now()));
    await this.rearm();
    const role = this.escrow.role();
    if (!snapshot || !role || role.shard !== null || role.span <= 1) return snapshot;
    const own = this.guard(() => partOf(this.ledger, this.escrow.poolCalls, false));
    return wholeSnapshot(snapshot, own, await this.escrow.onShards(role, (s) => s.part(false)));
  }

  /** Rows read and written by operation since this object started (the bench prices them; docs/bench-and-chaos.md). */
  async costs(): Promise<Record<string, OpCost>> {
    return this.meter.report();
  }

  async counters(): Promise<Record<string, number>> {
    return this.schemaReady ? this.ledger.counters() : {};
  }

  /**
   * What a merchant watches: the whole SKU's levels and counters, and the
   * audit of the invariants across every object of the SKU (spec §2 and 8).
   */
  async stats(): Promise<SkuStats | null> {
    const snapshot = await this.snapshot();
    const role = snapshot && this.escrow.role();
    if (!snapshot || !role) return null;
    const { counters, escrow } = await auditAcrossObjects(role, this.escrow, () => ({
      counters: this.ledger.counters(),
      part: this.guard(() => partOf(this.ledger, this.escrow.poolCalls, true)),
    }));
    const instance = { startedAt: new Date(this.startedAtMs).toISOString(), calls: this.calls };
    return skuStats(snapshot.sku, snapshot.levels, snapshot.liveHolds, counters, instance, escrow);
  }

  /** One sale's holds and its shoppers' refusals on this SKU (the sale board); a sharded SKU's own object adds its shards'. */
  async saleActivity(saleId: string, since_ms: number, recent_ms: number): Promise<SaleActivity | null> {
    if (!this.schemaReady || !this.ledger.tables.sku()) return null;
    const now_ms = Date.now();
    const own = saleActivityHere(this.ledger.tables, saleId, since_ms, now_ms, recent_ms);
    const shards = await this.escrow.onShards(this.escrow.role(), (s) => s.saleActivity(saleId, since_ms, recent_ms));
    return addActivity([own, ...shards]);
  }

  /** What GET /metrics reads of this SKU: levels, counters, outbox lag and hold service times, its shards' added. */
  async metrics(): Promise<SkuMetrics | null> {
    const snapshot = await this.snapshot();
    if (!snapshot) return null;
    const shards = await this.escrow.onShards(this.escrow.role(), (s) => s.metricsPart());
    return addMetricsParts(snapshot.levels, [this.metricsPart(), ...shards]);
  }

  /** This object's own part of its SKU's metrics. */
  metricsPart(): MetricsPart | null {
    return this.schemaReady ? metricsPartHere(this.ledger.tables, this.holdService.snapshot()) : null;
  }

  /** This object's levels, version and shipping head, read-only: what the global view is reconciled against (src/stock/view-levels.ts). */
  async viewLevels(): Promise<ObjectView | null> {
    return this.schemaReady ? viewLevelsHere(this.ledger.tables, Date.now()) : null;
  }

  /** When the oldest event not yet in D1 was made, across the SKU's objects (its shards' too): the global view's lag. */
  async viewLag(): Promise<{ oldestUnshippedAtMs: number | null } | null> {
    const own = this.metricsPart();
    if (!own) return null;
    const shards = await this.escrow.onShards(this.escrow.role(), (s) => s.metricsPart());
    const times = [own, ...shards].map((p) => p?.outbox.oldestAtMs ?? null).filter((t): t is number => t !== null);
    return { oldestUnshippedAtMs: times.length > 0 ? Math.min(...times) : null };
  }

  /** The alarm only triggers; Upkeep does the work and points the alarm at what is left. */
  /** Each run is a trace of its own (src/platform/trace.ts): its lines (shipping, expiry) carry one id. */
  override alarm(): Promise<void> {
    return traced(undefined, async () => {
      this.alarms.fired();
      if (!this.schemaReady) return;
      await this.upkeep.run();
    });
  }

  /** Runs a mutation, then re-arms the alarm; a violated invariant becomes an `internal` refusal. */
  private async mutate<R extends Outcome<unknown>>(fn: () => R): Promise<R | Refusal> {
    this.calls += 1;
    if (!this.schemaReady) return refuse("not_found", "No such SKU.");
    let result: R | Refusal;
    try {
      result = this.guard(fn);
    } catch (e) {
      if (!(e instanceof InvariantViolation)) throw e;
      result = refuse("internal", "The change would break a stock invariant, so nothing was applied.");
    }
    // A shard's shortage is a step of a hold still in progress, not an answer.
    if (!result.ok && !isShortage(result)) this.ledger.countRefusal(result.code);
    await this.rearm();
    return result;
  }

  /** Sets up (or upgrades) storage; every change calls it, and tests that drive the ledger directly. */
  ensureSchema(): void {
    if (this.schemaReady) return;
    migrate(this.ctx.storage, SKU_MIGRATIONS);
    this.schemaReady = true;
  }

  /** Runs a change that emits events but returns no refusal, then re-arms so its events ship. */
  private async changeThenRearm<R>(fn: () => R): Promise<R> {
    this.calls += 1;
    const result = this.guard(fn);
    await this.rearm();
    return result;
  }

  /** Counts and logs an invariant violation loudly; the transaction already rolled back. */
  private guard<T>(fn: () => T): T {
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

  private nextSaleEdgeMs(): number | null {
    return this.schemaReady ? nextSaleEdgeMs(this.ledger.tables.saleRules(), Date.now()) : null;
  }

  /** Every change ends here, so it is also where live push hears of it (a comparison when nobody watches). */
  private rearm(opts: { exact?: boolean; atLatestMs?: number | null } = {}): Promise<void> {
    const role = this.schemaReady ? this.escrow.role() : null;
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
