import { SKU_STEPS_1_TO_6 } from "./schema-steps-1-6";
import { SKU_STEPS_7_TO_13 } from "./schema-steps-7-13";

/**
 * The SKU object's SQLite schema, as ordered migrations. The object runs the
 * ones it has not run yet in its constructor; never edit a shipped step, add one.
 *
 * The steps are split by range over files (./schema-steps-1-6.ts,
 * ./schema-steps-7-13.ts) only to keep each file short; their order is this
 * array's, and a new step goes at its end.
 */
export const SKU_MIGRATIONS: readonly string[] = [
  ...SKU_STEPS_1_TO_6,
  ...SKU_STEPS_7_TO_13,
  // Step 14: a held hold's quantity changes in place (spec §3, issue 23),
  // so it is no longer immutable, and only a held hold may change. Its
  // tallies and the customer's usage follow the difference in code, in the
  // same statements' counts as a hold's start and end (tables.ts).
  `
  DROP TRIGGER holds_immutable;
  CREATE TRIGGER holds_immutable BEFORE UPDATE OF customer_id, scope ON holds
  BEGIN SELECT RAISE(ABORT, 'hold customer and scope are immutable'); END;
  CREATE TRIGGER holds_quantity_guard BEFORE UPDATE OF quantity ON holds
  WHEN OLD.status != 'held' OR NEW.status != 'held' OR NEW.quantity < 1
  BEGIN SELECT RAISE(ABORT, 'only a held hold changes its quantity, to at least 1'); END;
  `,
  // Step 15: locations (spec §11). Per-location levels beside the sku row's
  // totals, the SKU's version (compare-and-set of merchant writes), its
  // routing settings, and each hold's allocation. A SKU with no `locations`
  // row is unlocated and writes none of this (docs/locations.md contract).
  `
  CREATE TABLE locations (
    location_id TEXT PRIMARY KEY,
    on_hand INTEGER NOT NULL DEFAULT 0,
    reserved INTEGER NOT NULL DEFAULT 0,
    sold INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    transferred_in INTEGER NOT NULL DEFAULT 0,
    transferred_out INTEGER NOT NULL DEFAULT 0,
    in_transit INTEGER NOT NULL DEFAULT 0,
    safety_stock INTEGER NOT NULL DEFAULT 0,
    profile TEXT,
    profile_revision INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  ALTER TABLE sku ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN in_transit INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN routing TEXT NOT NULL DEFAULT 'nearest';
  ALTER TABLE sku ADD COLUMN split INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE holds ADD COLUMN allocations TEXT;
  `,
  // Step 16: location transfers (spec §11; ./location-transfers.ts), units
  // moved between two locations of this SKU, both in this object. Not the
  // escrow's `transfers` between a SKU's objects (step 7). A transfer's sides
  // and size never change, its counts only grow, and an ended one stays
  // ended: each step happens once, forever. Open transfers are found by their
  // source, whose `in_transit` they must add up to.
  `
  CREATE TABLE location_transfers (
    transfer_id TEXT PRIMARY KEY,
    from_location TEXT NOT NULL,
    to_location TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
    cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
    status TEXT NOT NULL CHECK (status IN ('in_transit', 'received', 'cancelled')),
    reference TEXT,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    CHECK (from_location != to_location),
    CHECK (received + cancelled <= quantity),
    CHECK ((status = 'in_transit') = (received + cancelled < quantity)),
    CHECK (status != 'received' OR received = quantity)
  ) WITHOUT ROWID;
  CREATE INDEX location_transfers_by_created ON location_transfers (created_at_ms, transfer_id);
  CREATE INDEX location_transfers_open ON location_transfers (from_location) WHERE status = 'in_transit';
  CREATE TRIGGER location_transfers_immutable
  BEFORE UPDATE OF transfer_id, from_location, to_location, quantity, reference, created_at_ms ON location_transfers
  BEGIN SELECT RAISE(ABORT, 'a location transfer never changes its sides or size'); END;
  CREATE TRIGGER location_transfers_forward BEFORE UPDATE ON location_transfers
  WHEN OLD.status != 'in_transit' OR NEW.received < OLD.received OR NEW.cancelled < OLD.cancelled
  BEGIN SELECT RAISE(ABORT, 'a location transfer only moves forward, once'); END;
  `,
  // Step 17: locations on a sharded SKU (spec §8, §11; ./shards/escrow.ts).
  // An escrow transfer between the SKU's objects names the location whose
  // units it moves (null on an unlocated SKU: `default`'s), and each location
  // counts the units the escrow moved in and out of it here, so its own
  // conservation holds on the pool and on every shard. Unlocated SKUs write
  // neither.
  `
  ALTER TABLE transfers ADD COLUMN location TEXT;
  ALTER TABLE locations ADD COLUMN moved_in INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE locations ADD COLUMN moved_out INTEGER NOT NULL DEFAULT 0;
  `,
];
