import { joinShardName, type QueueSetup } from "./config";
import type { ConfigRow } from "./coordinator-schema";
import { soldOutForGood } from "./frontier";
import type { JoinShardCalls, ShardSurvey } from "./join-shard";
import type { LineMark } from "./line";
import { LineBook, planMove, type SkuStock, tickAdmitMax } from "./line-book";
import { drawCeiling, Lottery, type DrawSale, type LotteryShardCalls } from "./lottery";
import type { QueueLine, QueueState } from "./state";

/** The frontier moves this often while the sale is live. */
export const TICK_MS = 1_000;
/** Sold out for now: check for returning units less often. */
const SOLD_OUT_TICK_MS = 5_000;
/**
 * After a wake the queue keeps ticking at least this long even if nobody seems
 * to wait: the edge wakes it at most once a second per isolate, so joins that
 * land just after a tick are still seen.
 */
const WAKE_GRACE_MS = 3_000;
/** After the sale ends, its queue keeps its places this long (a ticket is read up to a day after), then forgets them. */
export const QUEUE_RETENTION_MS = 2 * 24 * 60 * 60 * 1000;
/** A wake within this long of the last one, on a queue that is ticking, writes nothing. */
const WAKE_WRITE_EVERY_MS = 1_000;

/**
 * The sale's queue object (spec §9): moves the admission frontier from the
 * stock of the sale's SKUs and the join shards' counts. Its table is the
 * truth; the alarm only triggers the next tick (about once a second while the
 * sale is live and someone may wait).
 */
