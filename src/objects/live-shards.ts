import type { LiveLevels } from "../domain/live";
import { LIVE } from "./live-push";
import { snapshotOf } from "./sku-catalog";
import type { SkuLedger } from "./sku-ledger";
import { partOf, wholeSnapshot, type ShardPart } from "./shard-parts";
import type { Escrow, Role } from "./escrow";
import { POOL } from "./shards";

/**
 * Live push of a sharded SKU (SPEC 8 and 10). Sockets attach to the SKU's own
 * object (the pool); each shard reports its part to the pool at most once a
 * window, from a timer, and only while the pool says it has watchers, so the
 * hold path never waits on it. The pool adds its own part, read at push time,
 * to the last part each shard reported: the aggregate trails a shard's change
 * by at most a window and a call.
 */

/** How long a shard believes "nobody watches" before it asks again (one report, only after a change). */
const RECHECK_MS = 5_000;

/** The pool's copy of its shards' last reported parts. */
export class ShardParts {
  private readonly parts = new Map<number, ShardPart>();

  report(part: ShardPart): void {
    if (part.shard !== null) this.parts.set(part.shard, part);
  }

  /** Forgotten when the last socket closes: reports stop, so the copy would go stale. */
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
  return { type: "levels", sku: snapshot.sku, available: snapshot.levels.available, status: snapshot.status, at: new Date(now_ms).toISOString() };
}

/** A shard's side: tells the pool about its level changes, at most once a window, while someone watches. */
export class ShardReporter {
  private watched: boolean | null = null;
  private learnedAtMs = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** One report in flight at a time, so the pool receives them in order; a change meanwhile sends another after it. */
  private inFlight = false;
  private again = false;
  /** Counts the pool's `watch` calls: an answer sent before the latest one is stale. */
  private watchEpoch = 0;

  constructor(
    private readonly ledger: SkuLedger,
    private readonly escrow: Escrow,
  ) {}

  /** The pool got its first watcher. */
  watch(): void {
    this.watchEpoch += 1;
    this.watched = true;
    this.learnedAtMs = Date.now();
  }

  changed(role: Role): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (this.timer !== null) return;
    // Unknown (a fresh instance) counts as due: one report learns the answer.
    if (this.watched !== true && Date.now() - this.learnedAtMs < RECHECK_MS) return;
    this.timer = setTimeout(() => void this.report(role), LIVE.window_ms);
  }

  private async report(role: Role): Promise<void> {
    this.timer = null;
    const part = partOf(this.ledger, this.escrow.poolCalls, false);
    if (!part) return;
    this.inFlight = true;
    const epoch = this.watchEpoch;
    try {
      const { watching } = await this.escrow.peer(role, POOL).shardLevels(part);
      // "Nobody watches" may predate a first watcher that told us meanwhile.
      if (epoch === this.watchEpoch) this.watched = watching;
    } catch (e) {
      // Asked again after RECHECK_MS: a live view lags, no hold waits for this.
      this.watched = null;
      console.error(JSON.stringify({ level: "error", event: "live_report_failed", sku: role.sku, shard: role.shard, error: String(e) }));
    } finally {
      this.inFlight = false;
    }
    this.learnedAtMs = Date.now();
    if (this.again) {
      this.again = false;
      this.changed(role);
    }
  }
}
