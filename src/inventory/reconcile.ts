import { and, desc, eq, lte } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { z } from "zod";
import { appendEvent } from "../audit/store";
import { auditEvents, inventoryLocations } from "../db/schema";
import { canonicalJson } from "../domain/canonical-json";
import type { LocationLevels } from "../domain/locations";
import type { MerchantActor } from "../domain/roles";
import { enqueueNotifications, type InventoryDriftNotification } from "../notifications/messages";
import { logger } from "../platform/log";
import { rowOf, upsertInventory, upsertRows } from "../stock/location-fold";
import type { ObjectView } from "../stock/view-levels";
import { lagNotification } from "../stock/view-lag";
import { compareObject, DRIFT_KINDS, type Drift } from "./drift";

/**
 * The global view's reconciliation (spec §11): D1's `inventory` and
 * `inventory_locations` rows against each object's own levels (the truth).
 * A row that differs, is missing or names a location the object does not
 * stock is drift: it is repaired from the object, recorded in the audit log
 * (stream `inventory:reconciliation`, one `inventory.drift` event per object)
 * and notified to the merchant. Hourly from the cron, and on demand.
 *
 * A repair is written at the object's head seq (the newest event it made),
 * so the late shipping of events it already covers changes nothing, and it
 * never overwrites a row that a newer event reached meanwhile.
 */
export const RECONCILE = {
  /** Objects one run checks; the next run goes on from where this one stopped (its report's `next`). */
  objects_per_run: 50,
  /** Objects asked at once. */
  parallel: 10,
  /** An object that does not answer in this long is skipped (counted `unreachable`), not guessed. */
  object_timeout_ms: 5_000,
  /** Drift entries a report lists; the counts are always whole. */
  listed_max: 100,
} as const;

export const INVENTORY_RECONCILIATION_STREAM = "inventory:reconciliation";
/** A run over the next objects; its `next` is where the following one starts. */
const RUN_EVENT = "inventory.reconciled";
/** A run over one SKU's objects: it leaves the walk where it was. */
const SKU_RUN_EVENT = "inventory.reconciled_sku";
const DRIFT_EVENT = "inventory.drift";
/** Object streams are `sku:<object>`; `;` sorts right after `:`, `$` right after a SKU's shards' `#`. */
const STREAM_PREFIX = "sku:";

export const InventoryReconciliation = z.object({
  reconciliationId: z.string(),
  trigger: z.enum(["scheduled", "owner"]),
  checked: z.number().int(),
  drifted: z.number().int(),
  repaired: z.number().int(),
  unreachable: z.number().int(),
  lagging: z.number().int(),
  /** The object after which the next run starts; null: this run reached the last one. */
  next: z.string().nullable(),
  drifts: z.array(
    z.object({
      object: z.string(),
      location: z.string().nullable(),
      kind: z.enum(DRIFT_KINDS),
      d1: z.record(z.string(), z.number().nullable()).nullable(),
      truth: z.record(z.string(), z.number().nullable()).nullable(),
      behind: z.number().int(),
    }),
  ),
});
export type InventoryReconciliation = z.infer<typeof InventoryReconciliation>;

export async function reconcileInventory(
  env: Env,
  now_ms: number,
  opts: { trigger: "scheduled" | "owner"; sku?: string; actor?: MerchantActor; objects_max?: number },
): Promise<InventoryReconciliation> {
  const db = drizzle(env.DB);
  const from = opts.sku !== undefined ? null : await lastNext(db);
  const max = opts.objects_max ?? RECONCILE.objects_per_run;
  const objects = await objectsToCheck(env.DB, opts.sku, from, max);
  const reconciliationId = `inv_${crypto.randomUUID().replaceAll("-", "")}`;
  const report: InventoryReconciliation = {
    reconciliationId,
    trigger: opts.trigger,
    checked: 0,
    drifted: 0,
    repaired: 0,
    unreachable: 0,
    lagging: 0,
    next: opts.sku === undefined && objects.length === max ? objects.at(-1)! : null,
    drifts: [],
  };
  const notices: InventoryDriftNotification[] = [];
  for (let i = 0; i < objects.length; i += RECONCILE.parallel) {
    const group = objects.slice(i, i + RECONCILE.parallel);
    const views = await Promise.all(group.map((o) => readObject(env, o)));
    for (const [j, view] of views.entries()) {
      if (!view) {
        report.unreachable += 1;
        logger(env).warn("inventory_reconcile_unreachable", { object: group[j] });
        continue;
      }
      report.checked += 1;
      const lag = lagNotification(
        view,
        view.oldestUnshippedAtMs === null ? null : { seq: view.shippedSeq + 1, atMs: view.oldestUnshippedAtMs },
        view.headSeq - view.shippedSeq,
        now_ms,
      );
      if (lag) {
        report.lagging += 1;
        notices.push(lag);
      }
      const drifts = await compareObject(db, view);
      if (drifts.length === 0) continue;
      report.drifted += drifts.length;
      report.repaired += await repair(db, view, drifts);
      for (const d of drifts) if (report.drifts.length < RECONCILE.listed_max) report.drifts.push(d);
      await appendEvent(db, {
        stream: INVENTORY_RECONCILIATION_STREAM,
        type: DRIFT_EVENT,
        atMs: now_ms,
        data: canonicalJson({
          reconciliationId,
          object: view.object,
          headSeq: view.headSeq,
          drifts,
          ...(opts.actor && { actor: opts.actor }),
        }),
      });
      notices.push({
        id: `inventory-drift:${reconciliationId}:${view.object}`,
        audience: "merchant",
        type: "inventory.drift",
        sku: view.sku,
        data: { reason: "drift", count: drifts.length, reconciliationId },
        atMs: now_ms,
      });
    }
  }
  const { drifts: _listed, ...counts } = report;
  const stored = await appendEvent(db, {
    stream: INVENTORY_RECONCILIATION_STREAM,
    type: opts.sku === undefined ? RUN_EVENT : SKU_RUN_EVENT,
    atMs: now_ms,
    data: canonicalJson({ ...counts, ...(opts.sku !== undefined && { sku: opts.sku }), ...(opts.actor && { actor: opts.actor }) }),
  });
  if (!stored) logger(env).warn("inventory_reconciliation_unaudited", { reconciliationId });
  if (notices.length > 0) {
    await enqueueNotifications(env.NOTIFICATIONS, notices).catch((e: unknown) =>
      logger(env).error("inventory_drift_notify_failed", { reconciliationId, error: String(e) }),
    );
  }
  if (report.drifted > 0) logger(env).warn("inventory_drift", counts);
  return report;
}

