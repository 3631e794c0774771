import { arrivalPlace, drawKey, entrantId } from "./place";
import { marksStale } from "./join-shard";
import { leafHash, levelsOf, proofOf, type ProofStep } from "./merkle";

/**
 * A join shard's part in the lottery (spec §9): at the close it seals its
 * pre-queue (the entrants, sorted by entrant id, and their Merkle tree) and
 * answers its root; after the reveal it writes every entrant's place from the
 * beacon's randomness in one pass; it serves inclusion proofs and the entrant
 * list. It reads the shard's `waiters` and writes only their draw flag and
 * place (and tells the join shard its line marks are stale); its own tables
 * hold the sealed set. Nothing here is secret: the order
 * follows from the randomness, which exists only after the seal.
 */
export const LOTTERY_SHARD_STEPS = [
  `CREATE TABLE lottery_seal (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch INTEGER NOT NULL,
    closes_at_ms INTEGER NOT NULL,
    root TEXT NOT NULL,
    entrants INTEGER NOT NULL,
    -- entrants (by index) whose place is written; the draw resumes from here
    drawn INTEGER NOT NULL DEFAULT 0,
    randomness TEXT
  );
  CREATE TABLE lottery_entrants (idx INTEGER PRIMARY KEY, entrant_id TEXT NOT NULL UNIQUE, customer_id TEXT NOT NULL);
  CREATE TABLE lottery_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;`,
  // Each entrant's item is committed with them (./merkle.ts); '' for a draw sealed before.
  "ALTER TABLE lottery_entrants ADD COLUMN sku TEXT NOT NULL DEFAULT ''",
];

/** Places one draw call writes at most; a larger shard finishes over the next calls (a million entrants over 16 shards take one each). */
export const DRAW_PER_CALL_MAX = 250_000;
/** Entrant ids one page of the public list holds. */
export const ENTRANTS_PAGE_MAX = 1_000;

export interface ShardSeal {
  root: string;
  entrants: number;
}

/** A committed entrant: their id and the item whose line they entered. */
export interface Entrant {
  entrantId: string;
  sku: string;
}

export interface ShardProof {
  entrantId: string;
  sku: string;
  index: number;
  steps: ProofStep[];
}

type SealRow = { epoch: number; closes_at_ms: number; root: string; entrants: number; drawn: number; randomness: string | null };

export class LotteryShard {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  private seal(): SealRow | null {
    return this.sql.exec<SealRow>("SELECT * FROM lottery_seal WHERE id = 1").toArray()[0] ?? null;
  }

  /** A sealed draw's close: a join that asks to enter the draw after it queues by arrival, from the close at the earliest. */
  closedAtMs(): number | null {
    return this.seal()?.closes_at_ms ?? null;
  }

