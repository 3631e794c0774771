import type { LiveLevels } from "../../domain/live";
import { LIVE } from "./push";
import { snapshotOf } from "../catalog";
import type { SkuLedger } from "../ledger";
import { partOf, wholeOf, wholeSnapshot, type ShardPart } from "../shards/parts";
import type { Levels } from "../../domain/types";
import type { Escrow, Role } from "../shards/escrow";
import { POOL } from "../addressing";
import type { Log } from "../../platform/log";

/**
 * The whole of a sharded SKU, as its own object (the pool) sees it, for live
 * push (spec §8 and 10) and its stock alerts (./whole-alerts.ts). Each shard
 * reports its part to the pool after a change, from a timer, so the hold path
 * never waits on it: at most once a live window while the pool says it has
 * watchers, else at most once a second. The pool adds its own part, read when
 * it needs the whole, to the last part each shard reported: moved units are
 * counted by the transfer counters, so the sum trails a shard's holds by at
 * most a window and a call, and never loses a unit in flight.
 */

/** How often a shard reports while nobody watches: what the SKU's stock alerts may lag by. */
export const UNWATCHED_REPORT_MS = 1_000;

/** Failed reports a shard retries one window apart before the retries slow down. */
const REPORT_FAST_RETRIES = 5;
/**
 * The longest pause between retries of a failing report. A shard never stops
 * retrying: until a report lands the pool's copy of its part is stale (watchers
 * could see `sold_out` while this shard has stock), and nothing else would
 * send it if the shard sees no further change.
 */
const REPORT_RETRY_MAX_MS = 30_000;

/** The pool's copy of its shards' last reported parts. */
export class ShardParts {
  private readonly parts = new Map<number, ShardPart>();

  report(part: ShardPart): void {
    if (part.shard !== null) this.parts.set(part.shard, part);
  }

  /** A first watcher reads every part afresh rather than trust the slower unwatched reports. */
  clear(): void {
    this.parts.clear();
  }

  /**
   * Every shard's part; one read of them all when any is missing (the first watcher, a new shard count).
   * The read only fills gaps: a report that lands while it runs is as new or newer, and a shard's
   * reports arrive in order (one in flight at a time), so the copy converges on each shard's last state.
   */
  async all(role: Role, escrow: Escrow): Promise<Array<ShardPart | null>> {
    const missing = Array.from({ length: role.span }, (_, i) => i).some((i) => !this.parts.has(i));
    if (missing) {
      for (const part of await escrow.onShards(role, (s) => s.part(false))) {
        if (part && part.shard !== null && !this.parts.has(part.shard)) this.parts.set(part.shard, part);
      }
    }
    return Array.from({ length: role.span }, (_, i) => this.parts.get(i) ?? null);
  }
}

/** The public levels of the whole SKU, read without changing anything (overdue holds expire from the alarm, which pushes again). */
export async function readLive(ledger: SkuLedger, escrow: Escrow, shards: ShardParts): Promise<LiveLevels | null> {
  const now_ms = Date.now();
  const row = ledger.tables.sku();
  if (!row) return null;
  let snapshot = snapshotOf(ledger.tables, row, now_ms);
  const role = escrow.role();
  if (role && role.shard === null && role.span > 1) {
    snapshot = wholeSnapshot(snapshot, partOf(ledger, escrow.poolCalls, false), await shards.all(role, escrow));
  }
  return {
    type: "levels",
    sku: snapshot.sku,
    available: snapshot.levels.available,
    status: snapshot.status,
    price: snapshot.currentPrice,
    listPrice: snapshot.price,
    at: new Date(now_ms).toISOString(),
  };
}

/** The whole SKU's levels on a sharded SKU's own object: its own part read now, each shard's as last reported. Else null. */
export async function readWhole(ledger: SkuLedger, escrow: Escrow, shards: ShardParts): Promise<Levels | null> {
  const role = escrow.role();
  if (!role || role.shard !== null || role.span <= 1) return null;
  return wholeOf([partOf(ledger, escrow.poolCalls, false), ...(await shards.all(role, escrow))]).levels;
}

/** A shard's side: tells the pool about its level changes, at most once a window. */
export class ShardReporter {
  /** Whether the pool last said it has watchers: the window is the live one then. */
  private watched = false;
  /** Reports that failed in a row. */
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** One report in flight at a time, so the pool receives them in order; a change meanwhile sends another after it. */
  private inFlight = false;
  private again = false;
  /** Counts the pool's `watch` calls: an answer sent before the latest one is stale. */
  private watchEpoch = 0;

  constructor(
    private readonly ledger: SkuLedger,
    private readonly escrow: Escrow,
    private readonly log: Log,
  ) {}

  /** The pool got its first watcher. */
  watch(): void {
    this.watchEpoch += 1;
    this.watched = true;
  }

  changed(role: Role): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.timer ??= setTimeout(() => void this.report(role), this.delayMs());
  }

  /** The window; after the fast retries of a failing report, doubling up to REPORT_RETRY_MAX_MS. */
  private delayMs(): number {
    const window_ms = this.watched ? LIVE.window_ms : UNWATCHED_REPORT_MS;
    const slow = this.failures - REPORT_FAST_RETRIES;
    return slow <= 0 ? window_ms : Math.min(REPORT_RETRY_MAX_MS, window_ms * 2 ** slow);
  }

  private async report(role: Role): Promise<void> {
    this.timer = null;
    const part = partOf(this.ledger, this.escrow.poolCalls, false);
    if (!part) return;
    this.inFlight = true;
    const epoch = this.watchEpoch;
    try {
      const news = this.escrow.news(Date.now());
      const { watching } = await this.escrow
        .peer(role, POOL)
        .shardLevels(part, news)
        .catch((e: unknown) => {
          this.escrow.undelivered(news);
          throw e;
        });
      // "Nobody watches" may predate a first watcher that told us meanwhile.
      if (epoch === this.watchEpoch) this.watched = watching;
      this.failures = 0;
    } catch (e) {
      // Tried again until it lands, a window later at first, then backing off: the last state
      // must reach the pool for its watchers and alerts, but no hold waits for this.
      this.failures += 1;
      this.again = true;
      this.log.error("live_report_failed", { sku: role.sku, shard: role.shard, error: String(e) });
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      this.changed(role);
    }
  }
}
