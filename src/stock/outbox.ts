import { linkEvents, skuStream, type LinkableEvent } from "../audit/chain";
import { shippedEventStatements, storedHashStatement } from "../audit/store";
import { canonicalJson } from "../domain/canonical-json";
import type { Levels } from "../domain/types";
import { enqueueNotifications } from "../notifications/messages";
import type { Log } from "../platform/log";
import type { SkuTables } from "./tables";
import { customerHoldStatements, holdStatesIn } from "./customer-holds";
import { objectName } from "./addressing";
import type { LevelsAt } from "./alerts";
import { foldLocations, locationsAlong, shippedInventoryStatement } from "./location-fold";
import { alertNotifications, headLevels, nextHeadLevels } from "./shipped-alerts";
import { lagNotification } from "./view-lag";

/** Bounds and timings of shipping (TIGER_STYLE: every loop and batch has one). */
export const SHIPPING = {
  /** An event waits this long after the earliest unshipped one, so a burst ships as one batch (see shipDelayMs). */
  delay_ms: 500,
  /** The longest a shard's events wait: how far D1's views and audit log may trail a shard. */
  delay_max_ms: 4_000,
  /** Events per D1 batch (each is one INSERT of 7 parameters). */
  batch_events: 100,
  /** D1 batches per alarm run; when more remain the alarm fires again at once. */
  batches_per_run: 4,
  /** Backoff after a failed run: doubles from base to max, and never gives up. */
  retry_base_ms: 1_000,
  retry_max_ms: 60_000,
  /** Shipped rows are kept this long (for operators), then pruned. */
  keep_shipped_ms: 60 * 60 * 1000,
  /** Outbox rows one alarm run prunes. */
  prune_rows_max: 1_000,
} as const;

/**
 * How long this object's partial batch waits for more events (a full batch
 * of `batch_events` ships at once). A shard of an N-shard SKU sees about 1/N
 * of the SKU's events, so it waits N times as long, up to `delay_max_ms`:
 * each D1 batch then carries about what an unsharded SKU's would, and a SKU
 * costs D1 about as many batches a second however many shards it has. At
 * 500 ms for every shard, 8 shards shipped batches of a few events each, and
 * that upkeep cut a hold's rate to 0.67 of an unsharded SKU's on one runtime
 * thread. A hot shard fills its batches long before the delay, so its views
 * in D1 trail it by well under a second; only a quiet shard's trail by up to
 * `delay_max_ms`. The pool ships only transfers and stock changes, so it
 * keeps the base delay.
 */
export function shipDelayMs(role: { shard: number | null; shards: number } | null): number {
  if (!role || role.shard === null) return SHIPPING.delay_ms;
  return Math.min(SHIPPING.delay_max_ms, SHIPPING.delay_ms * Math.max(1, role.shards));
}

export interface ShipperDeps {
  db: D1Database;
  notifications: Queue;
  lowStockThreshold: number;
  log: Log;
}

export interface ShipReport {
  ok: boolean;
  shipped: number;
  batches: number;
  /** Events still wait after this run. */
  pending: boolean;
  /** The run stopped at its batch bound with events left: the caller should run again at once. */
  capped: boolean;
  error?: string;
}

type OutboxRow = { seq: number; type: string; at_ms: number; data: string };
type HeadRow = { seq: number; hash: string; outbox_seq: number; levels: string | null };

/** A new SKU starts with nothing, so a stream that never shipped levels is at zero. */
const ZERO_LEVELS: Levels = { onHand: 0, reserved: 0, available: 0, sold: 0, received: 0, returned: 0 };

/**
 * Drains the SKU object's outbox into D1: the SKU's audit stream `sku:<sku>`
 * (a hash chain with dense seqs 1, 2, 3...), the `inventory` view, and
 * merchant stock alerts. Runs from the alarm only, never on a request.
 *
 * Each batch: read rows and the chain head (sync) -> hash (async) -> one
 * atomic D1 batch -> alerts -> mark rows shipped and advance the head in one
 * transaction. A crash after D1 and before the mark re-sends the same chain
 * (same head, same rows, same hashes), which the idempotent inserts and the
 * `last_seq` guard turn into no-ops: written at least once, stored once.
 */
