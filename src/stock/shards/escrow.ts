import { refuse } from "../../domain/problems";
import type { Replayable } from "../ledger";
import { isShortage, type Shortage } from "../take-hold";
import { POOL } from "../addressing";
import { receiveUnits, sendUnits, type Transfer } from "./transfers";
import { Pace } from "./pace";
import { ESCROW, laterMs, paceWindowMs, type Refilled, type ShardNews, type Surrendered } from "./escrow-policy";
import { stockAll, surrenderPlan, wantOf, type Want } from "./located-escrow";
import { EscrowPool } from "./escrow-pool";
import type { Role } from "./escrow-core";

export type { FenceAs, Prior, Role } from "./escrow-core";

/**
 * The escrow of spec §8. The SKU's own object keeps the pool (its own
 * on-hand units); each shard holds an allotment it may hold against alone.
 * Shards ask the pool for a batch before they run dry; when the pool is
 * empty it recalls surplus from siblings, so a shard says `sold_out` only
 * when the whole SKU is out. Every move is a two-phase transfer
 * (./transfers.ts) whose sender re-delivers it until the receiver has it.
 *
 * Time: a step that happens at one instant takes it as `now_ms`, stamped by
 * the object; a flow that awaits peers (refill, grant, recall, delivery) reads
 * the object's clock at each step, since its later steps happen later.
 *
 * One class in three layers, a file each: ./escrow-core.ts (role, homes,
 * delivery), ./escrow-pool.ts (the pool's grants and recalls), this file
 * (a shard's refills and what it gives back).
 */
export class Escrow extends EscrowPool {
  /** Units of this shard's last grant; it refills when fewer than a quarter of that remain. */
  private lastGrant = 0;
  /** Refills in flight, by what they ask for (single-flight per ask). */
  private readonly refilling = new Map<string, Promise<Refilled>>();
  /** Located: until when the pool had no free unit at a location a routing ask named (no second ask within the bound). */
  private readonly dryUntil = new Map<string, number>();
  /** Units that holds waiting on this shard still need: the next refill asks for all of them at once. */
  private demand = 0;
  /** Calls this object made to the pool, for the bench's pool_calls_per_1k_holds. */
  poolCalls = 0;
  /** Grants this shard credited and the pool has not been told of yet (see ShardNews). */
  private credited: string[] = [];

  /**
   * Units this shard held in the last half bound. A refill is at least that
   * much, so a hot shard asks the pool about twice per bound however small the
   * pool's share has become; and a recall for a refill leaves a sibling that
   * much, which it sells within about half a bound, so units do not slosh
   * through the pool between busy shards (holds elsewhere wait for them,
   * "later", rather than hear sold_out). A quiet shard's pace is 0: a recall
   * takes all it has.
   */
  private readonly pace = new Pace(paceWindowMs(this.soldOutBoundMs));
  private readonly laterMs = laterMs(this.soldOutBoundMs);

  /** What the next call to the pool carries; the credited grants leave the list (ESCROW.acks_max at a time). */
  news(now_ms: number): ShardNews {
    return { paceUnits: this.pace.units(now_ms), credited: this.credited.splice(0, ESCROW.acks_max), epoch: this.role()?.epoch ?? 0 };
  }

  /** News a call failed to deliver goes out with the next one. */
  undelivered(news: ShardNews): void {
    this.credited.unshift(...news.credited);
    this.credited.splice(ESCROW.acks_max * 4);
  }

  /** Runs `wait` while `units` more are wanted here, so a refill in the meantime asks for them too. */
  async awaiting<T>(units: number, wait: () => Promise<T>): Promise<T> {
    this.demand += units;
    try {
      return await wait();
    } finally {
      this.demand -= units;
    }
  }