  /**
   * Seals the pre-queue for `epoch`: every waiter who joined before the close
   * (and only those) is an entrant. Idempotent per epoch (the coordinator
   * retries); an older epoch's seal is reopened first.
   */
  async sealDraw(epoch: number, saleId: string, closesAtMs: number): Promise<ShardSeal> {
    const sealed = this.seal();
    if (sealed?.epoch === epoch && sealed.root !== "") return { root: sealed.root, entrants: sealed.entrants };
    // Before any await: from here on a join that asks for the draw queues by arrival, so the set read here is the set.
    this.reopen(closesAtMs);
    const rows = this.sql.exec<{ customer_id: string; sku: string }>("SELECT customer_id, sku FROM waiters WHERE in_draw = 1").toArray();
    this.sql.exec(
      "INSERT INTO lottery_seal (id, epoch, closes_at_ms, root, entrants) VALUES (1, ?, ?, '', ?)",
      epoch,
      closesAtMs,
      rows.length,
    );
    const ids = await Promise.all(rows.map((r) => entrantId(saleId, r.customer_id)));
    const entrants = rows.map((r, i) => ({ id: ids[i]!, customer: r.customer_id, sku: r.sku })).sort((a, b) => (a.id < b.id ? -1 : 1));
    const levels = await levelsOf(await Promise.all(entrants.map((e) => leafHash(e.id, e.sku))));
    const root = levels[levels.length - 1]![0]!.toString("hex");
    // Level 0 is recomputed from the entrant ids; the levels above are kept for proofs. One transaction: all or nothing.
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM lottery_entrants; DELETE FROM lottery_nodes;");
      for (const [idx, e] of entrants.entries()) {
        this.sql.exec("INSERT INTO lottery_entrants (idx, entrant_id, customer_id, sku) VALUES (?, ?, ?, ?)", idx, e.id, e.customer, e.sku);
      }
      for (let level = 1; level < levels.length; level++) {
        for (const [idx, h] of levels[level]!.entries()) {
          this.sql.exec("INSERT INTO lottery_nodes (level, idx, hash) VALUES (?, ?, ?)", level, idx, h.toString("hex"));
        }
      }
      this.sql.exec("UPDATE lottery_seal SET root = ? WHERE id = 1 AND epoch = ?", root, epoch);
    });
    return { root, entrants: entrants.length };
  }

  /**
   * Forgets any sealed draw and sorts the waiters by the (new) close: joined
   * before it, in the draw with no place yet; after it, by arrival. Runs once
   * per new draw (startsAt moved), over the shard's waiters.
   */
  reopen(closesAtMs: number): void {
    this.sql.exec("DELETE FROM lottery_seal; DELETE FROM lottery_entrants; DELETE FROM lottery_nodes;");
    const late = this.sql
      .exec<{ customer_id: string; arrival_ms: number }>(
        "SELECT customer_id, arrival_ms FROM waiters WHERE arrival_ms >= ? AND (in_draw = 1 OR place LIKE '0:%')",
        closesAtMs,
      )
      .toArray();
    for (const w of late)
      this.sql.exec(
        "UPDATE waiters SET in_draw = 0, place = ? WHERE customer_id = ?",
        arrivalPlace(w.arrival_ms, w.customer_id),
        w.customer_id,
      );
    this.sql.exec("UPDATE waiters SET in_draw = 1, place = NULL WHERE arrival_ms < ? AND (in_draw = 0 OR place IS NOT NULL)", closesAtMs);
    marksStale(this.sql);
  }

  /** The sale is long over (retention): the sealed set goes with the places. */
  purge(): void {
    this.sql.exec("DELETE FROM lottery_seal; DELETE FROM lottery_entrants; DELETE FROM lottery_nodes;");
  }

  /**
   * Writes the places of up to DRAW_PER_CALL_MAX more entrants from the
   * revealed randomness; answers how many remain. Refused (-1) for an epoch
   * this shard has not sealed.
   */
  async draw(epoch: number, randomness: string): Promise<number> {
    const sealed = this.seal();
    if (!sealed || sealed.epoch !== epoch || sealed.root === "") return -1;
    const batch = this.sql
      .exec<{ entrant_id: string; customer_id: string }>(
        "SELECT entrant_id, customer_id FROM lottery_entrants WHERE idx >= ? ORDER BY idx LIMIT ?",
        sealed.drawn,
        DRAW_PER_CALL_MAX,
      )
      .toArray();
    const keys = await Promise.all(batch.map((e) => drawKey(randomness, e.entrant_id)));
    const places = keys.map((k) => `0:${k}`);
    const drawn = sealed.drawn + batch.length;
    this.storage.transactionSync(() => {
      for (const [i, e] of batch.entries()) this.sql.exec("UPDATE waiters SET place = ? WHERE customer_id = ?", places[i], e.customer_id);
      this.sql.exec("UPDATE lottery_seal SET drawn = ?, randomness = ? WHERE id = 1", drawn, randomness);
    });
    return sealed.entrants - drawn;
  }

  /** The customer's entrant id, leaf index and path to this shard's root; null if they are not an entrant of the sealed draw. */
  async proof(customerId: string, saleId: string): Promise<ShardProof | null> {
    const sealed = this.seal();
    if (!sealed || sealed.root === "") return null;
    const id = await entrantId(saleId, customerId);
    const row = this.sql.exec<{ idx: number; sku: string }>("SELECT idx, sku FROM lottery_entrants WHERE entrant_id = ?", id).toArray()[0];
    if (!row) return null;
    const steps = await proofOf(row.idx, sealed.entrants, async (level, idx) => {
      if (level === 0) {
        const sibling = this.sql
          .exec<{ entrant_id: string; sku: string }>("SELECT entrant_id, sku FROM lottery_entrants WHERE idx = ?", idx)
          .one();
        return (await leafHash(sibling.entrant_id, sibling.sku)).toString("hex");
      }
      return this.sql.exec<{ hash: string }>("SELECT hash FROM lottery_nodes WHERE level = ? AND idx = ?", level, idx).one().hash;
    });
    return { entrantId: id, sku: row.sku, index: row.idx, steps };
  }

  /** Sealed entrants (id and item) in leaf order, from index `from`. */
  entrants(from: number, limit: number): { entrants: Entrant[]; next: number | null } {
    const n = Math.max(1, Math.min(limit, ENTRANTS_PAGE_MAX));
    const rows = this.sql
      .exec<{ entrant_id: string; sku: string; idx: number }>(
        "SELECT entrant_id, sku, idx FROM lottery_entrants WHERE idx >= ? ORDER BY idx LIMIT ?",
        from,
        n + 1,
      )
      .toArray();
    const page = rows.slice(0, n);
    return { entrants: page.map((r) => ({ entrantId: r.entrant_id, sku: r.sku })), next: rows.length > n ? rows[n]!.idx : null };
  }
}
