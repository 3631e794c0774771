import { InvariantViolation } from "./invariants";
import { iso } from "./offer";
import type { LocationRow } from "./locations";
import type { SkuTables } from "./tables";
import { scopeJson, type LocationScope } from "./location-scope";
import {
  inTransitOf,
  type LocationTransfer,
  type LocationTransferStatus,
  type TransferCounts,
  type TransferQuery,
} from "./location-transfer-plan";

/**
 * The rows of the SKU object's location transfers (schema step 16): reads,
 * writes and the transfers' own invariants. The steps that decide what to
 * write are ./location-transfers.ts.
 */

/** A page of transfers, at most. */
export const TRANSFER_PAGE_MAX = 201;

export type TransferRow = {
  transfer_id: string;
  from_location: string;
  to_location: string;
  quantity: number;
  received: number;
  cancelled: number;
  status: LocationTransferStatus;
  reference: string | null;
  created_at_ms: number;
  updated_at_ms: number;
};
const TRANSFER_COLUMNS =
  "transfer_id, from_location, to_location, quantity, received, cancelled, status, reference, created_at_ms, updated_at_ms";

/** Inserts a new transfer, in transit. */
export function insertTransfer(tables: SkuTables, row: TransferRow, now_ms: number): void {
  tables.sql.exec(
    `INSERT INTO location_transfers (${TRANSFER_COLUMNS}) VALUES (?, ?, ?, ?, 0, 0, 'in_transit', ?, ?, ?)`,
    row.transfer_id,
    row.from_location,
    row.to_location,
    row.quantity,
    row.reference,
    now_ms,
    now_ms,
  );
}

/** Writes a step's counts and status. */
export function writeCounts(tables: SkuTables, next: TransferRow, now_ms: number): void {
  tables.sql.exec(
    "UPDATE location_transfers SET received = ?, cancelled = ?, status = ?, updated_at_ms = ? WHERE transfer_id = ?",
    next.received,
    next.cancelled,
    next.status,
    now_ms,
    next.transfer_id,
  );
}

export function transferRow(tables: SkuTables, transferId: string): TransferRow | null {
  return (
    tables.sql.exec<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM location_transfers WHERE transfer_id = ?`, transferId).toArray()[0] ??
    null
  );
}

export function openTransferCount(tables: SkuTables): number {
  return tables.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM location_transfers WHERE status = 'in_transit'").one().n;
}

/** Newest first, by creation, at most `rows` (bounded by TRANSFER_PAGE_MAX); a scoped key's touch one of its locations. */
export function transferPage(tables: SkuTables, query: TransferQuery, scope: LocationScope): TransferRow[] {
  const after = query.after ?? { createdAtMs: Number.MAX_SAFE_INTEGER, transferId: "" };
  return tables.sql
    .exec<TransferRow>(
      `SELECT ${TRANSFER_COLUMNS} FROM location_transfers
       WHERE (created_at_ms < ? OR (created_at_ms = ? AND transfer_id < ?)) AND (? IS NULL OR status = ?)
         AND (? IS NULL OR from_location IN (SELECT value FROM json_each(?)) OR to_location IN (SELECT value FROM json_each(?)))
       ORDER BY created_at_ms DESC, transfer_id DESC LIMIT ?`,
      after.createdAtMs,
      after.createdAtMs,
      query.after ? after.transferId : "~",
      query.status ?? null,
      query.status ?? null,
      scopeJson(scope),
      scopeJson(scope),
      scopeJson(scope),
      Math.min(query.rows, TRANSFER_PAGE_MAX),
    )
    .toArray();
}

/** Invariant of transfers: a location's `in_transit` is what its open transfers still carry. */
export function checkInTransit(tables: SkuTables, loc: LocationRow): void {
  const open = tables.sql
    .exec<{ units: number }>(
      "SELECT COALESCE(SUM(quantity - received - cancelled), 0) AS units FROM location_transfers WHERE status = 'in_transit' AND from_location = ?",
      loc.location_id,
    )
    .one().units;
  if (open !== loc.in_transit) {
    throw new InvariantViolation("in_transit_equals_open_transfers", { location: loc.location_id, inTransit: loc.in_transit, open });
  }
}

export function countsOf(row: TransferRow): TransferCounts {
  return { quantity: row.quantity, received: row.received, cancelled: row.cancelled, status: row.status };
}

export function viewOf(row: TransferRow, sku: string, version: number): LocationTransfer {
  return {
    transferId: row.transfer_id,
    sku,
    from: row.from_location,
    to: row.to_location,
    quantity: row.quantity,
    received: row.received,
    cancelled: row.cancelled,
    inTransit: inTransitOf(countsOf(row)),
    status: row.status,
    reference: row.reference,
    version,
    createdAt: iso(row.created_at_ms),
    updatedAt: iso(row.updated_at_ms),
  };
}

/**
 * The transfers' books recomputed from their rows, for the full audit
 * (./ledger-audit.ts), O(transfers): each location's `in_transit` is what
 * its open transfers still carry, `transferred_out` what it sent and kept
 * sent, `transferred_in` what arrived. Transfers are never deleted, so the
 * sums stay exact.
 */
export function auditLocationTransfers(tables: SkuTables): string[] {
  const rows = tables.sql
    .exec<{
      location_id: string;
      in_transit: number;
      transferred_in: number;
      transferred_out: number;
      open: number;
      sent: number;
      arrived: number;
    }>(
      `SELECT l.location_id, l.in_transit, l.transferred_in, l.transferred_out,
         COALESCE((SELECT SUM(quantity - received - cancelled) FROM location_transfers t
           WHERE t.from_location = l.location_id AND t.status = 'in_transit'), 0) AS open,
         COALESCE((SELECT SUM(quantity - cancelled) FROM location_transfers t WHERE t.from_location = l.location_id), 0) AS sent,
         COALESCE((SELECT SUM(received) FROM location_transfers t WHERE t.to_location = l.location_id), 0) AS arrived
       FROM locations l`,
    )
    .toArray();
  const problems: string[] = [];
  for (const r of rows) {
    if (r.in_transit !== r.open) problems.push(`location ${r.location_id}: in_transit ${r.in_transit} != open transfers ${r.open}`);
    if (r.transferred_out !== r.sent) problems.push(`location ${r.location_id}: transferred_out ${r.transferred_out} != sent ${r.sent}`);
    if (r.transferred_in !== r.arrived)
      problems.push(`location ${r.location_id}: transferred_in ${r.transferred_in} != received ${r.arrived}`);
  }
  return problems;
}
