import { InvariantViolation } from "../invariants";
import { levelsOf } from "../rows";
import type { SkuTables } from "../tables";

/**
 * Two-phase transfers of units between a SKU's objects (spec §8):
 * the sender debits its on-hand units and records the transfer `pending`;
 * the receiver credits it once (the transfer id is its idempotency record);
 * the sender then marks it `posted`. Until posted, the sender's alarm keeps
 * re-delivering it, so a crash of either side strands nothing. Each step is
 * one transaction with its audit event, so both streams record every move.
 * Run inside the ledger's transaction (SkuTables.tx).
 */
/** A sent transfer not posted after this long is delivered again by the sender's alarm. */
export const REDELIVER_AFTER_MS = 2_000;

export interface Transfer {
  transferId: string;
  peer: number;
  units: number;
}

/** Debits up to `units` available units toward `peer`; null when none are available. */
export function sendUnits(tables: SkuTables, peer: number, units: number, now_ms: number): Transfer | null {
  const sku = tables.requireSku();
  const n = Math.min(units, sku.on_hand - sku.reserved);
  if (n <= 0) return null;
  const transferId = `xfr_${crypto.randomUUID().replaceAll("-", "")}`;
  tables.sql.exec(
    "INSERT INTO transfers (transfer_id, direction, peer, units, status, created_at_ms) VALUES (?, 'out', ?, ?, 'pending', ?)",
    transferId,
    peer,
    n,
    now_ms,
  );
  const after = tables.changeLevels("on_hand = on_hand - ?, moved_out = moved_out + ?, updated_at_ms = ?", n, n, now_ms);
  tables.emit("transfer.sent", now_ms, { transferId, peer, units: n, levels: levelsOf(after) });
  return { transferId, peer, units: n };
}

/** Credits a transfer once; a transfer already credited is a no-op. True when it was credited now. */
export function receiveUnits(tables: SkuTables, t: Transfer, now_ms: number): boolean {
  const known = tables.sql
    .exec<{ direction: string; units: number }>("SELECT direction, units FROM transfers WHERE transfer_id = ?", t.transferId)
    .toArray()[0];
  if (known) {
    if (known.direction !== "in" || known.units !== t.units) {
      throw new InvariantViolation("transfer_identity", { transferId: t.transferId, units: t.units, known: known.units });
    }
    return false;
  }
  tables.sql.exec(
    "INSERT INTO transfers (transfer_id, direction, peer, units, status, created_at_ms, posted_at_ms) VALUES (?, 'in', ?, ?, 'posted', ?, ?)",
    t.transferId,
    t.peer,
    t.units,
    now_ms,
    now_ms,
  );
  const after = tables.changeLevels("on_hand = on_hand + ?, moved_in = moved_in + ?, updated_at_ms = ?", t.units, t.units, now_ms);
  tables.emit("transfer.received", now_ms, { ...t, levels: levelsOf(after) });
  return true;
}

/** Marks a sent transfer as received by its peer; posting twice is a no-op. */
export function postTransfer(tables: SkuTables, transferId: string, now_ms: number): void {
  const changed = tables.sql.exec(
    "UPDATE transfers SET status = 'posted', posted_at_ms = ? WHERE transfer_id = ? AND direction = 'out' AND status = 'pending'",
    now_ms,
    transferId,
  ).rowsWritten;
  if (changed > 0) tables.emit("transfer.posted", now_ms, { transferId });
}

/** Sent transfers not yet posted, oldest first, at most `max`. */
export function pendingTransfers(tables: SkuTables, before_ms: number, max: number): Transfer[] {
  return tables.sql
    .exec<{ transfer_id: string; peer: number; units: number }>(
      "SELECT transfer_id, peer, units FROM transfers WHERE status = 'pending' AND created_at_ms <= ? ORDER BY created_at_ms LIMIT ?",
      before_ms,
      max,
    )
    .toArray()
    .map((r) => ({ transferId: r.transfer_id, peer: r.peer, units: r.units }));
}

export function earliestPendingTransferMs(tables: SkuTables): number | null {
  return tables.sql.exec<{ at: number | null }>("SELECT MIN(created_at_ms) AS at FROM transfers WHERE status = 'pending'").one().at;
}