  /**
   * A shard holds within its allotment; short of it, it refills from the pool
   * (which recalls from siblings when it must) and tries again. It refuses for
   * stock only once a refill came back empty, so `sold_out` means the whole
   * SKU is out. When siblings kept units they are selling ("later"), the
   * hold waits and asks again, trying its reserve only once units are here.
   * If concurrent holds keep taking each refill first, it gives up after a
   * bounded number of rounds with a transient 503.
   */
  async reserveWithRefills<T>(
    role: Role,
    quantity: number,
    attempt: (shortage: Shortage) => Promise<Replayable<T>>,
    /** A new hold on a located SKU may ask once for the location its policy prefers (see shardShortage). */
    routed = false,
  ): Promise<Replayable<T>> {
    let waiting = false;
    let want: Want | undefined;
    for (let round = 1; round <= ESCROW.reserve_rounds_max; round++) {
      if (!waiting || this.available() >= quantity || this.knownEmpty(this.now())) {
        const outcome = await attempt(this.knownEmpty(this.now()) ? "final" : routed ? "route" : "ask");
        if (!isShortage(outcome)) {
          if (outcome.ok && !outcome.replayed) {
            this.pace.add(quantity, this.now());
            this.refillIfLow(role);
          }
          return outcome;
        }
        want = wantOf(outcome);
      }
      // The first ask that is only for routing spends the hold's one; a plain shortage does not.
      const routing = routed && want?.route === true;
      if (routing) routed = false;
      // One routing ask per hold, and none while the pool lately had nothing where it would go.
      if (routing && (this.dryUntil.get(want!.order[0]!) ?? 0) > this.now()) continue;
      const refilled = await this.awaiting(quantity, () => this.refill(role, quantity, want));
      if (routing) {
        if (refilled !== "later" && refilled !== 0 && refilled !== "elsewhere") continue;
        this.dryUntil.set(want!.order[0]!, this.now() + this.soldOutBoundMs);
        continue;
      }
      // The pool and every sibling are out: the refusal is now the SKU's truth.
      if (refilled === 0) return attempt("final");
      // No object has a free unit where this hold may be served: it is refused for its destination, not sold out.
      if (refilled === "elsewhere") return attempt("placed");
      waiting = refilled === "later";
      if (waiting && round < ESCROW.reserve_rounds_max) await scheduler.wait(this.laterMs);
    }
    return refuse("unavailable", "Holds on this SKU are arriving faster than its shards refill; retry shortly.", { retryAfterSeconds: 1 });
  }

  /** Refills ahead of need: called after a hold, costs nothing while the allotment is comfortable. */
  refillIfLow(role: Role): void {
    if (role.shard === null || this.refilling.size > 0) return;
    if (this.available() > Math.max(1, Math.floor(this.lastGrant / 4))) return;
    void this.refill(role, 1).catch((e) => this.log.error("refill_failed", { sku: role.sku, shard: role.shard, error: String(e) }));
  }

  /**
   * Asks the pool for at least `wanted` units (single-flight: concurrent
   * callers share one call) and credits what it grants. Returns the units
   * credited (0: the SKU is out), or "later" (siblings kept units they sell).
   */
  refill(role: Role, wanted: number, want?: Want): Promise<Refilled> {
    const key = want ? `${want.candidates}:${want.order.join(",")}` : "";
    const shared = this.refilling.get(key);
    if (shared) return shared;
    const fresh = (async (): Promise<Refilled> => {
      try {
        // A SKU's own object that serves holds again (shards back to 1) refills from its old shards.
        if (role.shard === null) {
          const { units } = await this.recall(role, null, "all");
          if (units === 0) this.markEmpty(null);
          return units;
        }
        this.poolCalls += 1;
        const news = this.news(this.now());
        const pool = this.peer(role, POOL);
        const asked = want
          ? pool.grantAt(role.shard!, Math.max(wanted, this.demand), news, want)
          : pool.grant(role.shard!, Math.max(wanted, this.demand), news);
        const granted = await asked.catch((e: unknown) => {
          this.undelivered(news);
          throw e;
        });
        if (granted === "later" || granted === "elsewhere") return granted;
        if (!granted) {
          this.markEmpty(null);
          return 0;
        }
        const { stocked, ...transfer } = granted;
        this.ledger.tables.tx(() => {
          receiveUnits(this.ledger.tables, { ...transfer, peer: POOL }, this.now());
          stockAll(this.ledger.tables, stocked);
        });
        this.lastGrant = granted.units;
        this.credited.push(granted.transferId);
        return granted.units;
      } finally {
        this.refilling.delete(key);
      }
    })();
    this.refilling.set(key, fresh);
    return fresh;
  }

  /** Every refill and recall this object has in flight (for tests that audit a SKU at rest). */
  inFlight(): Array<Promise<unknown>> {
    return [...this.refilling.values(), ...this.recallsInFlight()];
  }

  /**
   * A shard's side of a recall: sends its free units back to the pool, all of
   * them or those beyond its pace; on a located SKU one transfer per location
   * (only `locations`' when named).
   */
  surrender(keepPace: boolean, now_ms: number, locations?: readonly string[]): Surrendered {
    const tables = this.ledger.tables;
    const { sends, keptUnits } = surrenderPlan(tables, keepPace ? this.pace.units(now_ms) : 0, locations);
    if (sends.length === 0) return { transfers: [], keptUnits };
    const transfers = tables.tx(() => sends.map((s) => sendUnits(tables, POOL, s.units, now_ms, s.location)));
    return { transfers: transfers.filter((t): t is Transfer => t !== null), keptUnits };
  }

  /** A draining shard (its index is past the shard count) gives back everything free at once. */
  async drain(role: Role): Promise<void> {
    if (role.shard === null || role.shard < role.shards) return;
    const { transfers } = this.surrender(false, this.now());
    for (const t of transfers) await this.deliver(role, t);
  }
}