export class Coordinator {
  private readonly lottery: Lottery;
  private readonly book: LineBook;

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
  ) {
    this.lottery = new Lottery(sql, env);
    this.book = new LineBook(sql);
  }

  private config(): ConfigRow | null {
    return this.sql.exec<ConfigRow>("SELECT * FROM queue_config WHERE id = 1").toArray()[0] ?? null;
  }

  /**
   * Applies a sale write; an older revision than the one held is ignored. A
   * lottery holds no seed (the retired `seed`/`commitment` columns stay
   * empty): its randomness is a beacon round after the close (./lottery.ts).
   */
  async configure(setup: QueueSetup): Promise<void> {
    const current = this.config();
    if (current && current.revision > setup.revision) return;
    const s = setup.settings;
    this.sql.exec(
      `INSERT INTO queue_config (id, sale_id, revision, enabled, mode, starts_at_ms, ends_at_ms, prequeue_seconds, admit_seconds, skus, join_shards, seed, commitment)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, enabled = excluded.enabled, mode = excluded.mode,
         starts_at_ms = excluded.starts_at_ms, ends_at_ms = excluded.ends_at_ms, prequeue_seconds = excluded.prequeue_seconds,
         admit_seconds = excluded.admit_seconds, skus = excluded.skus,
         closed = CASE WHEN closed = 'ended' AND excluded.ends_at_ms > ? THEN NULL ELSE closed END`,
      setup.saleId,
      setup.revision,
      s ? 1 : 0,
      s?.mode ?? "fifo",
      setup.startsAtMs,
      setup.endsAtMs,
      s?.prequeueSeconds ?? 0,
      s?.admitSeconds ?? 0,
      JSON.stringify(setup.skus),
      setup.joinShards,
      "",
      "",
      Date.now(),
    );
    this.lottery.configured(drawSale(this.config()!));
  }

  /** When the next tick is due, from the table alone: the one answer the object's alarm keeper arms for. */
  nextDueMs(now_ms: number): number | null {
    const c = this.config();
    if (!c || c.enabled === 0) return null;
    if (c.closed === "ended") return c.purged === 1 ? null : c.ends_at_ms + QUEUE_RETENTION_MS;
    if (now_ms >= c.ends_at_ms) return now_ms;
    const drawDue = this.lottery.dueMs(drawSale(c), now_ms);
    // A sold-out line refuses joins, so no join will wake it: its own ticks must see stock come back, idle or not.
    const soldOut = c.closed === "sold_out" || this.book.someSoldOut();
    const queueDue =
      now_ms < c.starts_at_ms
        ? c.starts_at_ms
        : soldOut
          ? c.ticked_at_ms + SOLD_OUT_TICK_MS
          : c.idle === 1
            ? c.ends_at_ms
            : c.ticked_at_ms + TICK_MS;
    return drawDue === null ? queueDue : Math.min(drawDue, queueDue);
  }

  /** Someone joined: an idle queue ticks again. True when it was idle. */
  wake(): boolean {
    const c = this.config();
    if (!c) return false;
    const now_ms = Date.now();
    // A ticking queue woken a moment ago needs no write: joins in a stampede cost this object a read each.
    if (c.idle === 0 && now_ms - c.woken_at_ms < WAKE_WRITE_EVERY_MS) return false;
    this.sql.exec("UPDATE queue_config SET idle = 0, woken_at_ms = ? WHERE id = 1", now_ms);
    return c.idle === 1;
  }

  state(): QueueState | null {
    const c = this.config();
    if (!c || c.enabled === 0) return null;
    const skus = JSON.parse(c.skus) as string[];
    const rows = this.book.lines(skus);
    const batches = this.sql
      .exec<{ sku: string; frontier: string; at_ms: number }>("SELECT sku, frontier, at_ms FROM line_batches ORDER BY sku, at_ms")
      .toArray();
    const lines: Record<string, QueueLine> = {};
    for (const sku of skus) {
      const l = rows[sku]!;
      lines[sku] = {
        frontier: l.frontier,
        expiredFrontier: l.expired_frontier,
        batches: batches.filter((b) => b.sku === sku).map((b) => ({ frontier: b.frontier, atMs: b.at_ms })),
        soldOut: l.sold_out === 1,
        allHeld: l.all_held === 1,
        admitted: l.admitted_total,
        waiting: l.waiting,
        line: JSON.parse(l.line) as LineMark[],
      };
    }
    return {
      saleId: c.sale_id,
      mode: c.mode,
      startsAtMs: c.starts_at_ms,
      endsAtMs: c.ends_at_ms,
      prequeueSeconds: c.prequeue_seconds,
      admitSeconds: c.admit_seconds,
      lottery: this.lottery.view(drawSale(c)),
      joinShards: c.join_shards,
      skus,
      lines,
      closed: c.closed,
      allHeld: c.all_held === 1,
      admitted: c.admitted_total,
      waiting: c.waiting,
      atMs: c.ticked_at_ms,
    };
  }

  /**
   * One move of each line's frontier. Reads the stock and the shards, then
   * writes its decision at once; when the next tick is due follows from what
   * it wrote (nextDueMs). Returns how many it admitted.
   */
  async tick(now_ms: number): Promise<number> {
    const c = this.config();
    if (!c || c.enabled === 0) return 0;
    if (c.closed === "ended") {
      if (c.purged === 0 && now_ms >= c.ends_at_ms + QUEUE_RETENTION_MS) await this.purge(c);
      return 0;
    }
    if (now_ms >= c.ends_at_ms) {
      this.sql.exec("UPDATE queue_config SET closed = 'ended', ticked_at_ms = ? WHERE id = 1", now_ms);
      return 0;
    }
    await this.stepDraw(c, now_ms);
    if (now_ms < c.starts_at_ms) return 0;
    // Read again: a join may have woken the queue (or a write turned it off) while the draw's step awaited.
    const current = this.config();
    if (!current || current.enabled === 0) return 0;
    const admitted = await this.move(current, now_ms);
    // The rest of the draw's places are written after the admission: the first one waits only for each shard's lowest places.
    await this.lottery.drawMore(drawSale(c), this.shards(c));
    return admitted;
  }

  /** The lines' move at one tick, after the start. */
  private async move(c: ConfigRow, now_ms: number): Promise<number> {
    if (c.woken_at_ms === 0) {
      // Nobody ever joined: no shard to ask (nor to wake into existence) until the first join wakes the queue.
      this.sql.exec("UPDATE queue_config SET idle = 1, ticked_at_ms = ? WHERE id = 1", now_ms);
      return 0;
    }
    const skus = JSON.parse(c.skus) as string[];
    const windowStartMs = now_ms - c.admit_seconds * 1000;
    this.book.expireBatches(windowStartMs);
    const stock = await this.stock(skus);
    if (skus.every((sku) => soldOutForGood(stock[sku]!))) {
      this.sql.exec("UPDATE queue_lines SET sold_out = 1, all_held = 0");
      this.sql.exec("UPDATE queue_config SET closed = 'sold_out', all_held = 0, ticked_at_ms = ? WHERE id = 1", now_ms);
      return 0;
    }
    const shards = this.shards(c);
    const before = this.book.lines(skus);
    const frontiers = Object.fromEntries(skus.map((sku) => [sku, before[sku]!.frontier]));
    const surveys: ShardSurvey[] = await Promise.all(shards.map((s) => s.survey(windowStartMs, frontiers)));
    const ceiling = drawCeiling(surveys);
    const moves = await Promise.all(skus.map((sku) => planMove(before[sku]!, stock[sku]!, surveys, shards, ceiling)));
    // Written together with no await between: the lines as this tick decided them.
    const lines = this.book.lines(skus);
    for (const m of moves) {
      // Another tick moved this line while this one awaited (a retried alarm): its move stands, this one is dropped.
      if (lines[m.sku]!.frontier !== before[m.sku]!.frontier) m.places = [];
      this.sql.exec(
        `INSERT INTO queue_lines (sku, waiting, sold_out, all_held, line) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sku) DO UPDATE SET waiting = excluded.waiting, sold_out = excluded.sold_out, all_held = excluded.all_held, line = excluded.line`,
        m.sku,
        Math.max(0, m.joined - lines[m.sku]!.admitted_total - m.places.length),
        soldOutForGood(stock[m.sku]!) ? 1 : 0,
        stock[m.sku]!.available <= 0 ? 1 : 0,
        JSON.stringify(m.line),
      );
      if (m.places.length > 0) this.book.admit(m.sku, m.places[m.places.length - 1]!, m.places.length, now_ms);
    }
    const after = Object.values(this.book.lines(skus));
    const waiting = after.reduce((n, l) => n + l.waiting, 0);
    // The wake is read with no await before this write: one that landed while the surveys ran keeps the queue ticking.
    const woken_at_ms = this.config()?.woken_at_ms ?? c.woken_at_ms;
    const idle = waiting === 0 && now_ms - woken_at_ms > WAKE_GRACE_MS && !this.book.someSoldOut();
    this.sql.exec(
      "UPDATE queue_config SET closed = NULL, all_held = ?, waiting = ?, admitted_total = ?, idle = ?, ticked_at_ms = ? WHERE id = 1",
      skus.every((sku) => stock[sku]!.available <= 0) ? 1 : 0,
      waiting,
      after.reduce((n, l) => n + l.admitted_total, 0),
      idle ? 1 : 0,
      now_ms,
    );
    return moves.reduce((n, m) => n + m.places.length, 0);
  }

  /** The sale's join shards, in both of their roles (the line's, the draw's). */
  private shards(c: ConfigRow): Array<JoinShardCalls & LotteryShardCalls> {
    return Array.from({ length: c.join_shards }, (_, i) => this.env.WAITING_ROOM.getByName(joinShardName(c.sale_id, i)));
  }

  /**
   * The draw's next move (./lottery.ts). A new draw voids admissions made from
   * the old draw's places: each line admitted into its drawn places starts over.
   */
  private async stepDraw(c: ConfigRow, now_ms: number): Promise<void> {
    // The reveal writes the places the first tick can admit: what every line of the sale admits at most in one tick.
    const firstPlaces = async () => {
      const stock = await this.stock(JSON.parse(c.skus) as string[]);
      return Object.values(stock).reduce((n, s) => n + tickAdmitMax(s), 0);
    };
    const { reopened } = await this.lottery.step(drawSale(c), now_ms, this.shards(c), firstPlaces);
    if (!reopened) return;
    this.sql.exec("DELETE FROM line_batches WHERE sku IN (SELECT sku FROM queue_lines WHERE frontier LIKE '0:%')");
    this.sql.exec(
      "UPDATE queue_lines SET frontier = NULL, expired_frontier = NULL, admitted_total = 0, admitted_expired = 0 WHERE frontier LIKE '0:%'",
    );
  }

  /** Each SKU's whole stock; a sharded SKU's own object answers for all its shards. */
  private async stock(skus: string[]): Promise<Record<string, SkuStock>> {
    const snapshots = await Promise.all(skus.map((sku) => this.env.SKU.getByName(sku).snapshot()));
    return Object.fromEntries(
      skus.map((sku, i) => {
        const s = snapshots[i];
        const signals: SkuStock = s
          ? { available: s.levels.available, reserved: s.levels.reserved, liveHolds: s.liveHolds, shards: s.shards }
          : { available: 0, reserved: 0, liveHolds: 0, shards: 1 };
        return [sku, signals];
      }),
    );
  }

  /** The sale ended long ago: every join shard forgets its places, and so does this line. */
  private async purge(c: ConfigRow): Promise<void> {
    await Promise.all(this.shards(c).map((s) => s.purge()));
    this.sql.exec("DELETE FROM queue_lines");
    this.sql.exec("DELETE FROM line_batches");
    this.sql.exec("DELETE FROM queue_batches");
    this.sql.exec("UPDATE queue_config SET purged = 1 WHERE id = 1");
  }
}

function drawSale(c: ConfigRow): DrawSale {
  return { saleId: c.sale_id, mode: c.enabled === 1 ? c.mode : "off", startsAtMs: c.starts_at_ms };
}
