import { arrivalPlace, drawPlace, entrantId } from "./place";
import { drawnThrough, marksStale } from "./join-shard";
import { EntrantLog } from "./entrant-log";
import type { ProofStep } from "./merkle";

/**
 * A join shard's part in the lottery (spec §9): at the close it seals its
 * pre-queue (the entrants are the prefix of its append-only log of lottery
 * joins that arrived before the close, ./entrant-log.ts) and answers the root
 * of that prefix, O(log n) reads; after the reveal it writes the places the
 * coordinator's draw gives its entrants (a batch per call, the lowest places
 * first), saying how far every place is written (the frontier moves no
 * further); it serves inclusion proofs and the entrant list. It writes only
 * the waiters' draw flag and place (and tells the join shard its line marks
 * are stale). Nothing here is secret: the order follows from the randomness,
 * which exists only after the seal.
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
  // The join stores its entrant's id and leaf (null: hashed at the seal); the join shard's draw row says how far the places are written.
  `ALTER TABLE waiters ADD COLUMN entrant_id TEXT;
  ALTER TABLE waiters ADD COLUMN leaf BLOB;
  ALTER TABLE shard_draw ADD COLUMN drawn_through TEXT;`,
  // The entrants are a prefix of an append-only log in join order (./entrant-log.ts): each lottery join takes an index (seq)
  // and stores the complete subtrees its leaf closes. Joins already stored are logged in arrival order (hashed at the next seal);
  // the sorted-order tables go (a draw sealed by the old code is not carried over: docs/waiting-room.md).
  `ALTER TABLE waiters ADD COLUMN seq INTEGER;
  CREATE UNIQUE INDEX waiters_by_seq ON waiters (seq) WHERE seq IS NOT NULL;
  CREATE INDEX waiters_logged_arrivals ON waiters (seq) WHERE seq IS NOT NULL AND in_draw = 0;
  CREATE INDEX waiters_unlogged_drawn ON waiters (customer_id) WHERE seq IS NULL AND in_draw = 1;
  CREATE TABLE lottery_log (id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL, hashed INTEGER NOT NULL, last_arrival_ms INTEGER NOT NULL);
  DROP TABLE lottery_entrants;
  DELETE FROM lottery_nodes;
  DELETE FROM lottery_seal;
  UPDATE waiters SET seq = r.n - 1
    FROM (SELECT customer_id, ROW_NUMBER() OVER (ORDER BY arrival_ms, customer_id) AS n FROM waiters WHERE entrant_id IS NOT NULL OR in_draw = 1) AS r
    WHERE waiters.customer_id = r.customer_id;
  INSERT INTO lottery_log (id, size, hashed, last_arrival_ms)
    SELECT 1, COUNT(*), 0, COALESCE(MAX(arrival_ms), 0) FROM waiters WHERE seq IS NOT NULL HAVING COUNT(*) > 0;`,
];

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

/** Places the draw gives this shard's entrants: [leaf index in the shard, place in the draw]. */
export type DrawnPlaces = Array<[number, number]>;

type SealRow = { epoch: number; closes_at_ms: number; root: string; entrants: number };

