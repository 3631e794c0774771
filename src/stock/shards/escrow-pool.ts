import { postTransfer, receiveUnits, sendUnits } from "./transfers";
import { EscrowCore, type Role } from "./escrow-core";
import { ESCROW, NO_NEWS, soldOutBoundMs, type Grant, type LocatedGrant, type Recalled, type ShardNews } from "./escrow-policy";
import { freeAt, grantCandidates, stockedCopies, type Want } from "./located-escrow";

/**
 * The second layer of the escrow (see ./escrow.ts): the pool's side. It
 * grants batches to the shards that ask, recalls the siblings' surplus when
 * it cannot cover an ask, and remembers for the bound when a recall proved
 * the SKU out, so a sold-out stampede does not recall again and again.
 */
export class EscrowPool extends EscrowCore {
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
  protected readonly soldOutBoundMs = soldOutBoundMs(this.env);

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

  protected markEmpty(spared: number | null): void {
    this.emptyUntilMs = this.now() + this.soldOutBoundMs;
    this.emptySpared = spared;
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

  /** The pool's recalls in flight (see Escrow.inFlight). */
  protected recallsInFlight(): Array<Promise<unknown>> {
    return [...this.recalling.values()];
  }
}
