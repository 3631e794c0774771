import type { Joined, JoinTerms, LineSurvey, ShardSurvey } from "./join-types";
import { LINE_SAMPLES_PER_SHARD, type LineMark, markPlace } from "./line";
import { EntrantLog } from "./entrant-log";
import { blob, leafHash } from "./merkle";
import { arrivalPlace, entrantId } from "./place";

/**
 * One join shard of a sale's waiting room (spec §9): the customers whose id
 * hashes here, each with their first arrival and the item they queue for.
 * Joins are spread over the shards, so no single object serializes them; a
 * customer always lands in the same shard, so one customer holds one place.
 *
 * A tick's work here follows what changed, not the number of waiters: the
 * counts a survey returns are counters kept by each join and use
 * (`shard_lines`), uses lapse by the admission batch they came from
 * (`shard_used`), and the line sample is a set of marks laid as places are
 * given (`shard_marks`), read beyond the frontier through their index.
 */
export const JOIN_SHARD_STEPS = [
  `CREATE TABLE waiters (
    customer_id TEXT PRIMARY KEY,
    arrival_ms INTEGER NOT NULL,
    in_draw INTEGER NOT NULL,
    -- null while a lottery joiner's draw is unrevealed
    place TEXT,
    admitted_at_ms INTEGER,
    used_at_ms INTEGER
  );
  CREATE INDEX waiters_by_place ON waiters (place) WHERE place IS NOT NULL;
  CREATE INDEX waiters_undrawn ON waiters (customer_id) WHERE place IS NULL;
  CREATE INDEX waiters_used ON waiters (admitted_at_ms) WHERE used_at_ms IS NOT NULL;`,
];

/** Appended after every earlier step of the object (waiting-room-object.ts): each SKU of the sale is its own line. */
export const JOIN_SHARD_LINES_STEPS = [
  `ALTER TABLE waiters ADD COLUMN sku TEXT NOT NULL DEFAULT '';
  CREATE INDEX waiters_by_sku_place ON waiters (sku, place) WHERE place IS NOT NULL;
  CREATE TABLE shard_lines (
    sku TEXT PRIMARY KEY,
    joined INTEGER NOT NULL DEFAULT 0,
    -- waiters with a place, and the highest place given by arrival
    placed INTEGER NOT NULL DEFAULT 0,
    last_place TEXT,
    used_total INTEGER NOT NULL DEFAULT 0,
    used_expired INTEGER NOT NULL DEFAULT 0,
    stride INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE shard_used (sku TEXT NOT NULL, admitted_at_ms INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (sku, admitted_at_ms));
  CREATE TABLE shard_marks (sku TEXT NOT NULL, place TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (sku, place));
  CREATE TABLE shard_draw (id INTEGER PRIMARY KEY CHECK (id = 1), marked INTEGER NOT NULL);`,
];

export type { Joined, JoinShardCalls, JoinTerms, LineSurvey, ShardSurvey } from "./join-types";

/** Places one call returns at most. */
export const PLACES_PER_CALL_MAX = 64_000;
/** Marks kept per line before the stride doubles: the sample stays between 64 and 128 marks. */
const MARKS_MAX = 2 * LINE_SAMPLES_PER_SHARD;

type LineRow = {
  sku: string;
  joined: number;
  placed: number;
  last_place: string | null;
  used_total: number;
  used_expired: number;
  stride: number;
};

export class JoinShard {
  private readonly log: EntrantLog;

  constructor(private readonly sql: SqlStorage) {
    this.log = new EntrantLog(sql);
  }

  /**
   * The customer's first arrival, for one SKU; joining again changes nothing.
   * Membership of the draw is decided by this object's clock; once this shard
   * sealed its entrants (`sealedAtMs`, the close it sealed at), a join queues
   * by arrival, from the close at the earliest, so its arrival says so too.
   */
  join(customerId: string, now_ms: number, terms: JoinTerms, sealedAtMs: number | null = null): Joined {
    const after = terms.closesAtMs !== null && sealedAtMs !== null ? Math.max(now_ms, sealedAtMs) : now_ms;
    // Any join to a lottery is logged (./entrant-log.ts): a later draw (startsAt moved) may count one that joined after this close.
    const logged = terms.closesAtMs !== null ? this.log.next(after) : null;
    const arrival_ms = logged?.arrival_ms ?? after;
    const drawn = terms.closesAtMs !== null && sealedAtMs === null && arrival_ms < terms.closesAtMs;
    const place = drawn ? null : arrivalPlace(arrival_ms, customerId);
    const entrant = logged && terms.saleId !== undefined ? entrantId(terms.saleId, customerId) : null;
    const leaf = entrant === null ? null : leafHash(entrant, terms.sku);
    const insert = this.sql.exec(
      `INSERT INTO waiters (customer_id, arrival_ms, in_draw, place, sku, entrant_id, leaf, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (customer_id) DO NOTHING`,
      customerId,
      arrival_ms,
      drawn ? 1 : 0,
      place,
      terms.sku,
      entrant,
      leaf === null ? null : blob(leaf),
      logged?.seq ?? null,
    );
    const created = insert.rowsWritten > 0;
    if (created) {
      if (logged) this.log.appended(logged, leaf);
      this.sql.exec("INSERT INTO shard_lines (sku, joined) VALUES (?, 1) ON CONFLICT (sku) DO UPDATE SET joined = joined + 1", terms.sku);
      if (place !== null) this.placed(terms.sku, place);
      else marksStale(this.sql);
    }
    const row = this.sql
      .exec<{ arrival_ms: number; in_draw: number; sku: string; seq: number | null }>(
        "SELECT arrival_ms, in_draw, sku, seq FROM waiters WHERE customer_id = ?",
        customerId,
      )
      .one();
    return { arrivalMs: row.arrival_ms, inDraw: row.in_draw === 1, sku: row.sku, index: row.seq, created };
  }

