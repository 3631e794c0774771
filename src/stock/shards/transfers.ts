import { DEFAULT_LOCATION, LocationProfile } from "../../domain/locations";
import { InvariantViolation } from "../invariants";
import { availableAt } from "../locations";
import { levelsAfter } from "../stocking";
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
  /** The location whose units move (spec §11); absent on an unlocated SKU, whose units are `default`'s. */
  location?: string;
  /** The sender's copy of that location's profile, so a receiver that does not stock it yet can (null: `default`). */
  profile?: LocationProfile | null;
}

/**
 * Debits up to `units` available units toward `peer`, of `location` on a
 * located SKU (never its safety stock); null when none are available.
 */
export function sendUnits(tables: SkuTables, peer: number, units: number, now_ms: number, location: string | null = null): Transfer | null {
  const sku = tables.requireSku();
  const row = location === null ? null : tables.locations.row(location);
  if (location !== null && !row) return null;
  const n = Math.min(units, row ? availableAt(row) : sku.on_hand - sku.reserved);
  if (n <= 0) return null;
  const transferId = `xfr_${crypto.randomUUID().replaceAll("-", "")}`;
  tables.sql.exec(
    "INSERT INTO transfers (transfer_id, direction, peer, units, status, created_at_ms, location) VALUES (?, 'out', ?, ?, 'pending', ?, ?)",
    transferId,
    peer,
    n,
    now_ms,
    location,
  );
  if (location !== null) tables.locations.moveEscrow(location, -n);
  const after = tables.changeLevels("on_hand = on_hand - ?, moved_out = moved_out + ?, updated_at_ms = ?", n, n, now_ms);
  const at = location === null ? {} : { location };
  tables.emit("transfer.sent", now_ms, {
    transferId,
    peer,
    units: n,
    ...at,
    levels: levelsAfter(tables, after, location ? [location] : []),
  });
  return { transferId, peer, units: n, ...at, ...(row && { profile: profileCopy(row.profile) }) };
}

function profileCopy(json: string | null): LocationProfile | null {
  return json === null ? null : LocationProfile.parse(JSON.parse(json));
}

/**
 * Where a transfer's units land here: its location, stocked if new (an
 * object that was unlocated becomes located first, its stock `default`'s);
 * an unlocated transfer into a located object is `default`'s. Null: neither side is located.
 */
function landing(tables: SkuTables, t: Transfer): string | null {
  const stock = tables.locations;
  if (t.location === undefined) return stock.located() ? DEFAULT_LOCATION : null;
  if (!stock.located()) stock.locate(tables.requireSku());
  if (!stock.row(t.location)) stock.add(t.location, t.profile ?? null);
  else if (t.profile) stock.setProfile(t.profile);
  return t.location;
}

/** Credits a transfer once; a transfer already credited is a no-op. True when it was credited now. */
export function receiveUnits(tables: SkuTables, t: Transfer, now_ms: number): boolean {
  const known = tables.sql
    .exec<{ direction: string; units: number; location: string | null }>(
      "SELECT direction, units, location FROM transfers WHERE transfer_id = ?",
      t.transferId,
    )
    .toArray()[0];
  if (known) {
    if (known.direction !== "in" || known.units !== t.units || known.location !== (t.location ?? null)) {
      throw new InvariantViolation("transfer_identity", { transferId: t.transferId, units: t.units, known: known.units });
    }
    return false;
  }
  tables.sql.exec(
    "INSERT INTO transfers (transfer_id, direction, peer, units, status, created_at_ms, posted_at_ms, location) VALUES (?, 'in', ?, ?, 'posted', ?, ?, ?)",
    t.transferId,
    t.peer,
    t.units,
    now_ms,
    now_ms,
    t.location ?? null,
  );
  const at = landing(tables, t);
  if (at !== null) tables.locations.moveEscrow(at, t.units);
  const after = tables.changeLevels("on_hand = on_hand + ?, moved_in = moved_in + ?, updated_at_ms = ?", t.units, t.units, now_ms);
  const { profile: _, ...event } = t;
  tables.emit("transfer.received", now_ms, { ...event, levels: levelsAfter(tables, after, at === null ? [] : [at]) });
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
    .exec<{ transfer_id: string; peer: number; units: number; location: string | null }>(
      "SELECT transfer_id, peer, units, location FROM transfers WHERE status = 'pending' AND created_at_ms <= ? ORDER BY created_at_ms LIMIT ?",
      before_ms,
      max,
    )
    .toArray()
    .map((r) => ({
      transferId: r.transfer_id,
      peer: r.peer,
      units: r.units,
      ...(r.location !== null && { location: r.location, profile: profileCopy(tables.locations.row(r.location)?.profile ?? null) }),
    }));
}

export function earliestPendingTransferMs(tables: SkuTables): number | null {
  return tables.sql.exec<{ at: number | null }>("SELECT MIN(created_at_ms) AS at FROM transfers WHERE status = 'pending'").one().at;
}
