import { joinShardName, type QueueSetup } from "./config";
import { admitCount, soldOutForGood, type AdmissionBook, type StockSignals } from "./frontier";
import { PLACES_PER_CALL_MAX, type JoinShardCalls, type ShardSurvey } from "./join-shard";
import { Lottery, type DrawSale, type LotteryShardCalls } from "./lottery";
import { mergeLines, type LineMark } from "./line";
import type { QueueMode } from "./place";
import type { QueueState } from "./state";

/**
 * The sale's queue object (spec §9): moves the admission frontier from the
 * stock of the sale's SKUs and the join shards' counts. Its table is the
 * truth; the alarm only triggers the next tick (about once a second while the
 * sale is live and someone may wait).
 */
export const COORDINATOR_STEPS = [
  `CREATE TABLE queue_config (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sale_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    mode TEXT NOT NULL,
    starts_at_ms INTEGER NOT NULL,
    ends_at_ms INTEGER NOT NULL,
    prequeue_seconds INTEGER NOT NULL,
    admit_seconds INTEGER NOT NULL,
    skus TEXT NOT NULL,
    join_shards INTEGER NOT NULL,
    seed TEXT NOT NULL,
    commitment TEXT NOT NULL,
    frontier TEXT,
    expired_frontier TEXT,
    admitted_total INTEGER NOT NULL DEFAULT 0,
    admitted_expired INTEGER NOT NULL DEFAULT 0,
    closed TEXT,
    all_held INTEGER NOT NULL DEFAULT 0,
    waiting INTEGER NOT NULL DEFAULT 0,
    -- nobody waited at the last tick: no tick until a join wakes the queue (or the sale ends)
    idle INTEGER NOT NULL DEFAULT 0,
    woken_at_ms INTEGER NOT NULL DEFAULT 0,
    ticked_at_ms INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE queue_batches (at_ms INTEGER PRIMARY KEY, frontier TEXT NOT NULL, admitted INTEGER NOT NULL);`,
];

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
/** Shoppers admitted per tick at most. */
export const ADMIT_BATCH_MAX = PLACES_PER_CALL_MAX;

type ConfigRow = {
  sale_id: string;
  revision: number;
  enabled: number;
  mode: QueueMode;
  starts_at_ms: number;
  ends_at_ms: number;
  prequeue_seconds: number;
  admit_seconds: number;
  skus: string;
  join_shards: number;
  seed: string;
  commitment: string;
  frontier: string | null;
  expired_frontier: string | null;
  admitted_total: number;
  admitted_expired: number;
  closed: "sold_out" | "ended" | null;
  all_held: number;
  waiting: number;
  /** JSON of the merged line (./line.ts), from the last tick's surveys. */
  line: string;
  idle: number;
  woken_at_ms: number;
  ticked_at_ms: number;
};

