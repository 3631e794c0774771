import { refuse, type Refusal } from "../../domain/problems";
import { fence, fencedOff, notHome, STALE_HOME } from "./fences";
import type { Replayable, SkuLedger } from "../ledger";
import { isShortage, type Shortage } from "../take-hold";
import { objectName, POOL, shardOf, type SkuStub } from "../addressing";
import { pendingTransfers, postTransfer, receiveUnits, REDELIVER_AFTER_MS, sendUnits, type Transfer } from "./transfers";
import type { Hold } from "../../domain/types";
import type { IdempotencyKey } from "../../idempotency/rule";
import { Pace } from "./pace";
import { MovedKeys } from "./moved-keys";
import { logger, type Log } from "../../platform/log";
import {
  ESCROW,
  laterMs,
  NO_NEWS,
  paceWindowMs,
  soldOutBoundMs,
  type Grant,
  type LocatedGrant,
  type Recalled,
  type Refilled,
  type ShardNews,
  type Surrendered,
} from "./escrow-policy";
import { freeAt, grantCandidates, stockAll, stockedCopies, surrenderPlan, wantOf, type Want } from "./located-escrow";

/** A customer's footprint in the SKU's other objects (see `Escrow.priorOf`). */
export interface Prior {
  usage: Record<string, number>;
  reply: Replayable<Hold> | null;
  /** The answering object's epoch; null from the audit's reads (no fence asked). */
  epoch?: number | null;
}

const NO_PRIOR: Prior = { usage: {}, reply: null };

/** What a customer's new home tells an old one it reads: who fences it (see ./fences.ts). */
export interface FenceAs {
  epoch: number;
  shards: number;
}

/** Who this object is among its SKU's objects. */
export interface Role {
  sku: string;
  /** Null: the SKU's own object (the pool, and the only object of an unsharded SKU). */
  shard: number | null;
  shards: number;
  /** On the SKU's own object: how many shards ever existed (draining ones included). */
  span: number;
  /** Every shard count the SKU had before the current one. */
  history: number[];
  /** Changes of the shard count so far (see ./fences.ts). */
  epoch: number;
}

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
 */
export class Escrow {
  /** Units of this shard's last grant; it refills when fewer than a quarter of that remain. */
  private lastGrant = 0;
  /** Refills in flight, by what they ask for (single-flight per ask). */
  private readonly refilling = new Map<string, Promise<Refilled>>();
  /** Located: until when the pool had no free unit at a location a routing ask named (no second ask within the bound). */
  private readonly dryUntil = new Map<string, number>();
  /** The pool's recalls in flight, by the shards each asks: a recall that spared another shard says nothing of that one. */
  private readonly recalling = new Map<string, Promise<Recalled>>();
  /**
   * Until then, this shard's pool said it was out (or the pool's recall found
   * nothing): a shard refuses from its own allotment without asking again.
   * The bound (SHARD_SOLD_OUT_BOUND_MS) is how long a refusal may lag units
   * coming back elsewhere; it is what keeps a sold-out stampede off the pool.
   */
  private emptyUntilMs = 0;
  /**
   * On the pool: the shard the recall that found every other object dry spared
   * (null: it spared none). That shard's own units were not counted, so the
   * verdict answers that shard alone; any other asker recalls again.
   */
  private emptySpared: number | null = null;
  /** Batches the pool sent: a recall that saw them go out cannot prove the SKU out (they are free on a sibling). */
  private sentBatches = 0;
  private known: Role | null = null;
  private readonly moved: MovedKeys;
  /** Units that holds waiting on this shard still need: the next refill asks for all of them at once. */
  private demand = 0;
  /** Calls this object made to the pool, for the bench's pool_calls_per_1k_holds. */
  poolCalls = 0;
  /** Grants this shard credited and the pool has not been told of yet (see ShardNews). */
  private credited: string[] = [];

  private readonly soldOutBoundMs: number;
  /**
   * Units this shard held in the last half bound. A refill is at least that
   * much, so a hot shard asks the pool about twice per bound however small the
   * pool's share has become; and a recall for a refill leaves a sibling that
   * much, which it sells within about half a bound, so units do not slosh
   * through the pool between busy shards (holds elsewhere wait for them,
   * "later", rather than hear sold_out). A quiet shard's pace is 0: a recall
   * takes all it has.
   */
  private readonly pace: Pace;
  private readonly laterMs: number;
  private readonly log: Log;

  constructor(
    private readonly env: Env,
    private readonly ledger: SkuLedger,
    /** The object's clock (Date.now in production). */
    private readonly now: () => number,
  ) {
    this.soldOutBoundMs = soldOutBoundMs(env);
    this.pace = new Pace(paceWindowMs(this.soldOutBoundMs));
    this.laterMs = laterMs(this.soldOutBoundMs);
    this.log = logger(env);
    this.moved = new MovedKeys(this.log);
  }

