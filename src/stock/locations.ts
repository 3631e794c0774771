import { DEFAULT_LOCATION, LocationProfile, MAX_LOCATIONS_PER_SKU, type Allocation, type LocationLevels } from "../domain/locations";
import { InvariantViolation } from "./invariants";
import type { SkuRow } from "./rows";

/** One row of the object's `locations` table (schema step 15). */
export type LocationRow = {
  location_id: string;
  on_hand: number;
  reserved: number;
  sold: number;
  received: number;
  transferred_in: number;
  transferred_out: number;
  in_transit: number;
  safety_stock: number;
  profile: string | null;
  profile_revision: number;
  /** Units the escrow moved in from, or out to, the SKU's other objects (stock shards, schema step 17). */
  moved_in: number;
  moved_out: number;
};

/** Units a change moves at one location; absent fields stay. */
export type LocationDelta = Partial<Record<"on_hand" | "reserved" | "sold" | "received", number>>;

const COLUMNS = `location_id, on_hand, reserved, sold, received, transferred_in, transferred_out, in_transit,
  safety_stock, profile, profile_revision, moved_in, moved_out`;

/**
 * `default` has no registry entry (docs: locations contract): it ships online
 * at priority 0, has no coordinates (last under `nearest`) and is never a
 * pickup point.
 */
const DEFAULT_PROFILE: LocationProfile = {
  locationId: DEFAULT_LOCATION,
  name: "default",
  country: "ZZ",
  latitude: null,
  longitude: null,
  fulfillsOnline: true,
  pickup: false,
  priority: 0,
  status: "active",
  revision: 0,
};

export function profileOfRow(row: LocationRow): LocationProfile {
  return row.profile === null ? DEFAULT_PROFILE : LocationProfile.parse(JSON.parse(row.profile));
}

/** What a hold may take here: safety stock is never offered. */
export function availableAt(row: LocationRow): number {
  return Math.max(0, row.on_hand - row.reserved - row.safety_stock);
}

export function levelsAt(row: LocationRow): LocationLevels {
  return {
    location: row.location_id,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: availableAt(row),
    sold: row.sold,
    inTransit: row.in_transit,
    safetyStock: row.safety_stock,
  };
}

/**
 * The SKU's stock per location (spec §11), inside the ledger's
 * transactions. Whether the SKU is located is remembered in memory (the
 * object is the only writer), so an unlocated SKU's hold reads and writes no
 * row of this table; a rollback forgets it.
 */
export class LocationStock {
  private known: boolean | null = null;
  /** The SKU became located since the last event's levels were read: its stock moved into `default`, which that event touched. */
  private locatedNow = false;

  constructor(private readonly sql: SqlStorage) {}

  /** After a rollback the remembered answer may describe what was undone. */
  forget(): void {
    this.known = null;
    this.locatedNow = false;
  }

  /** Whether the SKU became located since the last call (see locatedNow); clears it. */
  takeLocatedNow(): boolean {
    const was = this.locatedNow;
    this.locatedNow = false;
    return was;
  }

  located(): boolean {
    this.known ??= this.sql.exec("SELECT 1 FROM locations LIMIT 1").toArray().length > 0;
    return this.known;
  }

  /** Every location, in id order; bounded by MAX_LOCATIONS_PER_SKU. */
  rows(): LocationRow[] {
    return this.sql.exec<LocationRow>(`SELECT ${COLUMNS} FROM locations ORDER BY location_id LIMIT ?`, MAX_LOCATIONS_PER_SKU + 1).toArray();
  }

  row(locationId: string): LocationRow | null {
    return this.sql.exec<LocationRow>(`SELECT ${COLUMNS} FROM locations WHERE location_id = ?`, locationId).toArray()[0] ?? null;
  }

  /**
   * Makes the SKU located: its current stock and every hold that still
   * counts become location `default`'s, in the caller's transaction, so no
   * unit and no hold is lost.
   */
  locate(sku: SkuRow): void {
    if (this.located()) return;
    this.sql.exec(
      "INSERT INTO locations (location_id, on_hand, reserved, sold, received) VALUES (?, ?, ?, ?, ?)",
      DEFAULT_LOCATION,
      sku.on_hand,
      sku.reserved,
      sku.sold,
      sku.received + sku.moved_in - sku.moved_out,
    );
    this.sql.exec(
      `UPDATE holds SET allocations = json_array(json_object('location', ?, 'quantity', quantity))
       WHERE allocations IS NULL AND status IN ('held', 'checkout', 'committed')`,
      DEFAULT_LOCATION,
    );
    this.known = true;
    this.locatedNow = true;
  }