export class Coordinator {
  private readonly lottery: Lottery;

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
  ) {
    this.lottery = new Lottery(sql, env);
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
         admit_seconds = excluded.admit_seconds, skus = excluded.skus, join_shards = excluded.join_shards,
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
    if (!c || c.enabled === 0 || c.closed === "ended") return null;
    if (now_ms >= c.ends_at_ms) return now_ms;
    const drawDue = this.lottery.dueMs(drawSale(c), now_ms);
    const queueDue =
      now_ms < c.starts_at_ms
        ? c.starts_at_ms
        : c.idle === 1
          ? c.ends_at_ms
          : c.ticked_at_ms + (c.closed === "sold_out" ? SOLD_OUT_TICK_MS : TICK_MS);
    return drawDue === null ? queueDue : Math.min(drawDue, queueDue);
  }

  /** Someone joined: an idle queue ticks again. True when it was idle. */
  wake(): boolean {
    const c = this.config();
    if (!c) return false;
    this.sql.exec("UPDATE queue_config SET idle = 0, woken_at_ms = ? WHERE id = 1", Date.now());
    return c.idle === 1;
  }

  state(): QueueState | null {
    const c = this.config();
    if (!c || c.enabled === 0) return null;
    const batches = this.sql
      .exec<{ frontier: string; at_ms: number }>("SELECT frontier, at_ms FROM queue_batches ORDER BY at_ms")
      .toArray()
      .map((b) => ({ frontier: b.frontier, atMs: b.at_ms }));
    return {
      saleId: c.sale_id,
      mode: c.mode,
      startsAtMs: c.starts_at_ms,
      endsAtMs: c.ends_at_ms,
      prequeueSeconds: c.prequeue_seconds,
      admitSeconds: c.admit_seconds,
      lottery: this.lottery.view(drawSale(c)),
      frontier: c.frontier,
      expiredFrontier: c.expired_frontier,
      batches,
      closed: c.closed,
      allHeld: c.all_held === 1,
      admitted: c.admitted_total,
      waiting: c.waiting,
      line: JSON.parse(c.line) as LineMark[],
      atMs: c.ticked_at_ms,
    };
  }

  /**
   * One move of the frontier. Reads the stock and the shards, then writes its
   * decision at once; when the next tick is due follows from what it wrote
   * (nextDueMs). Returns how many it admitted.
   */
  async tick(now_ms: number): Promise<number> {
    const c = this.config();
    if (!c || c.enabled === 0 || c.closed === "ended") return 0;
    if (now_ms >= c.ends_at_ms) {
      this.sql.exec("UPDATE queue_config SET closed = 'ended', ticked_at_ms = ? WHERE id = 1", now_ms);
      return 0;
    }
    await this.stepDraw(c, now_ms);
    if (now_ms < c.starts_at_ms) return 0;

    if (c.woken_at_ms === 0) {
      // Nobody ever joined: no shard to ask (nor to wake into existence) until the first join wakes the queue.
      this.sql.exec("UPDATE queue_config SET idle = 1, ticked_at_ms = ? WHERE id = 1", now_ms);
      return 0;
    }
    const windowStartMs = now_ms - c.admit_seconds * 1000;
    this.expireBatches(windowStartMs);
    const stock = await this.stock(JSON.parse(c.skus) as string[]);
    if (soldOutForGood(stock)) {
      this.sql.exec("UPDATE queue_config SET closed = 'sold_out', all_held = 0, ticked_at_ms = ? WHERE id = 1", now_ms);
      return 0;
    }
    const shards: JoinShardCalls[] = Array.from({ length: c.join_shards }, (_, i) =>
      this.env.WAITING_ROOM.getByName(joinShardName(c.sale_id, i)),
    );
    const surveys: ShardSurvey[] = await Promise.all(shards.map((s) => s.survey(windowStartMs, c.frontier)));
    const sum = (f: (s: ShardSurvey) => number) => surveys.reduce((n, s) => n + f(s), 0);
    const fresh = this.config()!;
    const admittedRecent = fresh.admitted_total - fresh.admitted_expired;
    const book: AdmissionBook = {
      admittedRecent,
      usedRecent: sum((s) => s.usedRecent),
      admittedExpired: fresh.admitted_expired,
      usedExpired: sum((s) => s.usedTotal) - sum((s) => s.usedRecent),
    };
    const waitingBefore = Math.max(0, sum((s) => s.joined) - fresh.admitted_total);
    const wanted = waitingBefore > 0 && sum((s) => s.undrawn) === 0 ? admitCount(stock, book, ADMIT_BATCH_MAX) : 0;
    const places = wanted > 0 ? await this.nextPlaces(shards, fresh.frontier, wanted) : [];
    const waitingAfter = waitingBefore - places.length;
    const idle = waitingAfter === 0 && now_ms - fresh.woken_at_ms > WAKE_GRACE_MS;
    this.sql.exec(
      "UPDATE queue_config SET closed = NULL, all_held = ?, waiting = ?, line = ?, idle = ?, ticked_at_ms = ? WHERE id = 1",
      stock.available <= 0 ? 1 : 0,
      waitingAfter,
      JSON.stringify(mergeLines(surveys.map((s) => s.line))),
      idle ? 1 : 0,
      now_ms,
    );
    if (places.length > 0) this.admit(places[places.length - 1]!, places.length, now_ms);
    return places.length;
  }

  /** The draw's next move (./lottery.ts); a new draw voids admissions made from the old draw's places. */
  private async stepDraw(c: ConfigRow, now_ms: number): Promise<void> {
    const shards: LotteryShardCalls[] = Array.from({ length: c.join_shards }, (_, i) =>
      this.env.WAITING_ROOM.getByName(joinShardName(c.sale_id, i)),
    );
    const { reopened } = await this.lottery.step(drawSale(c), now_ms, shards);
    if (reopened && c.frontier?.startsWith("0:")) {
      this.sql.exec("DELETE FROM queue_batches");
      this.sql.exec(
        "UPDATE queue_config SET frontier = NULL, expired_frontier = NULL, admitted_total = 0, admitted_expired = 0 WHERE id = 1",
      );
    }
  }

  /** The `n` lowest places after the frontier across every shard (each shard's own lowest `n`, merged). */
  private async nextPlaces(shards: JoinShardCalls[], after: string | null, n: number): Promise<string[]> {
    const lists = await Promise.all(shards.map((s) => s.nextPlaces(after, n)));
    return lists.flat().sort().slice(0, n);
  }

  private admit(frontier: string, count: number, now_ms: number): void {
    this.sql.exec(
      `INSERT INTO queue_batches (at_ms, frontier, admitted) VALUES (?, ?, ?)
       ON CONFLICT (at_ms) DO UPDATE SET frontier = excluded.frontier, admitted = admitted + excluded.admitted`,
      now_ms,
      frontier,
      count,
    );
    this.sql.exec("UPDATE queue_config SET frontier = ?, admitted_total = admitted_total + ? WHERE id = 1", frontier, count);
  }

  /** Batches older than the admission window lapse: their shoppers' admissions ran out. */
  private expireBatches(windowStartMs: number): void {
    const lapsed = this.sql
      .exec<{ frontier: string; admitted: number }>(
        "SELECT frontier, admitted FROM queue_batches WHERE at_ms <= ? ORDER BY at_ms",
        windowStartMs,
      )
      .toArray();
    if (lapsed.length === 0) return;
    const count = lapsed.reduce((n, b) => n + b.admitted, 0);
    this.sql.exec("DELETE FROM queue_batches WHERE at_ms <= ?", windowStartMs);
    this.sql.exec(
      "UPDATE queue_config SET expired_frontier = ?, admitted_expired = admitted_expired + ? WHERE id = 1",
      lapsed[lapsed.length - 1]!.frontier,
      count,
    );
  }

  /** The sale's SKUs added up; a sharded SKU's own object answers for all its shards. */
  private async stock(skus: string[]): Promise<StockSignals> {
    const snapshots = await Promise.all(skus.map((sku) => this.env.SKU.getByName(sku).snapshot()));
    const total: StockSignals = { available: 0, reserved: 0, liveHolds: 0 };
    for (const s of snapshots) {
      if (!s) continue;
      total.available += s.levels.available;
      total.reserved += s.levels.reserved;
      total.liveHolds += s.liveHolds;
    }
    return total;
  }
}

function drawSale(c: ConfigRow): DrawSale {
  return { saleId: c.sale_id, mode: c.enabled === 1 ? c.mode : "off", startsAtMs: c.starts_at_ms };
}
