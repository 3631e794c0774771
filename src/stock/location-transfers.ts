import { accept, refuse, type Outcome, type Refusal } from "../domain/problems";
import type { MerchantActor } from "../domain/roles";
import type { IdempotencyKey, Replayable } from "../idempotency/rule";
import type { LocationRow } from "./locations";
import { levelsAfter, staleVersion } from "./stocking";
import type { SkuTables } from "./tables";
import { inScope, scopeRefusal, type LocationScope } from "./location-scope";
import {
  type LocationTransfer,
  planCancel,
  planCreate,
  planReceive,
  type TransferQuery,
  type TransferStep,
} from "./location-transfer-plan";
import {
  checkInTransit,
  countsOf,
  insertTransfer,
  openTransferCount,
  transferPage,
  transferRow,
  type TransferRow,
  viewOf,
  writeCounts,
} from "./location-transfer-rows";
import { newLocationTransferId } from "./addressing";

export type { LocationTransfer, TransferQuery } from "./location-transfer-plan";

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
      if (openTransferCount(this.tables) >= OPEN_TRANSFERS_MAX) {
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
      insertTransfer(this.tables, row, now_ms);
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
    const row = transferRow(this.tables, transferId);
    if (!row) return null;
    if (!inScope(scope, row.from_location) && !inScope(scope, row.to_location)) return scopeRefusal(scope, row.from_location);
    return viewOf(row, this.tables.requireSku().sku, this.version());
  }

  /** Newest first, by creation, at most `rows` (bounded by TRANSFER_PAGE_MAX). */
  list(query: TransferQuery, scope: LocationScope = null): LocationTransfer[] {
    const sku = this.tables.sku();
    if (!sku) return [];
    const rows = transferPage(this.tables, query, scope);
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
      const row = transferRow(this.tables, transferId);
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
    writeCounts(this.tables, next, now_ms);
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
    for (const side of sides) checkInTransit(this.tables, side);
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

  private moveAt(location: string, assignments: string, ...params: number[]): void {
    const changed = this.tables.sql.exec(`UPDATE locations SET ${assignments} WHERE location_id = ?`, ...params, location).rowsWritten;
    if (changed === 0) throw new Error(`location ${location} vanished inside a transfer step`);
  }

  private location(id: string): LocationRow | null {
    return this.tables.locations.located() ? this.tables.locations.row(id) : null;
  }

  private version(): number {
    return this.tables.requireSku().version;
  }
}