/** Where the last scheduled or unscoped run stopped, from its audited report: runs walk the SKUs round and round. */
async function lastNext(db: DrizzleD1Database): Promise<string | null> {
  const [last] = await db
    .select({ data: auditEvents.data })
    .from(auditEvents)
    .where(and(eq(auditEvents.stream, INVENTORY_RECONCILIATION_STREAM), eq(auditEvents.type, RUN_EVENT)))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  if (!last) return null;
  return (JSON.parse(last.data) as { next?: string | null }).next ?? null;
}

/**
 * Up to `max` object names after `from`, or every object of `sku`: each
 * object that ever shipped has its audit stream, even when its view rows
 * were deleted. One seek per name on the streams' primary key.
 */
async function objectsToCheck(db: D1Database, sku: string | undefined, from: string | null, max: number): Promise<string[]> {
  const low = STREAM_PREFIX + (sku ?? from ?? "");
  const high = sku !== undefined ? `${STREAM_PREFIX}${sku}$` : "sku;";
  const first = sku !== undefined ? "stream >= ?1" : "stream > ?1";
  const { results } = await db
    .prepare(
      `WITH RECURSIVE s(stream, n) AS (
         SELECT (SELECT min(stream) FROM audit_events WHERE ${first} AND stream < ?2), 1
         UNION ALL
         SELECT (SELECT min(stream) FROM audit_events WHERE stream > s.stream AND stream < ?2), n + 1
           FROM s WHERE s.stream IS NOT NULL AND n < ?3)
       SELECT stream FROM s WHERE stream IS NOT NULL`,
    )
    .bind(low, high, max)
    .all<{ stream: string }>();
  return results.map((r) => r.stream.slice(STREAM_PREFIX.length));
}

async function readObject(env: Env, object: string): Promise<ObjectView | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), RECONCILE.object_timeout_ms);
  });
  try {
    return await Promise.race([env.SKU.getByName(object).viewLevels(), late]);
  } catch (e) {
    logger(env).warn("inventory_reconcile_read_failed", { object, error: String(e) });
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Writes the object's truth over the drifted rows in one batch; how many drifts it repaired (rows it changed). */
async function repair(db: DrizzleD1Database, view: ObjectView, drifts: readonly Drift[]): Promise<number> {
  const statements: BatchItem<"sqlite">[] = [];
  /** Which drift each statement repairs: a SKU-wide version drift rewrites every location's row. */
  const of: number[] = [];
  for (const [i, d] of drifts.entries()) {
    for (const statement of repairsOf(db, view, d)) {
      statements.push(statement);
      of.push(i);
    }
  }
  const [first, ...rest] = statements;
  if (!first) return 0;
  const results = (await db.batch([first, ...rest])) as Array<{ meta: { changes: number } }>;
  return new Set(of.filter((_, s) => results[s]!.meta.changes > 0)).size;
}

function repairsOf(db: DrizzleD1Database, view: ObjectView, d: Drift): BatchItem<"sqlite">[] {
  const rowAt = (l: LocationLevels) => upsertRows(db, [rowOf(view.object, l, view.version, view.headSeq, view.readAtMs)], "repair");
  if (d.location === null && d.kind === "version") return (view.locations ?? []).map(rowAt);
  if (d.location === null) {
    const row = { sku: view.object, name: view.name, ...view.levels, lastSeq: view.headSeq, updatedAtMs: view.readAtMs };
    return [upsertInventory(db, row, "repair")];
  }
  const truth = view.locations?.find((l) => l.location === d.location);
  if (truth) return [rowAt(truth)];
  return [
    db
      .delete(inventoryLocations)
      .where(
        and(
          eq(inventoryLocations.sku, view.object),
          eq(inventoryLocations.location, d.location),
          lte(inventoryLocations.lastSeq, view.headSeq),
        ),
      ),
  ];
}
