import { DurableObject } from "cloudflare:workers";
import { AlarmKeeper } from "../platform/alarm-keeper";
import { migrate } from "./migrate";
import type { QueueSetup } from "../waiting-room/config";
import { Coordinator } from "../waiting-room/coordinator";
import { JoinShard, type Joined, type JoinTerms, type ShardSurvey } from "../waiting-room/join-shard";
import { type DrawnPlaces, type Entrant, LotteryShard, type ShardProof, type ShardSeal } from "../waiting-room/lottery-shard";
import { WAITING_ROOM_STEPS } from "../waiting-room/schema";
import type { QueueState } from "../waiting-room/state";
import { logger } from "../platform/log";
import { traced } from "../platform/trace";

/** How long the alarm waits before retrying a tick that failed (a SKU object or a shard did not answer). */
const TICK_RETRY_MS = 2_000;

/**
 * A sale's waiting room (spec §9). One class, two roles by name: the object
 * named after the sale is the coordinator (config, frontier, alarm); objects
 * named `<saleId>#join-<i>` are join shards (waiters). Each role touches its
 * own tables only. RPC only; the tables are the truth, the alarm a trigger.
 */
export class WaitingRoomObject extends DurableObject<Env> {
  private readonly coordinator: Coordinator;
  private readonly shard: JoinShard;
  private readonly draw: LotteryShard;
  /** Only the coordinator role has due work; a join shard's table dates nothing, so its keeper never arms. */
  private readonly alarms: AlarmKeeper;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.coordinator = new Coordinator(ctx.storage.sql, env);
    this.shard = new JoinShard(ctx.storage.sql);
    this.draw = new LotteryShard(ctx.storage);
    this.alarms = new AlarmKeeper(ctx.storage, () => this.coordinator.nextDueMs(Date.now()));
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, WAITING_ROOM_STEPS);
      // A tick that came due while the object slept (or whose alarm was lost) runs now.
      await this.alarms.load();
      await this.alarms.rearm();
    });
  }

  // --- Coordinator

  async configure(setup: QueueSetup): Promise<void> {
    await this.coordinator.configure(setup);
    await this.alarms.rearm();
  }

  /** A join shard saw a new waiter: an idle queue resumes ticking at once. */
  async wake(): Promise<void> {
    if (this.coordinator.wake()) await this.alarms.rearm({ atLatestMs: Date.now() });
  }

  async state(): Promise<QueueState | null> {
    return this.coordinator.state();
  }

  /** The alarm only triggers; the tick writes its decision and the keeper arms for what the table says is next. */
  override alarm(): Promise<void> {
    // Each tick is a trace of its own (src/platform/trace.ts), so its lines carry a trace id.
    return traced(undefined, async () => {
      this.alarms.fired();
      try {
        await this.coordinator.tick(Date.now());
      } catch (e) {
        logger(this.env).error("queue_tick_failed", { object: this.ctx.id.toString(), error: String(e) });
        return this.alarms.retryIn(TICK_RETRY_MS);
      }
      await this.alarms.rearm({ exact: true });
    });
  }

  // --- Join shard

  /** The shard's own clock dates the join and decides whether it enters the draw; once this shard sealed its entrants, it queues by arrival. */
  async join(customerId: string, terms: JoinTerms): Promise<Joined> {
    return this.shard.join(customerId, Date.now(), terms, this.draw.closedAtMs());
  }

  async markUsed(customerId: string, admittedAtMs: number): Promise<void> {
    this.shard.markUsed(customerId, admittedAtMs, Date.now());
  }

  async survey(windowStartMs: number, frontiers: Record<string, string | null> = {}): Promise<ShardSurvey> {
    return this.shard.survey(windowStartMs, frontiers);
  }

  async nextPlaces(sku: string, after: string | null, limit: number): Promise<string[]> {
    return this.shard.nextPlaces(sku, after, limit);
  }

  async purge(): Promise<void> {
    this.shard.purge();
    this.draw.purge();
  }

  // --- Join shard: the lottery (../waiting-room/lottery-shard.ts)

  async reopenDraw(closesAtMs: number): Promise<void> {
    this.draw.reopen(closesAtMs);
  }

  async sealDraw(epoch: number, saleId: string, closesAtMs: number): Promise<ShardSeal> {
    return this.draw.sealDraw(epoch, saleId, closesAtMs);
  }

  async placeDrawn(epoch: number, places: DrawnPlaces, throughPlace: number): Promise<boolean> {
    return this.draw.placeDrawn(epoch, places, throughPlace);
  }

  async entrantProof(customerId: string, saleId: string): Promise<ShardProof | null> {
    return this.draw.proof(customerId, saleId);
  }

  /** The customer's log index: a ticket signed before tickets carried it finds its drawn place by it. */
  async entrantIndex(customerId: string): Promise<number | null> {
    return this.draw.indexOf(customerId);
  }

  async entrantPage(from: number, limit: number): Promise<{ entrants: Entrant[]; next: number | null }> {
    return this.draw.entrants(from, limit);
  }
}
