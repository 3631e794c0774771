import { DurableObject } from "cloudflare:workers";
import { migrate } from "./migrate";
import type { QueueSetup } from "../waiting-room/config";
import { Coordinator, COORDINATOR_STEPS } from "../waiting-room/coordinator";
import { JOIN_SHARD_STEPS, JoinShard, type Draw, type ShardSurvey } from "../waiting-room/join-shard";
import { LINE_STEPS } from "../waiting-room/line";
import type { QueueState } from "../waiting-room/state";
import { logger } from "../platform/log";

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

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.coordinator = new Coordinator(ctx.storage.sql, env);
    this.shard = new JoinShard(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => {
      // The two roles' tables are tiny and empty until used: one schema serves both.
      // Append only: an object's schema version counts steps of this whole list.
      migrate(ctx.storage, [...COORDINATOR_STEPS, ...JOIN_SHARD_STEPS, ...LINE_STEPS]);
      // A tick that came due while the object slept (or whose alarm was lost) runs now.
      await this.rearm();
    });
  }

  // --- Coordinator

  async configure(setup: QueueSetup): Promise<void> {
    await this.coordinator.configure(setup);
    await this.rearm();
  }

  /** A join shard saw a new waiter: an idle queue resumes ticking at once. */
  async wake(): Promise<void> {
    if (this.coordinator.wake()) await this.ctx.storage.setAlarm(Date.now());
  }

  async state(): Promise<QueueState | null> {
    return this.coordinator.state(Date.now());
  }

  override async alarm(): Promise<void> {
    let next: number | null;
    try {
      next = (await this.coordinator.tick(Date.now())).nextAtMs;
    } catch (e) {
      logger(this.env).error("queue_tick_failed", { object: this.ctx.id.toString(), error: String(e) });
      next = Date.now() + TICK_RETRY_MS;
    }
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  private async rearm(): Promise<void> {
    const due = this.coordinator.nextDueMs(Date.now());
    if (due === null) return;
    const armed = await this.ctx.storage.getAlarm();
    if (armed === null || armed > due) await this.ctx.storage.setAlarm(due);
  }

  // --- Join shard

  async join(customerId: string, joinsDraw: boolean): Promise<{ arrivalMs: number; created: boolean }> {
    return this.shard.join(customerId, Date.now(), joinsDraw);
  }

  async markUsed(customerId: string, admittedAtMs: number): Promise<void> {
    this.shard.markUsed(customerId, admittedAtMs, Date.now());
  }

  async survey(windowStartMs: number, draw: Draw | null, frontier: string | null = null): Promise<ShardSurvey> {
    return this.shard.survey(windowStartMs, draw, frontier);
  }

  async nextPlaces(after: string | null, limit: number): Promise<string[]> {
    return this.shard.nextPlaces(after, limit);
  }
}