  /** A place was given at the end of the line (arrival order): counted, and every stride-th one marked. */
  private placed(sku: string, place: string): void {
    const line = this.sql
      .exec<LineRow>("UPDATE shard_lines SET placed = placed + 1, last_place = ? WHERE sku = ? RETURNING *", place, sku)
      .one();
    if (line.placed % line.stride !== 0) return;
    this.sql.exec("INSERT OR REPLACE INTO shard_marks (sku, place, count) VALUES (?, ?, ?)", sku, place, line.placed);
    if (line.placed / line.stride > MARKS_MAX) this.thin(sku, line.stride * 2);
  }

  /** Doubles a line's stride: half its marks go (at most MARKS_MAX rows, once per doubling of the line). */
  private thin(sku: string, stride: number): void {
    this.sql.exec("UPDATE shard_lines SET stride = ? WHERE sku = ?", stride, sku);
    this.sql.exec("DELETE FROM shard_marks WHERE sku = ? AND count % ? != 0", sku, stride);
  }

  /** An admitted customer held: counted once, with the time of their admission. */
  markUsed(customerId: string, admittedAtMs: number, now_ms: number): void {
    const used = this.sql
      .exec<{ sku: string }>(
        "UPDATE waiters SET admitted_at_ms = ?, used_at_ms = ? WHERE customer_id = ? AND used_at_ms IS NULL RETURNING sku",
        admittedAtMs,
        now_ms,
        customerId,
      )
      .toArray()[0];
    if (!used) return;
    this.sql.exec("UPDATE shard_lines SET used_total = used_total + 1 WHERE sku = ?", used.sku);
    this.sql.exec(
      "INSERT INTO shard_used (sku, admitted_at_ms, n) VALUES (?, ?, 1) ON CONFLICT (sku, admitted_at_ms) DO UPDATE SET n = n + 1",
      used.sku,
      admittedAtMs,
    );
  }

  /** Counts for the frontier of each line; the first survey after a draw's places are written lays the lines' marks again. */
  survey(windowStartMs: number, frontiers: Record<string, string | null> = {}): ShardSurvey {
    const undrawn = this.undrawn();
    const through = undrawn === 1 ? this.drawnThrough() : null;
    this.lapseUses(windowStartMs);
    const lines: Record<string, LineSurvey> = {};
    for (const l of this.sql.exec<LineRow>("SELECT * FROM shard_lines").toArray()) {
      lines[l.sku] = {
        joined: l.joined,
        usedTotal: l.used_total,
        usedRecent: l.used_total - l.used_expired,
        line: this.marks(l, frontiers[l.sku] ?? null),
      };
    }
    return { lines, undrawn, through };
  }

  /** Uses whose admission batch left the window move from recent to expired: only those rows are read. */
  private lapseUses(windowStartMs: number): void {
    const lapsed = this.sql
      .exec<{ sku: string; n: number }>("SELECT sku, SUM(n) AS n FROM shard_used WHERE admitted_at_ms <= ? GROUP BY sku", windowStartMs)
      .toArray();
    if (lapsed.length === 0) return;
    this.sql.exec("DELETE FROM shard_used WHERE admitted_at_ms <= ?", windowStartMs);
    for (const l of lapsed) this.sql.exec("UPDATE shard_lines SET used_expired = used_expired + ? WHERE sku = ?", l.n, l.sku);
  }