  /** Stocks a location with no units (its profile the registry's copy; null for `default`). */
  add(locationId: string, profile: LocationProfile | null): void {
    this.sql.exec(
      "INSERT INTO locations (location_id, profile, profile_revision) VALUES (?, ?, ?)",
      locationId,
      profile && JSON.stringify(profile),
      profile?.revision ?? 0,
    );
    this.known = true;
  }

  /** The escrow's move of `units` (negative: out) at one location, between this object and another of its SKU. */
  moveEscrow(locationId: string, units: number): void {
    const moved = this.sql.exec(
      `UPDATE locations SET on_hand = on_hand + ?, moved_in = moved_in + MAX(?, 0), moved_out = moved_out + MAX(-?, 0)
       WHERE location_id = ?`,
      units,
      units,
      units,
      locationId,
    ).rowsWritten;
    if (moved === 0) throw new InvariantViolation("escrow_names_a_stocked_location", { location: locationId });
  }

  setSafetyStock(locationId: string, units: number): void {
    this.sql.exec("UPDATE locations SET safety_stock = ? WHERE location_id = ?", units, locationId);
  }

  /** Applies the registry's newer copy of a profile; false when it is not newer. */
  setProfile(profile: LocationProfile): boolean {
    return (
      this.sql.exec(
        "UPDATE locations SET profile = ?, profile_revision = ? WHERE location_id = ? AND profile_revision < ?",
        JSON.stringify(profile),
        profile.revision,
        profile.locationId,
        profile.revision,
      ).rowsWritten > 0
    );
  }

  move(locationId: string, d: LocationDelta): void {
    const moved = this.sql.exec(
      `UPDATE locations SET on_hand = on_hand + ?, reserved = reserved + ?, sold = sold + ?, received = received + ?
       WHERE location_id = ?`,
      d.on_hand ?? 0,
      d.reserved ?? 0,
      d.sold ?? 0,
      d.received ?? 0,
      locationId,
    ).rowsWritten;
    if (moved === 0) throw new InvariantViolation("allocation_names_a_stocked_location", { location: locationId });
  }

  /** Moves each allocation's units with `per(quantity)`. */
  moveAll(allocations: readonly Allocation[], per: (quantity: number) => LocationDelta): void {
    for (const a of allocations) this.move(a.location, per(a.quantity));
  }

  /**
   * The located invariants (spec §11), after a change, against the sku row
   * the same transaction wrote: each location's own, their sums equal to the
   * SKU's totals. Returns the rows so the caller builds levels without a re-read.
   */
  check(sku: SkuRow): LocationRow[] {
    const rows = this.rows();
    if (rows.length > MAX_LOCATIONS_PER_SKU) throw new InvariantViolation("locations_bounded", { locations: rows.length });
    const sum = { on_hand: 0, reserved: 0, sold: 0, in_transit: 0 };
    for (const r of rows) {
      const facts = {
        location: r.location_id,
        on_hand: r.on_hand,
        reserved: r.reserved,
        sold: r.sold,
        in_transit: r.in_transit,
        safety_stock: r.safety_stock,
      };
      if (!(r.reserved >= 0 && r.reserved <= r.on_hand)) throw new InvariantViolation("location_reserved_within_on_hand", facts);
      if (r.sold < 0 || r.in_transit < 0 || r.safety_stock < 0) throw new InvariantViolation("location_non_negative", facts);
      if (r.received + r.transferred_in - r.transferred_out + r.moved_in - r.moved_out !== r.on_hand + r.sold) {
        throw new InvariantViolation("location_conservation", {
          ...facts,
          received: r.received,
          transferred_in: r.transferred_in,
          transferred_out: r.transferred_out,
          moved_in: r.moved_in,
          moved_out: r.moved_out,
        });
      }
      sum.on_hand += r.on_hand;
      sum.reserved += r.reserved;
      sum.sold += r.sold;
      sum.in_transit += r.in_transit;
    }
    for (const field of ["on_hand", "reserved", "sold", "in_transit"] as const) {
      if (sum[field] !== sku[field]) {
        throw new InvariantViolation("locations_sum_to_sku", { field, locations: sum[field], sku: sku[field] });
      }
    }
    return rows;
  }
}

/** The SKU's `available` on a located SKU: the sum of its locations'. */
export function locatedAvailable(rows: readonly LocationRow[]): number {
  return rows.reduce((n, r) => n + availableAt(r), 0);
}
