import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import type { MerchantActor } from "../domain/roles";
import type { IdempotencyKey, Replayable } from "../idempotency/rule";
import { InvariantViolation } from "./invariants";
import { iso } from "./offer";
import type { LocationRow } from "./locations";
import { levelsAfter, staleVersion } from "./stocking";
import type { SkuTables } from "./tables";
import { inScope, scopeJson, scopeRefusal, type LocationScope } from "./location-scope";
import {
  inTransitOf,
  type LocationTransfer,
  type LocationTransferStatus,
  planCancel,
  planCreate,
  planReceive,
  type TransferCounts,
  type TransferQuery,
  type TransferStep,
} from "./location-transfer-plan";

export type { LocationTransfer, TransferQuery } from "./location-transfer-plan";
import { newLocationTransferId } from "./addressing";

/**
 * Location transfers in the SKU's object (spec §11; decisions in
 * ./location-transfer-plan.ts). Each step is one transaction of the ledger:
 * the version check, the transfer row, both locations' levels, the SKU's
 * totals, the invariants (the located SKU's, and the transfers' own: a
 * location's `in_transit` is what its open transfers have not delivered),
 * the stored reply under the key and the audit event, or none of it.
 */

/** Open transfers one SKU may have: each located transaction sums a location's. */
export const OPEN_TRANSFERS_MAX = 1_000;
/** A page of transfers, at most. */
export const TRANSFER_PAGE_MAX = 201;

export interface LocationTransferInput {
  from: string;
  to: string;
  quantity: number;
  reference?: string | undefined;
  actor?: MerchantActor | undefined;
}

/** What a step asks besides its own body: the caller's `If-Match` and who it is, for the audit. */
export interface StepContext {
  ifMatch: number | null;
  actor?: MerchantActor | undefined;
  /** The calling key's locations (spec §12): creating and cancelling need `from` in it, receiving `to`. */
  scope?: LocationScope | undefined;
}