  /** What the next call to the pool carries; the credited grants leave the list (ESCROW.acks_max at a time). */
  news(now_ms: number): ShardNews {
    return { paceUnits: this.pace.units(now_ms), credited: this.credited.splice(0, ESCROW.acks_max), epoch: this.role()?.epoch ?? 0 };
  }

  /** News a call failed to deliver goes out with the next one. */
  undelivered(news: ShardNews): void {
    this.credited.unshift(...news.credited);
    this.credited.splice(ESCROW.acks_max * 4);
  }

  /** The pool's side of ShardNews: posts the grants the shard credited; its pace, bounded. */
  heard(news: ShardNews | undefined, now_ms: number): number {
    const { paceUnits, credited } = news ?? NO_NEWS;
    if (credited.length > 0) {
      this.ledger.tables.tx(() => {
        for (const id of credited.slice(0, ESCROW.acks_max)) postTransfer(this.ledger.tables, id, now_ms);
      });
    }
    return Number.isFinite(paceUnits) ? Math.min(ESCROW.grant_units_max, Math.max(0, Math.floor(paceUnits))) : 0;
  }

  /**
   * Whether the pool said it was out less than the bound ago. On the pool,
   * `asker` is the shard asking: the verdict holds for it only if the recall
   * behind it counted every object but that shard.
   */
  knownEmpty(now_ms: number, asker?: number): boolean {
    if (now_ms >= this.emptyUntilMs) return false;
    return asker === undefined || this.emptySpared === null || this.emptySpared === asker;
  }

  private markEmpty(spared: number | null): void {
    this.emptyUntilMs = this.now() + this.soldOutBoundMs;
    this.emptySpared = spared;
  }

  /**
   * Who this object is. It changes only when the merchant's settings do
   * (`forgetRole`), so the hold path reads it from memory, not from a row.
   */
  role(): Role | null {
    if (this.known) return this.known;
    const sku = this.ledger.tables.sku();
    if (!sku) return null;
    this.known = {
      sku: sku.sku,
      shard: sku.shard_index,
      shards: sku.shards,
      span: sku.shard_span,
      history: JSON.parse(sku.shard_history) as number[],
      epoch: sku.shard_epoch,
    };
    return this.known;
  }

  forgetRole(): void {
    this.known = null;
    this.moved.forget();
  }

  /** Hold keys this object's customers were accepted under before a change of the shard count (see MovedKeys). */
  keysMovedHere(role: Role): Promise<readonly string[] | null> {
    return this.moved.here(role.shard ?? POOL, role.shards, role.history, (home) => this.peer(role, home));
  }

  /**
   * What the customer did in the objects that served them under the SKU's
   * earlier shard counts: their units there, by sale, count against their
   * limit here; and a keyed hold those objects already made is answered with
   * its stored reply, so a retry that crosses a change of the count never
   * reserves twice. No call at all for a SKU whose count never changed, or a
   * customer who never moved.
   */
  async priorOf(role: Role, customerId: string, idem: IdempotencyKey | null): Promise<Prior | Refusal> {
    const homes = new Set(role.history.map((count) => (count <= 1 ? POOL : shardOf(customerId, count))));
    homes.delete(role.shard ?? POOL);
    if (homes.size === 0) return NO_PRIOR;
    // Each old home is fenced in the transaction that reads the customer's usage there: one home at a time.
    const fenceAs: FenceAs = { epoch: role.epoch, shards: role.shards };
    const priors = await Promise.all([...homes].map((home) => this.peer(role, home).priorHere(customerId, idem, fenceAs)));
    // An old home already has newer settings than this object: this one must wait for its own push.
    if (priors.some((p) => (p.epoch ?? 0) > role.epoch)) return STALE_HOME;
    const usage: Record<string, number> = {};
    for (const prior of priors) for (const [scope, used] of Object.entries(prior.usage)) usage[scope] = (usage[scope] ?? 0) + used;
    return { usage, reply: priors.find((p) => p.reply !== null)?.reply ?? null };
  }

  /** Whether a new hold of this customer belongs here by the shard count alone (see `homeRefusal`). */
  serves(role: Role, customerId: string): boolean {
    if (role.shard === null) return role.shards <= 1;
    // With one shard the SKU's own object serves every hold; shard 0 only drains.
    return role.shards > 1 && role.shard < role.shards && shardOf(customerId, role.shards) === role.shard;
  }

  /**
   * Null when this object is the customer's home now: by its shard count and
   * not fenced by a newer home. Read inside the hold's transaction too, so a
   * hold that waited here while the count changed cannot commit.
   */
  homeRefusal(role: Role, customerId: string): Refusal | null {
    if (!this.serves(role, customerId)) return notHome(role.shards);
    return fencedOff(this.ledger.tables, customerId, role.epoch);
  }

