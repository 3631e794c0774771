/**
 * spec §2 invariants, checked inside the mutating transaction after the
 * change. Throwing rolls the transaction back, so a violation is never half
 * applied; the object counts and logs it outside the transaction.
 */
export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    readonly facts: Record<string, number | string>,
  ) {
    super(`invariant ${invariant} violated: ${JSON.stringify(facts)}`);
    this.name = "InvariantViolation";
  }
}

export interface StockRow {
  on_hand: number;
  reserved: number;
  sold: number;
  received: number;
  /** Units this object took from, or gave to, its SKU's other objects (stock shards, spec §8). */
  moved_in: number;
  moved_out: number;
  /** Units sent between the SKU's locations, not yet received (spec §11); 0 on an unlocated SKU. */
  in_transit: number;
}

/** Invariants 1-3. `liveUnits` is the trigger-kept sum of live hold quantities. */
export function checkStockInvariants(stock: StockRow, liveUnits: number): void {
  const { on_hand, reserved, sold, received, moved_in, moved_out, in_transit } = stock;
  if (!(reserved >= 0 && reserved <= on_hand)) {
    throw new InvariantViolation("reserved_within_on_hand", { on_hand, reserved });
  }
  // Unsharded, moved_in = moved_out = 0 and this is spec §2's received == onHand + sold (+ inTransit, spec §11).
  if (received + moved_in - moved_out !== on_hand + sold + in_transit) {
    throw new InvariantViolation("conservation", { received, moved_in, moved_out, on_hand, sold, in_transit });
  }
  if (in_transit < 0) throw new InvariantViolation("in_transit_non_negative", { in_transit });
  if (reserved !== liveUnits) {
    throw new InvariantViolation("reserved_equals_live_holds", { reserved, liveUnits });
  }
  if (sold < 0) throw new InvariantViolation("sold_non_negative", { sold });
}

/** Invariant 4, for the customer whose usage the mutation raised. */
export function checkCustomerLimit(customerId: string, held: number, bought: number, limit: number): void {
  if (held < 0 || bought < 0 || held + bought > limit) {
    throw new InvariantViolation("per_customer_limit", { customerId, held, bought, limit });
  }
}