type TransferRow = {
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

/** Runs a step under its key: the ledger's one idempotent transaction (SkuLedger.idempotentTx). */
export type Keyed = <T>(idem: IdempotencyKey | null, now_ms: number, fn: () => Outcome<T>) => Replayable<T>;

export class LocationTransfers {
  constructor(
    private readonly tables: SkuTables,
    private readonly keyed: Keyed,
  ) {}

  create(input: LocationTransferInput, ctx: StepContext, idem: IdempotencyKey | null, now_ms: number): Replayable<LocationTransfer> {
    const outside = scopeRefusal(ctx.scope ?? null, input.from);
    if (outside) return outside;
    return this.keyed(idem, now_ms, () => {
      const refused = this.refusal(ctx.ifMatch);
      if (refused) return refused;
      const from = this.location(input.from);
      const to = this.location(input.to);
      if (!from || !to) return refuse("not_found", `The SKU does not stock location "${from ? input.to : input.from}".`);
      if (this.openCount() >= OPEN_TRANSFERS_MAX) {
        return refuse("invalid_transfer_state", `The SKU has ${OPEN_TRANSFERS_MAX} transfers in transit; receive or cancel some first.`);
      }
      const plan = planCreate(input.quantity, { onHand: from.on_hand, reserved: from.reserved });
      if (!plan.ok) return plan;
      const row: TransferRow = {
        transfer_id: newLocationTransferId(this.tables.requireSku().sku),
        from_location: input.from,
        to_location: input.to,
        quantity: input.quantity,
        received: 0,
        cancelled: 0,
        status: "in_transit",
        reference: input.reference ?? null,
        created_at_ms: now_ms,
        updated_at_ms: now_ms,
      };
      this.tables.sql.exec(
        `INSERT INTO location_transfers (${TRANSFER_COLUMNS}) VALUES (?, ?, ?, ?, 0, 0, 'in_transit', ?, ?, ?)`,
        row.transfer_id,
        row.from_location,
        row.to_location,
        row.quantity,
        row.reference,
        now_ms,
        now_ms,
      );
      const n = plan.value.units;
      this.moveAt(row.from_location, "on_hand = on_hand - ?, transferred_out = transferred_out + ?, in_transit = in_transit + ?", n, n, n);
      return accept(this.finish("transfer.created", row, plan.value, { on_hand: -n, in_transit: n }, now_ms, ctx.actor, {}));
    });
  }

  receive(transferId: string, quantity: number | undefined, ctx: StepContext, idem: IdempotencyKey | null, now_ms: number) {
    return this.step(transferId, "to_location", ctx, idem, now_ms, (row) => {
      const plan = planReceive(countsOf(row), quantity);
      if (!plan.ok) return plan;
      const n = plan.value.units;
      this.moveAt(row.from_location, "in_transit = in_transit - ?", n);
      this.moveAt(row.to_location, "on_hand = on_hand + ?, transferred_in = transferred_in + ?", n, n);
      return accept(this.finish("transfer.received", row, plan.value, { on_hand: n, in_transit: -n }, now_ms, ctx.actor, { units: n }));
    });
  }

  cancel(transferId: string, ctx: StepContext, idem: IdempotencyKey | null, now_ms: number) {
    return this.step(transferId, "from_location", ctx, idem, now_ms, (row) => {
      const plan = planCancel(countsOf(row));
      if (!plan.ok) return plan;
      const n = plan.value.units;
      // Cancelling a cancelled transfer moves nothing and changes no version: it answers the transfer as it is.
      if (n === 0) return accept(viewOf(row, this.tables.requireSku().sku, this.version()));
      this.moveAt(row.from_location, "in_transit = in_transit - ?, on_hand = on_hand + ?, transferred_out = transferred_out - ?", n, n, n);
      return accept(this.finish("transfer.cancelled", row, plan.value, { on_hand: n, in_transit: -n }, now_ms, ctx.actor, { returned: n }));
    });
  }

  /** A scoped key reads a transfer touching one of its locations, at either end. */
  get(transferId: string, scope: LocationScope = null): LocationTransfer | Refusal | null {
    const row = this.row(transferId);
    if (!row) return null;
    if (!inScope(scope, row.from_location) && !inScope(scope, row.to_location)) return scopeRefusal(scope, row.from_location);
    return viewOf(row, this.tables.requireSku().sku, this.version());
  }

  /** Newest first, by creation, at most `rows` (bounded by TRANSFER_PAGE_MAX). */
  list(query: TransferQuery, scope: LocationScope = null): LocationTransfer[] {
    const sku = this.tables.sku();
    if (!sku) return [];
    const after = query.after ?? { createdAtMs: Number.MAX_SAFE_INTEGER, transferId: "" };
    const rows = this.tables.sql
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
    const version = this.version();
    return rows.map((r) => viewOf(r, sku.sku, version));
  }

  /** A step on an existing transfer, under its key and the caller's If-Match. */
  private step(
    transferId: string,
    /** The end whose key may take this step. */
    end: "from_location" | "to_location",
    ctx: StepContext,
    idem: IdempotencyKey | null,
    now_ms: number,
    fn: (row: TransferRow) => Outcome<LocationTransfer>,
  ): Replayable<LocationTransfer> {
    return this.keyed(idem, now_ms, () => {
      const row = this.row(transferId);
      if (!row) return refuse("not_found", "No such transfer.");
      return scopeRefusal(ctx.scope ?? null, row[end]) ?? this.refusal(ctx.ifMatch) ?? fn(row);
    });
  }

  /** A SKU nobody created, or a stale If-Match. */
  private refusal(ifMatch: number | null): Outcome<never> | null {
    const sku = this.tables.sku();
    return sku ? staleVersion(sku, ifMatch) : refuse("not_found", "No such SKU.");
  }

  /**
   * Writes the transfer's new counts and the SKU's totals (what the step
   * moved at its locations, with the version), checks every
   * invariant, and appends the step's event naming both locations.
   */
  private finish(
    type: string,
    row: TransferRow,
    step: TransferStep,
    /** What the step changes in the SKU's totals: the invariants check them against the locations' sums. */
    totals: { on_hand: number; in_transit: number },
    now_ms: number,
    actor: MerchantActor | undefined,
    extra: Record<string, number>,
  ): LocationTransfer {
    const next: TransferRow = { ...row, ...step.next, updated_at_ms: now_ms };
    this.tables.sql.exec(
      "UPDATE location_transfers SET received = ?, cancelled = ?, status = ?, updated_at_ms = ? WHERE transfer_id = ?",
      next.received,
      next.cancelled,
      next.status,
      now_ms,
      row.transfer_id,
    );
    const after = this.tables.changeLevels(
      "on_hand = on_hand + ?, in_transit = in_transit + ?, version = version + 1, updated_at_ms = ?",
      totals.on_hand,
      totals.in_transit,
      now_ms,
    );
    // changeLevels checked the located invariants (the sums, each location's conservation); the transfers' own follow.
    const sides = (this.tables.locationsAfterCheck() ?? []).filter(
      (l) => l.location_id === row.from_location || l.location_id === row.to_location,
    );
    for (const side of sides) this.checkInTransit(side);
    const version = after.version;
    const view = viewOf(next, after.sku, version);
    this.tables.emit(type, now_ms, {
      transferId: row.transfer_id,
      from: row.from_location,
      to: row.to_location,
      quantity: row.quantity,
      received: next.received,
      ...extra,
      status: next.status,
      ...(row.reference !== null && { reference: row.reference }),
      levels: levelsAfter(this.tables, after, [row.from_location, row.to_location]),
      ...(actor && { actor }),
    });
    return view;
  }

  /** Invariant of transfers: a location's `in_transit` is what its open transfers still carry. */
  private checkInTransit(loc: LocationRow): void {
    const open = this.tables.sql
      .exec<{ units: number }>(
        "SELECT COALESCE(SUM(quantity - received - cancelled), 0) AS units FROM location_transfers WHERE status = 'in_transit' AND from_location = ?",
        loc.location_id,
      )
      .one().units;
    if (open !== loc.in_transit) {
      throw new InvariantViolation("in_transit_equals_open_transfers", { location: loc.location_id, inTransit: loc.in_transit, open });
    }
  }

  private moveAt(location: string, assignments: string, ...params: number[]): void {
    const changed = this.tables.sql.exec(`UPDATE locations SET ${assignments} WHERE location_id = ?`, ...params, location).rowsWritten;
    if (changed === 0) throw new Error(`location ${location} vanished inside a transfer step`);
  }

  private location(id: string): LocationRow | null {
    return this.tables.locations.located() ? this.tables.locations.row(id) : null;
  }

  private row(transferId: string): TransferRow | null {
    return (
      this.tables.sql
        .exec<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM location_transfers WHERE transfer_id = ?`, transferId)
        .toArray()[0] ?? null
    );
  }

  private openCount(): number {
    return this.tables.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM location_transfers WHERE status = 'in_transit'").one().n;
  }

  private version(): number {
    return this.tables.requireSku().version;
  }
}

function countsOf(row: TransferRow): TransferCounts {
  return { quantity: row.quantity, received: row.received, cancelled: row.cancelled, status: row.status };
}

function viewOf(row: TransferRow, sku: string, version: number): LocationTransfer {
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