  /** The old home's side of `priorOf`: fences the customer (when the asker is newer) and reads their usage, in one transaction. */
  priorHere(customerId: string, idem: IdempotencyKey | null, fenceAs: FenceAs | null, now_ms: number): Prior {
    const role = this.role();
    if (!role) return { usage: {}, reply: null, epoch: null };
    return this.ledger.tables.tx(() => {
      if (fenceAs && fenceAs.epoch > role.epoch) fence(this.ledger.tables, customerId, fenceAs.epoch, fenceAs.shards, now_ms);
      return {
        usage: this.ledger.tables.usageByScope(customerId),
        reply: idem ? this.ledger.replies.recall<Hold>(idem, now_ms) : null,
        epoch: role.epoch,
      };
    });
  }

  peer(role: Role, peer: number): SkuStub {
    return this.env.SKU.getByName(objectName(role.sku, peer === POOL ? null : peer));
  }

  /** A shard's free units, without a transaction: a hint for when to refill. */
  available(): number {
    const sku = this.ledger.tables.sku();
    return sku ? sku.on_hand - sku.reserved : 0;
  }

  /** Units a shrinkage may take here without a recall: at `location` on a located SKU (safety stock included). */
  removable(location: string | undefined): number {
    const row = location !== undefined && this.ledger.tables.locations.located() ? this.ledger.tables.locations.row(location) : null;
    return row ? row.on_hand - row.reserved : this.available();
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

  /** Runs `fn` on every shard this SKU ever had, when this is a sharded SKU's own object. */
  async onShards<T>(role: Role | null, fn: (shard: SkuStub, index: number) => Promise<T>): Promise<T[]> {
    if (!role || role.shard !== null || role.span <= 1) return [];
    return Promise.all(Array.from({ length: role.span }, (_, i) => fn(this.peer(role, i), i)));
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

  /**
   * The pool's side of a refill: sends a batch to `shard`, recalling surplus
   * from its siblings first when the pool cannot cover what is wanted. The
   * batch is the larger of the shard's pace and a share that shrinks with the
   * pool, so the tail is spread, not stranded, and a hot shard's refills do
   * not multiply as the pool empties. With nothing to send it answers null
   * only when the SKU is out for this shard: the pool is empty and a recall
   * that spared only this shard found every other object dry while the pool
   * sent nothing (else a batch left for a sibling, which still has it free).
   * Otherwise "later": siblings kept units at their pace, which they are
   * selling, or units moved while it asked; the shard asks again.
   */
  async grant(role: Role, shard: number, wanted: number, news?: ShardNews): Promise<Grant> {
    const granted = await this.grantAt(role, shard, wanted, news);
    // Only an ask that names its locations can be answered "elsewhere".
    return granted === "elsewhere" ? "later" : granted;
  }

  /** `grant`, for a located shard's ask naming the locations it wants (see grantLocated). */
  async grantAt(role: Role, shard: number, wanted: number, news?: ShardNews, want?: Want): Promise<LocatedGrant> {
    const paceUnits = this.heard(news, this.now());
    if (this.ledger.tables.locations.located()) return this.grantLocated(role, shard, wanted, paceUnits, want);
    let keptUnits = 0;
    let provenOut = this.knownEmpty(this.now(), shard);
    if (this.available() < wanted && role.span > 1 && !provenOut) {
      const sentBefore = this.sentBatches;
      // Within the bound, a recall that spared another shard found every other object dry: only that one is left to ask.
      const only = this.now() < this.emptyUntilMs && this.emptySpared !== null ? this.emptySpared : null;
      const recalled = await this.recall(role, shard, "pace", only);
      keptUnits = recalled.keptUnits;
      provenOut = recalled.units === 0 && keptUnits === 0 && this.sentBatches === sentBefore;
      if (provenOut && this.available() <= 0) {
        // The asker's own units are now the ones not counted; the older findings keep their deadline.
        if (only === null) this.markEmpty(shard);
        else this.emptySpared = shard;
      }
    }
    const pool = this.available();
    if (pool <= 0) return provenOut && keptUnits === 0 ? null : "later";
    const share = Math.ceil(pool / (2 * Math.max(1, role.shards)));
    const batch = Math.min(ESCROW.grant_units_max, Math.max(wanted, paceUnits, share));
    const sent = this.ledger.tables.tx(() => sendUnits(this.ledger.tables, shard, batch, this.now()));
    if (sent) this.sentBatches += 1;
    return sent;
  }

  /**
   * The pool's side of a located refill: a batch from the first of the
   * asker's candidate locations the pool has free units at, after recalling
   * the siblings' free units at those locations when the pool is short there
   * (for a routed ask, past their pace too). Null only when the candidates are every location and the recall proved
   * them all empty; "elsewhere" when it proved only the candidates empty.
   */
  private async grantLocated(role: Role, shard: number, wanted: number, paceUnits: number, want?: Want): Promise<LocatedGrant> {
    const tables = this.ledger.tables;
    const candidates = grantCandidates(tables, want);
    let kept = 0;
    let proven = role.span <= 1;
    if (freeAt(tables, candidates) < wanted && role.span > 1) {
      const sentBefore = this.sentBatches;
      let recalled = await this.recall(role, shard, "pace", null, candidates);
      // A routed hold is a customer here now; a sibling's pace is only its guess at its next ones.
      if (want?.route && recalled.keptUnits > 0 && freeAt(tables, candidates) < wanted) {
        recalled = await this.recall(role, shard, "all", null, candidates);
      }
      kept = recalled.keptUnits;
      proven = recalled.units === 0 && kept === 0 && this.sentBatches === sentBefore;
    }
    const at = candidates.find((l) => freeAt(tables, [l]) > 0);
    if (at === undefined) {
      if (!proven) return "later";
      const every = tables.locations.rows().every((r) => candidates.includes(r.location_id));
      return every ? null : "elsewhere";
    }
    const share = Math.ceil(freeAt(tables, [at]) / (2 * Math.max(1, role.shards)));
    const batch = Math.min(ESCROW.grant_units_max, Math.max(wanted, paceUnits, share));
    const sent = tables.tx(() => sendUnits(tables, shard, batch, this.now(), at));
    if (!sent) return "later";
    this.sentBatches += 1;
    return { ...sent, stocked: stockedCopies(tables) };
  }

  /**
   * Takes back the other shards' free units: for a refill the pool cannot
   * cover (`pace`: each sibling keeps its pace, which it sells within half
   * the bound, so units do not slosh between busy shards at the tail while
   * quiet ones give all they have; single-flight), or everything (`all`: a
   * shrinkage, a SKU back to one object; never shares a `pace` recall's answer).
   */
  recall(
    role: Role,
    except: number | null,
    keep: "pace" | "all",
    only: number | null = null,
    /** On a located SKU: only these locations' units (all when absent). */
    locations?: readonly string[],
  ): Promise<Recalled> {
    const siblings = only !== null ? [only] : Array.from({ length: role.span }, (_, i) => i).filter((i) => i !== except);
    if (keep === "all") return this.takeBack(role, siblings, false, locations);
    const key = `${siblings.join(",")}@${locations?.join(",") ?? ""}`;
    const shared = this.recalling.get(key);
    if (shared) return shared;
    const fresh = this.takeBack(role, siblings, true, locations).finally(() => this.recalling.delete(key));
    this.recalling.set(key, fresh);
    return fresh;
  }

  /** Every refill and recall this object has in flight (for tests that audit a SKU at rest). */
  inFlight(): Array<Promise<unknown>> {
    return [...this.refilling.values(), ...this.recalling.values()];
  }

  private async takeBack(role: Role, siblings: readonly number[], keepPace: boolean, locations?: readonly string[]): Promise<Recalled> {
    const answers = await Promise.all(
      siblings.map(async (i): Promise<Recalled> => {
        const { transfers, keptUnits } = await this.peer(role, i).surrender(keepPace, locations);
        if (transfers.length === 0) return { units: 0, keptUnits };
        this.ledger.tables.tx(() => {
          for (const t of transfers) receiveUnits(this.ledger.tables, { ...t, peer: i }, this.now());
        });
        for (const t of transfers) await this.peer(role, i).postTransfer(t.transferId);
        return { units: transfers.reduce((n, t) => n + t.units, 0), keptUnits };
      }),
    );
    return answers.reduce((a, b) => ({ units: a.units + b.units, keptUnits: a.keptUnits + b.keptUnits }), { units: 0, keptUnits: 0 });
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

  receive(t: Transfer, now_ms: number): void {
    this.ledger.tables.tx(() => receiveUnits(this.ledger.tables, t, now_ms));
  }

  post(transferId: string, now_ms: number): void {
    this.ledger.tables.tx(() => postTransfer(this.ledger.tables, transferId, now_ms));
  }

  /** Hands a sent transfer to its receiver, then posts it here. */
  async deliver(role: Role, t: Transfer): Promise<void> {
    const self = role.shard ?? POOL;
    const { peer, ...carried } = t;
    await this.peer(role, peer).receiveTransfer({ ...carried, peer: self });
    this.post(t.transferId, this.now());
  }

  /** The alarm's step: re-delivers transfers whose receiver may never have credited them. */
  async redeliver(now_ms: number): Promise<number> {
    const role = this.role();
    if (!role) return 0;
    const stuck = pendingTransfers(this.ledger.tables, now_ms - REDELIVER_AFTER_MS, ESCROW.redeliver_max);
    for (const t of stuck) await this.deliver(role, t);
    return stuck.length;
  }
}