export class OutboxShipper {
  /** Shipping is single-flight: a second caller (e.g. a test running the alarm) joins the run. */
  private running: Promise<ShipReport> | null = null;
  private failures = 0;
  /** After a failure, shipping waits until then. In memory: a restarted object simply retries at once. */
  retryNotBeforeMs = 0;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly tables: SkuTables,
    private readonly deps: ShipperDeps,
  ) {}

  /** Ships up to `batches_per_run` batches. Never throws: a failure leaves the rows unshipped and backs off. */
  drain(): Promise<ShipReport> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Deletes shipped rows older than `keep_shipped_ms`, oldest first, at most `max_rows`. */
  prune(now_ms: number, max_rows: number = SHIPPING.prune_rows_max): number {
    const cutoff = now_ms - SHIPPING.keep_shipped_ms;
    const sql = this.storage.sql;
    // Shipped rows are the prefix of the outbox up to the head: look at the first row before scanning.
    const shippedUpTo = this.head().outbox_seq;
    const first = sql.exec<{ seq: number; at_ms: number }>("SELECT seq, at_ms FROM outbox ORDER BY seq LIMIT 1").toArray()[0];
    if (!first || first.seq > shippedUpTo || first.at_ms > cutoff) return 0;
    return this.storage.transactionSync(
      () =>
        sql.exec(
          `DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE seq <= ? ORDER BY seq LIMIT ?) AND at_ms <= ?`,
          shippedUpTo,
          max_rows,
          cutoff,
        ).rowsWritten,
    );
  }

  private async run(): Promise<ShipReport> {
    let shipped = 0;
    let batches = 0;
    try {
      while (batches < SHIPPING.batches_per_run) {
        const n = await this.shipBatch();
        if (n === 0) break;
        shipped += n;
        batches += 1;
        // A short batch drained the outbox; rows appended meanwhile wait for their own batching delay.
        if (n < SHIPPING.batch_events) break;
      }
      this.failures = 0;
      this.retryNotBeforeMs = 0;
      const pending = this.tables.earliestUnshippedAtMs() !== null;
      if (pending) await this.warnLag();
      return { ok: true, shipped, batches, pending, capped: pending && batches === SHIPPING.batches_per_run };
    } catch (e) {
      this.failures += 1;
      const wait = Math.min(SHIPPING.retry_max_ms, SHIPPING.retry_base_ms * 2 ** Math.min(this.failures - 1, 16));
      this.retryNotBeforeMs = Date.now() + wait;
      this.deps.log.error("outbox_ship_failed", {
        sku: this.tables.sku()?.sku,
        failures: this.failures,
        retryInMs: wait,
        error: String(e),
      });
      await this.warnLag();
      return { ok: false, shipped, batches, pending: true, capped: false, error: String(e) };
    }
  }

  /** Tells the merchant when D1's view trails this object by more than VIEW_LAG_MAX_MS (./view-lag.ts); never throws. */
  private async warnLag(): Promise<void> {
    const sku = this.tables.sku();
    const oldestAtMs = this.tables.earliestUnshippedAtMs();
    if (!sku || oldestAtMs === null) return;
    const object = { object: objectName(sku.sku, sku.shard_index), sku: sku.sku };
    // The oldest unshipped event's seq in the stream is the one after the head's.
    const oldest = { seq: this.head().seq + 1, atMs: oldestAtMs };
    const lag = lagNotification(object, oldest, this.tables.unshippedCount(), Date.now());
    if (!lag) return;
    this.deps.log.warn("inventory_view_lag", { object: object.object, lag: lag.data });
    await enqueueNotifications(this.deps.notifications, [lag]).catch((e: unknown) =>
      this.deps.log.error("inventory_lag_notify_failed", { object: object.object, error: String(e) }),
    );
  }

  /** Ships the oldest unshipped rows as one D1 batch; returns how many (0: nothing to do). */
  private async shipBatch(): Promise<number> {
    const head = this.head();
    const rows = this.storage.sql
      .exec<OutboxRow>(
        "SELECT seq, type, at_ms, data FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
        head.outbox_seq,
        SHIPPING.batch_events,
      )
      .toArray();
    const first = rows[0];
    const last = rows.at(-1);
    if (!first || !last) return 0;
    const sku = this.tables.sku();
    if (!sku) throw new Error("the outbox holds events but the SKU row is missing, so the stream has no name");

    // Each object of a sharded SKU is the single writer of its own stream and inventory row.
    const name = objectName(sku.sku, sku.shard_index);
    const stream = skuStream(name);
    // Each event's data is parsed once, for its hash and every view folded from it.
    const events = rows.map((r, i): LinkableEvent & { body: unknown } => ({
      stream,
      seq: head.seq + 1 + i,
      type: r.type,
      atMs: r.at_ms,
      data: r.data,
      body: JSON.parse(r.data),
    }));
    const observed: LevelsAt[] = [];
    for (const e of events) {
      const levels = levelsIn(e.body);
      if (levels) observed.push({ seq: e.seq, atMs: e.atMs, levels, stocked: e.type === "stock.adjusted" });
    }
    const prior = headLevels(head.levels);
    // Only levels an event carried become the alerts' "before": a new SKU's first restock raises none.
    const seen = observed.at(-1)?.levels ?? prior.levels;
    const located = locationsAlong(events);
    const after = seen ?? ZERO_LEVELS;
    const chained = linkEvents(head.hash, events);
    const tip = chained.at(-1)!;

    const d1 = this.deps.db;
    const statements = [
      // Levels move forward only: a re-sent older batch never overwrites newer ones.
      shippedInventoryStatement(d1, { sku: name, name: sku.name, ...after, lastSeq: tip.seq, updatedAtMs: tip.atMs }),
      ...shippedEventStatements(d1, chained),
      // The per-customer hold index (GET /v1/me/holds) is folded from the same events, in the same batch.
      ...customerHoldStatements(d1, holdStatesIn(events)),
      // The global view per location (spec §11) moves in the same batch as the events it is folded from.
      ...foldLocations(d1, name, located),
      // Read back the tip: if D1 already held a different event at that seq, the
      // insert was silently skipped and the chains have diverged.
      storedHashStatement(d1, { stream, seq: tip.seq }),
    ];
    const results = await d1.batch<{ hash: string }>(statements);
    const stored = results.at(-1)?.results[0]?.hash;
    if (stored !== tip.hash) {
      this.deps.log.critical("audit_chain_diverged", { stream, seq: tip.seq, expected: tip.hash, stored });
      throw new Error(`audit stream ${stream} holds another event at seq ${tip.seq}`);
    }

    // After the durable write, before the mark: a retry re-sends the same ids, which consumers drop.
    const sharded = sku.shard_index !== null || sku.shard_span > 1;
    const alerts = alertNotifications(sku.sku, { sharded, before: prior, events, observed, located }, this.deps.lowStockThreshold);
    if (alerts.length > 0) await enqueueNotifications(this.deps.notifications, alerts);
    const kept = nextHeadLevels(seen, prior.byLocation, located);

    this.storage.transactionSync(() => {
      // Compare-and-swap on the head: only the run that read it may advance it.
      if (this.head().seq !== head.seq) throw new Error("the audit head moved while a batch was shipping");
      // Rows appended while D1 was awaited have higher seqs and stay beyond the head, unshipped.
      this.storage.sql.exec(
        "UPDATE audit_head SET seq = ?, hash = ?, outbox_seq = ?, levels = ? WHERE id = 1",
        tip.seq,
        tip.hash,
        last.seq,
        kept === null ? null : canonicalJson(kept),
      );
    });
    return rows.length;
  }

  private head(): HeadRow {
    return this.storage.sql.exec<HeadRow>("SELECT seq, hash, outbox_seq, levels FROM audit_head WHERE id = 1").one();
  }
}

/** The levels an event's parsed data carries (hold.* and stock.adjusted do), or null. */
function levelsIn(body: unknown): Levels | null {
  const l = (body as { levels?: unknown } | null)?.levels as Partial<Record<keyof Levels, unknown>> | undefined;
  if (!l || typeof l !== "object") return null;
  // Events from before returns existed carry no `returned`: none had happened.
  const { onHand, reserved, available, sold, received, returned = 0 } = l;
  if (![onHand, reserved, available, sold, received, returned].every((n) => Number.isInteger(n))) return null;
  return { onHand, reserved, available, sold, received, returned } as Levels;
}
