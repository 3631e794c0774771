import { sql } from "drizzle-orm";
import { customerHolds, type CustomerHoldRow } from "../db/schema";
import { columnsOf, Shaped } from "../db/shaped";
import { fromExcluded } from "../db/upsert";
import type { Hold, HoldStatus } from "../domain/types";

/** How far along its life a hold is; the index only moves a row to a later stage. */
export const HOLD_STAGE: Record<HoldStatus, number> = { held: 0, checkout: 1, released: 2, expired: 2, committed: 2, returned: 3 };

/**
 * The hold states a batch of shipped events leaves, one per hold: the last
 * `hold.*` event of each wins (events are in the object's order). `body`
 * is each event's data, parsed.
 */
export function holdStatesIn(events: ReadonlyArray<{ type: string; atMs: number; body: unknown }>): CustomerHoldRow[] {
  const latest = new Map<string, CustomerHoldRow>();
  for (const e of events) {
    if (!e.type.startsWith("hold.")) continue;
    const hold = (e.body as { hold?: Hold } | null)?.hold;
    if (!hold || typeof hold.holdId !== "string" || !(hold.status in HOLD_STAGE)) continue;
    latest.set(hold.holdId, {
      holdId: hold.holdId,
      customerId: hold.customerId,
      sku: hold.sku,
      quantity: hold.quantity,
      status: hold.status,
      stage: HOLD_STAGE[hold.status],
      unitAmount: hold.unitPrice.amount,
      currency: hold.unitPrice.currency,
      saleId: hold.saleId,
      orderId: hold.orderId ?? null,
      createdAtMs: Date.parse(hold.createdAt),
      expiresAtMs: Date.parse(hold.expiresAt),
      updatedAtMs: e.atMs,
    });
  }
  return [...latest.values()];
}

/**
 * Upserts for the per-customer hold index, to ride in the shipper's D1 batch
 * (SQL built once per size, src/db/shaped.ts). A row moves forward only: a
 * re-sent older batch never undoes a later stage, and within a stage (a
 * quantity changed) the later update wins.
 */
export function customerHoldStatements(d1: D1Database, rows: readonly CustomerHoldRow[]): D1PreparedStatement[] {
  return holdIndex.statements(d1, rows);
}

const holdIndex = new Shaped<CustomerHoldRow>(columnsOf(customerHolds), (db, rows) =>
  db
    .insert(customerHolds)
    .values(rows)
    .onConflictDoUpdate({
      target: customerHolds.holdId,
      set: fromExcluded(customerHolds, ["quantity", "status", "stage", "orderId", "expiresAtMs", "updatedAtMs"]),
      // A held hold's quantity changes in place (spec §3): the later state of the same stage wins too.
      setWhere: sql`excluded.stage > ${customerHolds.stage} OR (excluded.stage = ${customerHolds.stage} AND excluded.updated_at_ms >= ${customerHolds.updatedAtMs})`,
    }),
);