  /** The mark at or before the frontier and those beyond it, then the line's last place: at most MARKS_MAX + 2 rows. */
  private marks(l: LineRow, frontier: string | null): LineMark[] {
    if (l.placed === 0 || l.last_place === null) return [];
    const after = frontier ?? "";
    const below = this.sql
      .exec<LineMark>("SELECT place, count FROM shard_marks WHERE sku = ? AND place <= ? ORDER BY place DESC LIMIT 1", l.sku, after)
      .toArray();
    const beyond = this.sql
      .exec<LineMark>(
        "SELECT place, count FROM shard_marks WHERE sku = ? AND place > ? ORDER BY place LIMIT ?",
        l.sku,
        after,
        MARKS_MAX + 1,
      )
      .toArray();
    const marks = [...below, ...beyond];
    if (marks[marks.length - 1]?.place !== l.last_place) marks.push({ place: l.last_place, count: l.placed });
    return marks.map((m) => ({ place: markPlace(m.place), count: m.count }));
  }

  /** The next places of the SKU's line after `after` (exclusive), in order. */
  nextPlaces(sku: string, after: string | null, limit: number): string[] {
    const n = Math.max(0, Math.min(limit, PLACES_PER_CALL_MAX));
    return this.sql
      .exec<{ place: string }>(
        "SELECT place FROM waiters WHERE sku = ? AND place IS NOT NULL AND place > ? ORDER BY place LIMIT ?",
        sku,
        after ?? "",
        n,
      )
      .toArray()
      .map((r) => r.place);
  }

  /** The sale is long over: this shard forgets it. */
  purge(): void {
    for (const table of ["waiters", "shard_lines", "shard_used", "shard_marks", "shard_draw"]) this.sql.exec(`DELETE FROM ${table}`);
  }

  /**
   * 1 while the frontier must wait for the draw: some entrant has no place
   * yet (read through the partial index: one row at most), or the lines'
   * marks are not laid again since the places were written.
   */
  private undrawn(): number {
    if (this.sql.exec("SELECT 1 FROM waiters WHERE place IS NULL LIMIT 1").toArray().length > 0) return 1;
    return this.markDrawn() ? 0 : 1;
  }

  private drawnThrough(): string | null {
    return (
      this.sql.exec<{ drawn_through: string | null }>("SELECT drawn_through FROM shard_draw WHERE id = 1").toArray()[0]?.drawn_through ??
      null
    );
  }

  /**
   * Once every entrant has its place (./lottery-shard.ts writes them in one
   * pass), the lines' marks are laid again by rank (drawn places sort before
   * every arrival): one pass over the shard's places, once per draw. Only a
   * draw's join or a reopen makes the marks stale (marksStale), so a shard with
   * no draw reads one row here. True when done.
   */
  private markDrawn(): boolean {
    const row = this.sql.exec<{ marked: number }>("SELECT marked FROM shard_draw WHERE id = 1").toArray()[0];
    if (!row || row.marked === 1) return true;
    this.sql.exec("DELETE FROM shard_marks");
    for (const l of this.sql
      .exec<{ sku: string; n: number }>("SELECT sku, COUNT(*) AS n FROM waiters WHERE place IS NOT NULL GROUP BY sku")
      .toArray()) {
      let stride = 1;
      while (l.n / stride > MARKS_MAX) stride *= 2;
      this.sql.exec(
        `INSERT INTO shard_marks (sku, place, count)
         SELECT ?, place, rank FROM (SELECT place, ROW_NUMBER() OVER (ORDER BY place) AS rank FROM waiters WHERE sku = ? AND place IS NOT NULL)
         WHERE rank % ? = 0`,
        l.sku,
        l.sku,
        stride,
      );
      const last = this.sql
        .exec<{ place: string }>("SELECT place FROM waiters WHERE sku = ? AND place IS NOT NULL ORDER BY place DESC LIMIT 1", l.sku)
        .one().place;
      this.sql.exec("UPDATE shard_lines SET placed = ?, last_place = ?, stride = ? WHERE sku = ?", l.n, last, stride, l.sku);
    }
    this.sql.exec("INSERT OR REPLACE INTO shard_draw (id, marked) VALUES (1, 1)");
    return true;
  }
}

/**
 * The draw will place (or re-sort, ./lottery-shard.ts reopen) this shard's
 * waiters: its lines' marks are laid again once the places are written.
 */
export function marksStale(sql: SqlStorage): void {
  sql.exec("INSERT INTO shard_draw (id, marked) VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET marked = 0 WHERE marked = 1");
}

/** The draw (./lottery-shard.ts) wrote every drawn place up to `place` (null: none yet, as after a reopen). */
export function drawnThrough(sql: SqlStorage, place: string | null): void {
  sql.exec(
    "INSERT INTO shard_draw (id, marked, drawn_through) VALUES (1, 0, ?) ON CONFLICT (id) DO UPDATE SET drawn_through = excluded.drawn_through",
    place,
  );
}
