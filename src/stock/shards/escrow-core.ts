import type { Refusal } from "../../domain/problems";
import { Fences, notHome, STALE_HOME } from "./fences";
import type { Replayable, SkuLedger } from "../ledger";
import { objectName, POOL, shardOf, type SkuStub } from "../addressing";
import { pendingTransfers, postTransfer, receiveUnits, REDELIVER_AFTER_MS, type Transfer } from "./transfers";
import type { Hold } from "../../domain/types";
import type { IdempotencyKey } from "../../idempotency/rule";
import { MovedKeys } from "./moved-keys";
import { logger, type Log } from "../../platform/log";
import { ESCROW } from "./escrow-policy";

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
 * The first layer of the escrow (see ./escrow.ts): what every object of a
 * SKU needs whether it is the pool or a shard. Who it is (its role), its
 * peers, the customer's earlier homes under older shard counts, and the
 * delivery of the two-phase transfers both sides send. The pool's side of
 * a refill is ./escrow-pool.ts, the shard's is ./escrow.ts.
 */
export class EscrowCore {
  private known: Role | null = null;
  private readonly moved: MovedKeys;
  private readonly fences: Fences;
  protected readonly log: Log;

  constructor(
    protected readonly env: Env,
    protected readonly ledger: SkuLedger,
    /** The object's clock (Date.now in production). */
    protected readonly now: () => number,
  ) {
    this.log = logger(env);
    this.moved = new MovedKeys(this.log);
    this.fences = new Fences(ledger.tables);
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
    return this.fences.refusal(customerId, role.epoch);
  }

  /** The old home's side of `priorOf`: fences the customer (when the asker is newer) and reads their usage, in one transaction. */
  priorHere(customerId: string, idem: IdempotencyKey | null, fenceAs: FenceAs | null, now_ms: number): Prior {
    const role = this.role();
    if (!role) return { usage: {}, reply: null, epoch: null };
    return this.ledger.tables.tx(() => {
      if (fenceAs && fenceAs.epoch > role.epoch) this.fences.fence(customerId, fenceAs.epoch, fenceAs.shards, now_ms);
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

  /** Runs `fn` on every shard this SKU ever had, when this is a sharded SKU's own object. */
  async onShards<T>(role: Role | null, fn: (shard: SkuStub, index: number) => Promise<T>): Promise<T[]> {
    if (!role || role.shard !== null || role.span <= 1) return [];
    return Promise.all(Array.from({ length: role.span }, (_, i) => fn(this.peer(role, i), i)));
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