export class LotteryShard {
  private readonly sql: SqlStorage;
  private readonly log: EntrantLog;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.log = new EntrantLog(storage.sql);
  }

  private seal(): SealRow | null {
    return this.sql.exec<SealRow>("SELECT epoch, closes_at_ms, root, entrants FROM lottery_seal WHERE id = 1").toArray()[0] ?? null;
  }

  /** A sealed draw's close: a join that asks to enter the draw after it queues by arrival, from the close at the earliest. */
  closedAtMs(): number | null {
    return this.seal()?.closes_at_ms ?? null;
  }

  /**
   * Seals the pre-queue for `epoch`: the entrants are the log's joins that
   * arrived before the close (a prefix: arrivals never decrease along the
   * log), and the root is that prefix's, from the subtrees the joins stored.
   * Idempotent per epoch (the coordinator retries); an older epoch's seal is
   * reopened first. No await: the set read here is the set.
   */
  sealDraw(epoch: number, saleId: string, closesAtMs: number): ShardSeal {
    const sealed = this.seal();
    if (sealed?.epoch === epoch && sealed.root !== "") return { root: sealed.root, entrants: sealed.entrants };
    if (sealed) this.reopen(closesAtMs);
    return this.storage.transactionSync(() => {
      this.log.catchUp(saleId);
      const entrants = this.log.prefixBefore(closesAtMs);
      this.settleMembership(entrants);
      const root = this.log.rootAt(entrants);
      this.sql.exec(
        "INSERT OR REPLACE INTO lottery_seal (id, epoch, closes_at_ms, root, entrants) VALUES (1, ?, ?, ?, ?)",
        epoch,
        closesAtMs,
        root,
        entrants,
      );
      return { root, entrants };
    });
  }

  /**
   * The draw flag follows the seal: in the draw exactly the log's first
   * `entrants`. Only joins whose terms disagreed with the close (a state the
   * edge cached across a re-draw, a join after the close, a waiter from
   * before the sale was a lottery) change, each read through its own index.
   */
  private settleMembership(entrants: number): void {
    const out = this.sql
      .exec<{ customer_id: string; arrival_ms: number }>(
        `SELECT customer_id, arrival_ms FROM waiters WHERE seq >= ? AND in_draw = 1
         UNION ALL SELECT customer_id, arrival_ms FROM waiters WHERE seq IS NULL AND in_draw = 1`,
        entrants,
      )
      .toArray();
    for (const w of out)
      this.sql.exec(
        "UPDATE waiters SET in_draw = 0, place = ? WHERE customer_id = ?",
        arrivalPlace(w.arrival_ms, w.customer_id),
        w.customer_id,
      );
    const into = this.sql.exec("UPDATE waiters SET in_draw = 1, place = NULL WHERE seq < ? AND in_draw = 0", entrants).rowsWritten;
    if (out.length > 0 || into > 0) marksStale(this.sql);
  }

  /**
   * Forgets any sealed draw and sorts the waiters by the (new) close: joined
   * before it, in the draw with no place yet; after it, by arrival. Runs once
   * per new draw (startsAt moved), over the shard's waiters. The log stays:
   * the next seal takes another prefix of it.
   */
  reopen(closesAtMs: number): void {
    this.sql.exec("DELETE FROM lottery_seal");
    drawnThrough(this.sql, null);
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

  /** The sale is long over (retention): the sealed set and the log go with the places. */
  purge(): void {
    this.sql.exec("DELETE FROM lottery_seal");
    this.log.purge();
  }

  /**
   * Writes the places the coordinator's draw gives this shard's entrants
   * (./lottery.ts) and that every place up to `throughPlace` is written in
   * this shard (the frontier moves no further while the draw goes on).
   * Refused (false) for an epoch this shard has not sealed. Rewriting a batch
   * (the coordinator retries) writes the same places.
   */
  placeDrawn(epoch: number, places: DrawnPlaces, throughPlace: number): boolean {
    const sealed = this.seal();
    if (!sealed || sealed.epoch !== epoch || sealed.root === "") return false;
    // In log order, the order the joins stored their rows in: a batch visits the table page by page, not at random.
    const bySeq = [...places].sort((a, b) => a[0] - b[0]);
    this.storage.transactionSync(() => {
      // One statement a row: measured cheaper than one UPDATE ... FROM json_each for the batch.
      for (const [seq, place] of bySeq) {
        if (seq < sealed.entrants) this.sql.exec("UPDATE waiters SET place = ? WHERE seq = ? AND in_draw = 1", drawPlace(place), seq);
      }
      drawnThrough(this.sql, throughPlace >= 0 ? drawPlace(throughPlace) : null);
    });
    return true;
  }

  /** The customer's entrant id, leaf index and path to this shard's root; null if they are not an entrant of the sealed draw. */
  proof(customerId: string, saleId: string): ShardProof | null {
    const sealed = this.seal();
    if (!sealed || sealed.root === "") return null;
    const row = this.sql
      .exec<{ seq: number | null; sku: string }>("SELECT seq, sku FROM waiters WHERE customer_id = ?", customerId)
      .toArray()[0];
    if (!row || row.seq === null || row.seq >= sealed.entrants) return null;
    return { entrantId: entrantId(saleId, customerId), sku: row.sku, index: row.seq, steps: this.log.proof(row.seq, sealed.entrants) };
  }

  /** The customer's index in this shard's log of lottery joins; null if they never joined one here. */
  indexOf(customerId: string): number | null {
    return this.sql.exec<{ seq: number | null }>("SELECT seq FROM waiters WHERE customer_id = ?", customerId).toArray()[0]?.seq ?? null;
  }

  /** Sealed entrants (id and item) in leaf order (join order), from index `from`. */
  entrants(from: number, limit: number): { entrants: Entrant[]; next: number | null } {
    const sealed = this.seal();
    if (!sealed) return { entrants: [], next: null };
    const n = Math.max(1, Math.min(limit, ENTRANTS_PAGE_MAX));
    const rows = this.sql
      .exec<{ entrant_id: string; sku: string; seq: number }>(
        "SELECT entrant_id, sku, seq FROM waiters WHERE seq >= ? AND seq < ? ORDER BY seq LIMIT ?",
        from,
        sealed.entrants,
        n + 1,
      )
      .toArray();
    const page = rows.slice(0, n);
    return { entrants: page.map((r) => ({ entrantId: r.entrant_id, sku: r.sku })), next: rows.length > n ? rows[n]!.seq : null };
  }
}
