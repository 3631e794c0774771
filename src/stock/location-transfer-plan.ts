import { z } from "@hono/zod-openapi";
import { LocationId } from "../domain/locations";
import { accept, refuse, type Outcome } from "../domain/problems";

/**
 * Location transfers (spec §11): units moved between two locations of one
 * SKU, inside the SKU's own object. Not the escrow's "transfers" between a
 * SKU's objects (./shards/transfers.ts, spec §8). Two phases: creation takes
 * the units off `from`'s hand into its `inTransit`; receipts (partial ones
 * allowed) put them on hand at `to`; a cancel gives what was not received back
 * to `from`. This file decides each step from the transfer as stored, with
 * no I/O, so the rules are tested on their own; ./location-transfers.ts
 * applies the decision in the step's transaction.
 */

export const LocationTransferStatus = z.enum(["in_transit", "received", "cancelled"]);
export type LocationTransferStatus = z.infer<typeof LocationTransferStatus>;

/** A transfer as the API shows it (the route's response schema). */
export const LocationTransfer = z
  .object({
    transferId: z.string(),
    sku: z.string(),
    from: LocationId,
    to: LocationId,
    quantity: z.number().int().openapi({ description: "Units sent." }),
    received: z.number().int().openapi({ description: "Units received at `to` so far." }),
    cancelled: z.number().int().openapi({ description: "Units a cancel returned to `from`." }),
    inTransit: z.number().int().openapi({ description: "`quantity - received - cancelled`." }),
    status: LocationTransferStatus,
    reference: z.string().nullable(),
    version: z.number().int().openapi({ description: "The SKU's `version` after this step (a read: the SKU's version now)." }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("LocationTransfer");
export type LocationTransfer = z.infer<typeof LocationTransfer>;

export type TransferQuery = {
  status?: LocationTransferStatus | undefined;
  /** The last transfer of the previous page. */
  after: { createdAtMs: number; transferId: string } | null;
  rows: number;
};

/** A transfer's counts as stored: `quantity` sent, of which `received` arrived and `cancelled` went back. */
export interface TransferCounts {
  quantity: number;
  received: number;
  cancelled: number;
  status: LocationTransferStatus;
}

/** What one step moves, and the transfer's counts after it. */
export interface TransferStep {
  /** Units this step moves: off `from` into transit (create), transit to `to` (receive), transit back to `from` (cancel). */
  units: number;
  next: TransferCounts;
}

/** Units sent and neither received nor cancelled. */
export function inTransitOf(t: TransferCounts): number {
  return t.quantity - t.received - t.cancelled;
}

/** A transfer leaves `from` with units nobody holds: reserved units stay for their holds, safety stock may move. */
export function planCreate(quantity: number, from: { onHand: number; reserved: number }): Outcome<TransferStep> {
  const movable = from.onHand - from.reserved;
  if (quantity > movable) {
    return refuse("insufficient_stock", `Only ${Math.max(0, movable)} units at the source are not held.`, {
      available: Math.max(0, movable),
    });
  }
  return accept({ units: quantity, next: { quantity, received: 0, cancelled: 0, status: "in_transit" } });
}

/**
 * A receipt of `quantity` units (all that is in transit when omitted). More
 * than is in transit, or any receipt of a transfer that has ended, is
 * `invalid_transfer_state`: a receipt counted twice would create stock.
 */
export function planReceive(t: TransferCounts, quantity: number | undefined): Outcome<TransferStep> {
  const open = inTransitOf(t);
  if (t.status !== "in_transit" || open <= 0) {
    return refuse("invalid_transfer_state", `The transfer is ${t.status}: nothing is in transit to receive.`, { transferStatus: t.status });
  }
  const units = quantity ?? open;
  if (units > open) {
    return refuse("invalid_transfer_state", `Only ${open} units are in transit; ${units} cannot be received.`, {
      transferStatus: t.status,
      inTransit: open,
    });
  }
  const received = t.received + units;
  return accept({ units, next: { ...t, received, status: received + t.cancelled === t.quantity ? "received" : "in_transit" } });
}

/**
 * A cancel gives the units still in transit back to `from`; what was received
 * stays received. Cancelling a cancelled transfer moves nothing (`units` 0:
 * the caller answers it as it is); a fully received one cannot be cancelled.
 */
export function planCancel(t: TransferCounts): Outcome<TransferStep> {
  if (t.status === "cancelled") return accept({ units: 0, next: t });
  if (t.status === "received") {
    return refuse("invalid_transfer_state", "The transfer was received in full; there is nothing to cancel.", { transferStatus: t.status });
  }
  const units = inTransitOf(t);
  return accept({ units, next: { ...t, cancelled: t.cancelled + units, status: "cancelled" } });
}
