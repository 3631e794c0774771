import { GENESIS_HASH } from "../audit/chain";

/**
 * The SKU object's SQLite schema, as ordered migrations. The object runs the
 * ones it has not run yet in its constructor; never edit a shipped step, add one.
 */
const LIVE = `('held', 'checkout')`;
/** Ended holds that no transition can move again: the ones retention may delete. */
const FINAL = `('released', 'expired', 'returned')`;

/**
 * Triggers on holds that steps recreate: step 6 rebuilds the table (SQLite
 * cannot widen a CHECK in place), which drops them. Shared text, so both
 * steps create the same triggers.
 */
const HOLD_TALLY_TRIGGERS = `
  CREATE TRIGGER holds_insert AFTER INSERT ON holds
  BEGIN
    UPDATE sku SET
      holds_created = holds_created + 1,
      live_units = live_units + CASE WHEN NEW.status IN ${LIVE} THEN NEW.quantity ELSE 0 END,
      live_holds = live_holds + (NEW.status IN ${LIVE})
    WHERE id = 1;
  END;
  CREATE TRIGGER holds_insert_usage AFTER INSERT ON holds WHEN NEW.status IN ${LIVE} AND NEW.scope != ''
  BEGIN
    INSERT INTO customer_usage (scope, customer_id, held) VALUES (NEW.scope, NEW.customer_id, NEW.quantity)
      ON CONFLICT (scope, customer_id) DO UPDATE SET held = held + NEW.quantity;
  END;
  CREATE TRIGGER holds_end AFTER UPDATE OF status ON holds
  WHEN OLD.status IN ${LIVE} AND NEW.status NOT IN ${LIVE}
  BEGIN
    UPDATE sku SET
      live_units = live_units - OLD.quantity,
      live_holds = live_holds - 1,
      holds_released = holds_released + (NEW.status = 'released'),
      holds_expired = holds_expired + (NEW.status = 'expired'),
      holds_committed = holds_committed + (NEW.status = 'committed')
    WHERE id = 1;
  END;
  CREATE TRIGGER holds_end_usage AFTER UPDATE OF status ON holds
  WHEN OLD.status IN ${LIVE} AND NEW.status NOT IN ${LIVE} AND OLD.scope != ''
  BEGIN
    UPDATE customer_usage
      SET held = held - OLD.quantity, bought = bought + (NEW.status = 'committed') * OLD.quantity
      WHERE scope = OLD.scope AND customer_id = OLD.customer_id;
  END;
`;
const HOLD_GUARD_TRIGGERS = `
  CREATE TRIGGER holds_immutable BEFORE UPDATE OF quantity, customer_id, scope ON holds
  BEGIN SELECT RAISE(ABORT, 'hold quantity, customer and scope are immutable'); END;
  CREATE TRIGGER holds_no_revival BEFORE UPDATE OF status ON holds
  WHEN OLD.status NOT IN ${LIVE} AND NEW.status IN ${LIVE}
  BEGIN SELECT RAISE(ABORT, 'an ended hold cannot become live again'); END;
`;

export const SKU_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sku (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    price_amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    always_on INTEGER NOT NULL,
    on_hand INTEGER NOT NULL DEFAULT 0,
    reserved INTEGER NOT NULL DEFAULT 0,
    sold INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
  );

  CREATE TABLE holds (
    hold_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    status TEXT NOT NULL CHECK (status IN ('held', 'checkout', 'committed', 'released', 'expired')),
    -- the sale id whose per-customer limit this hold counts against ('' = list price)
    scope TEXT NOT NULL,
    unit_amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER,
    order_id TEXT
  );
  -- Expiry walks live holds by deadline; the partial index keeps that walk off ended holds.
  CREATE INDEX holds_live_by_deadline ON holds (expires_at_ms) WHERE status IN ${LIVE};

  -- Tallies kept by triggers, independently of the application code that keeps
  -- sku.reserved, so invariant 3 (reserved == sum of live holds) is a real check
  -- that costs O(1) instead of a scan of every live hold.
  CREATE TABLE live_tally (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    units INTEGER NOT NULL,
    holds INTEGER NOT NULL
  );
  INSERT INTO live_tally (id, units, holds) VALUES (1, 0, 0);

  CREATE TABLE customer_usage (
    scope TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    bought INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, customer_id)
  ) WITHOUT ROWID;

  CREATE TRIGGER holds_live_insert AFTER INSERT ON holds WHEN NEW.status IN ${LIVE}
  BEGIN
    UPDATE live_tally SET units = units + NEW.quantity, holds = holds + 1;
    INSERT INTO customer_usage (scope, customer_id, held) VALUES (NEW.scope, NEW.customer_id, NEW.quantity)
      ON CONFLICT (scope, customer_id) DO UPDATE SET held = held + NEW.quantity;
  END;

  CREATE TRIGGER holds_live_end AFTER UPDATE OF status ON holds
  WHEN OLD.status IN ${LIVE} AND NEW.status NOT IN ${LIVE}
  BEGIN
    UPDATE live_tally SET units = units - OLD.quantity, holds = holds - 1;
    UPDATE customer_usage
      SET held = held - OLD.quantity,
          bought = bought + CASE WHEN NEW.status = 'committed' THEN OLD.quantity ELSE 0 END
      WHERE scope = OLD.scope AND customer_id = OLD.customer_id;
  END;

  -- Holds never change quantity, owner or scope, and never come back to life.
${HOLD_GUARD_TRIGGERS}

  CREATE TABLE sale_rules (
    sale_id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    name TEXT NOT NULL,
    starts_at_ms INTEGER NOT NULL,
    ends_at_ms INTEGER NOT NULL,
    price_amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    per_customer_limit INTEGER NOT NULL,
    max_per_order INTEGER,
    hold_seconds INTEGER,
    payment_seconds INTEGER,
    removed INTEGER NOT NULL DEFAULT 0
  );

  -- Replies to idempotent requests, kept 24 h and pruned by the alarm.
  CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
  );
  CREATE INDEX idempotency_by_age ON idempotency (created_at_ms);

  -- Transactional outbox: every state change appends its event in the same
  -- transaction; a shipper drains it to D1's audit log in order.
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    data TEXT NOT NULL,
    shipped INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX outbox_unshipped ON outbox (seq) WHERE shipped = 0;

  CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // Step 2: the outbox shipper's chain head. The SKU's audit stream in D1 is a
  // hash chain whose seq is dense (1, 2, 3...) whatever the outbox seqs are
  // (pruning deletes outbox rows), so the chain position and the last hash are
  // kept here and advance in the same transaction that marks rows shipped.
  // `levels` are the last shipped levels: the fallback for a batch without a
  // levels-carrying event, and the "before" side of stock alerts.
  `
  CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    outbox_seq INTEGER NOT NULL,
    levels TEXT
  );
  INSERT INTO audit_head (id, seq, hash, outbox_seq, levels) VALUES (1, 0, '${GENESIS_HASH}', 0, NULL);
  `,
  // Step 3: a sale may cap how many holds one customer takes per minute,
  // stricter than the edge's rate limits; the index keeps that count to the
  // customer's own recent holds.
  `
  ALTER TABLE sale_rules ADD COLUMN holds_per_minute INTEGER;
  CREATE INDEX holds_by_customer_recent ON holds (scope, customer_id, created_at_ms);
  `,
  // Step 4: fewer pages per reserve. Every SQLite page a transaction touches is
  // written again, so the tallies and hold counters move into the sku row that
  // every mutation rewrites anyway; list-price holds (no sale, so no limit)
  // stop writing customer usage; the hold rate becomes a token bucket in the
  // customer's usage row instead of an index over every hold.
  `
  ALTER TABLE sku ADD COLUMN live_units INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN live_holds INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN holds_created INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN holds_released INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN holds_expired INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN holds_committed INTEGER NOT NULL DEFAULT 0;
  UPDATE sku SET
    live_units = (SELECT units FROM live_tally),
    live_holds = (SELECT holds FROM live_tally),
    holds_created = COALESCE((SELECT value FROM counters WHERE name = 'holds_created'), 0),
    holds_released = COALESCE((SELECT value FROM counters WHERE name = 'holds_released'), 0),
    holds_expired = COALESCE((SELECT value FROM counters WHERE name = 'holds_expired'), 0),
    holds_committed = COALESCE((SELECT value FROM counters WHERE name = 'holds_committed'), 0);
  DELETE FROM counters WHERE name IN ('holds_created', 'holds_released', 'holds_expired', 'holds_committed');
  DROP TRIGGER holds_live_insert;
  DROP TRIGGER holds_live_end;
  DROP TABLE live_tally;
  DELETE FROM customer_usage WHERE scope = '';
  DROP INDEX holds_by_customer_recent;
  ALTER TABLE customer_usage ADD COLUMN rate_tokens REAL;
  ALTER TABLE customer_usage ADD COLUMN rate_at_ms INTEGER;

${HOLD_TALLY_TRIGGERS}
  `,
  // Step 5: what is shipped is what lies at or below the chain head's
  // outbox_seq, so the per-row flag and its index (written on every append)
  // say nothing the head does not.
  `
  DROP INDEX outbox_unshipped;
  ALTER TABLE outbox DROP COLUMN shipped;
  `,
  // Step 6: returns and bounded storage (spec §3). A refund with restock
  // is the hold's own transition committed -> returned, so it can happen once
  // forever; SQLite cannot widen a CHECK in place, so the holds table is
  // rebuilt (with its index and triggers). Ended holds that can move no
  // further are deleted after a retention, found through their own index.
  // Idempotent replies remember whether the operation was accepted, so the
  // edge can be told which keys succeeded (see AcceptedKeys).
  `
  CREATE TABLE holds_v6 (
    hold_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    status TEXT NOT NULL CHECK (status IN ('held', 'checkout', 'committed', 'released', 'expired', 'returned')),
    scope TEXT NOT NULL,
    unit_amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER,
    order_id TEXT
  );
  INSERT INTO holds_v6 SELECT hold_id, customer_id, quantity, status, scope, unit_amount, currency,
    created_at_ms, expires_at_ms, ended_at_ms, order_id FROM holds;
  DROP TABLE holds;
  ALTER TABLE holds_v6 RENAME TO holds;
  CREATE INDEX holds_live_by_deadline ON holds (expires_at_ms) WHERE status IN ${LIVE};
  CREATE INDEX holds_final_by_end ON holds (ended_at_ms) WHERE status IN ${FINAL};

  ALTER TABLE sku ADD COLUMN returned INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN holds_returned INTEGER NOT NULL DEFAULT 0;

${HOLD_TALLY_TRIGGERS}
  -- A return gives the units back to the shop and the allowance back to the customer.
  CREATE TRIGGER holds_return AFTER UPDATE OF status ON holds
  WHEN OLD.status = 'committed' AND NEW.status = 'returned'
  BEGIN
    UPDATE sku SET holds_returned = holds_returned + 1 WHERE id = 1;
    UPDATE customer_usage SET bought = bought - OLD.quantity
      WHERE scope = OLD.scope AND customer_id = OLD.customer_id;
  END;
${HOLD_GUARD_TRIGGERS}
  -- Each ending happens once: only a committed hold may move on, and only to returned.
  CREATE TRIGGER holds_final BEFORE UPDATE OF status ON holds
  WHEN OLD.status NOT IN ${LIVE} AND NEW.status != OLD.status AND NOT (OLD.status = 'committed' AND NEW.status = 'returned')
  BEGIN SELECT RAISE(ABORT, 'an ended hold moves only from committed to returned'); END;

  ALTER TABLE idempotency ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;
  UPDATE idempotency SET accepted = json_extract(outcome, '$.ok') = 1;
  `,
  // Step 7: stock shards (spec §8, escrow). Units move between the
  // SKU's pool (its own object) and its shards by two-phase transfers: the
  // sender debits and records the transfer pending, the receiver credits it
  // once (its id is the receiver's idempotency record), then the sender
  // marks it posted. Conservation per object becomes
  // received + moved_in - moved_out == on_hand + sold.
  `
  ALTER TABLE sku ADD COLUMN moved_in INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sku ADD COLUMN moved_out INTEGER NOT NULL DEFAULT 0;
  -- The SKU's shard count (on every object, as last told), and which shard this object is (NULL: the SKU's own object).
  ALTER TABLE sku ADD COLUMN shards INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE sku ADD COLUMN shard_index INTEGER;
  -- On the SKU's own object: how many shards ever existed, so views and audits reach draining ones too.
  ALTER TABLE sku ADD COLUMN shard_span INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE transfers (
    transfer_id TEXT PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    -- the other side: a shard index, or -1 for the SKU's pool
    peer INTEGER NOT NULL,
    units INTEGER NOT NULL CHECK (units > 0),
    status TEXT NOT NULL CHECK (status IN ('pending', 'posted')),
    created_at_ms INTEGER NOT NULL,
    posted_at_ms INTEGER
  );
  CREATE INDEX transfers_pending ON transfers (created_at_ms) WHERE status = 'pending';
  -- Units move once, forever: a transfer's size and sides never change, and it is never un-posted.
  CREATE TRIGGER transfers_immutable BEFORE UPDATE OF transfer_id, direction, peer, units ON transfers
  BEGIN SELECT RAISE(ABORT, 'a transfer never changes its sides or size'); END;
  CREATE TRIGGER transfers_posted_once BEFORE UPDATE OF status ON transfers WHEN OLD.status = 'posted'
  BEGIN SELECT RAISE(ABORT, 'a posted transfer stays posted'); END;
  `,
  // Step 8: exact per-customer limits across a change of the shard count. A
  // customer whose shard moved may still hold or have bought units in the
  // object that used to serve them, so every object knows the counts the SKU
  // had (JSON array) and can ask those objects for the customer's usage.
  `
  ALTER TABLE sku ADD COLUMN shard_history TEXT NOT NULL DEFAULT '[]';
  CREATE INDEX customer_usage_by_customer ON customer_usage (customer_id);
  `,
  // Step 9: the merchant console (issue 10). Overlapping sales of a SKU carry
  // a priority that decides which one prices it; the merchant lists a SKU's
  // holds by status, newest first.
  `
  ALTER TABLE sale_rules ADD COLUMN priority INTEGER;
  CREATE INDEX holds_by_status_created ON holds (status, created_at_ms, hold_id);
  `,
  // Step 10: stock alerts of a sharded SKU, judged by its own object on the
  // whole SKU's levels (./whole-alerts.ts): the last judged available units.
  `
  ALTER TABLE sku ADD COLUMN whole_available INTEGER;
  `,
  // Step 11: a sale with a waiting room is known to its SKUs' objects, which
  // take a hold under it only with an admission the edge verified (issue 22
  // item 2). A rule stored before this step reads as not queued until the
  // merchant's next change of the sale pushes it again.
  `
  ALTER TABLE sale_rules ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
  `,
  // Step 12: one home per customer across a change of the shard count (issue
  // 17). Each change of the count is a new epoch, pushed with the settings; a
  // customer's new home fences their old one (./shards/fences.ts), which then
  // refuses their holds even if it never heard of the new count.
  `
  ALTER TABLE sku ADD COLUMN shard_epoch INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE customer_fences (
    customer_id TEXT PRIMARY KEY,
    epoch INTEGER NOT NULL,
    shards INTEGER NOT NULL,
    fenced_at_ms INTEGER NOT NULL
  );
  `,
  // Step 13: a hold that costs what its rows cost (issue 18). The platform
  // bills every row a statement writes, index entries and trigger writes
  // included; a keyed hold wrote 11 to 13. Now:
  // - holds is keyed by hold_id alone (WITHOUT ROWID: no rowid plus a
  //   separate primary-key index), and the merchant's list walks creation
  //   time, an index a status change never rewrites (holds_by_status_created
  //   was rewritten twice by every transition);
  // - a keyed hold's stored reply is its own row: the hold's id is derived
  //   from the key (sql-replies.ts), so the reply needs no row or index;
  // - the tallies in the sku row (live units and holds, counts by ending) are
  //   written by the mutation's one UPDATE of that row, from the quantities
  //   its hold statements report (tables.ts), not by triggers that rewrote the
  //   row a second time;
  // - a new hold's customer usage (and hold-rate bucket) is one upsert by the
  //   hold's own code (two writes of one row before), and usage is keyed
  //   customer first, so a customer's usage across sales needs no index of
  //   its own (customer_usage_by_customer was one more write per new
  //   customer); endings and returns keep their triggers;
  // - idempotency is keyed by its key alone, and the outbox's seq is no
  //   longer AUTOINCREMENT (each append also wrote sqlite_sequence): appends
  //   number themselves past both the newest row and the shipped head.
  `
  CREATE TABLE holds_v13 (
    hold_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    status TEXT NOT NULL CHECK (status IN ('held', 'checkout', 'committed', 'released', 'expired', 'returned')),
    scope TEXT NOT NULL,
    unit_amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER,
    order_id TEXT,
    -- A keyed hold's key, request hash and reply (the idempotency rule's stored reply, folded in).
    idem_key TEXT,
    request_hash TEXT,
    reply TEXT
  ) WITHOUT ROWID;
  INSERT INTO holds_v13 (hold_id, customer_id, quantity, status, scope, unit_amount, currency,
    created_at_ms, expires_at_ms, ended_at_ms, order_id)
    SELECT hold_id, customer_id, quantity, status, scope, unit_amount, currency,
      created_at_ms, expires_at_ms, ended_at_ms, order_id FROM holds;
  DROP TABLE holds;
  ALTER TABLE holds_v13 RENAME TO holds;
  CREATE INDEX holds_live_by_deadline ON holds (expires_at_ms) WHERE status IN ${LIVE};
  CREATE INDEX holds_final_by_end ON holds (ended_at_ms) WHERE status IN ${FINAL};
  CREATE INDEX holds_by_created ON holds (created_at_ms);

  CREATE TABLE customer_usage_v13 (
    customer_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    bought INTEGER NOT NULL DEFAULT 0,
    rate_tokens REAL,
    rate_at_ms INTEGER,
    PRIMARY KEY (customer_id, scope)
  ) WITHOUT ROWID;
  INSERT INTO customer_usage_v13 (customer_id, scope, held, bought, rate_tokens, rate_at_ms)
    SELECT customer_id, scope, held, bought, rate_tokens, rate_at_ms FROM customer_usage;
  DROP TABLE customer_usage;
  ALTER TABLE customer_usage_v13 RENAME TO customer_usage;

  CREATE TRIGGER holds_end_usage AFTER UPDATE OF status ON holds
  WHEN OLD.status IN ${LIVE} AND NEW.status NOT IN ${LIVE} AND OLD.scope != ''
  BEGIN
    UPDATE customer_usage
      SET held = held - OLD.quantity, bought = bought + (NEW.status = 'committed') * OLD.quantity
      WHERE scope = OLD.scope AND customer_id = OLD.customer_id;
  END;
  CREATE TRIGGER holds_return_usage AFTER UPDATE OF status ON holds
  WHEN OLD.status = 'committed' AND NEW.status = 'returned' AND OLD.scope != ''
  BEGIN
    UPDATE customer_usage SET bought = bought - OLD.quantity WHERE scope = OLD.scope AND customer_id = OLD.customer_id;
  END;
${HOLD_GUARD_TRIGGERS}
  CREATE TRIGGER holds_final BEFORE UPDATE OF status ON holds
  WHEN OLD.status NOT IN ${LIVE} AND NEW.status != OLD.status AND NOT (OLD.status = 'committed' AND NEW.status = 'returned')
  BEGIN SELECT RAISE(ABORT, 'an ended hold moves only from committed to returned'); END;
  CREATE TRIGGER holds_reply_immutable BEFORE UPDATE OF idem_key, request_hash, reply ON holds
  BEGIN SELECT RAISE(ABORT, 'a stored reply never changes'); END;

  CREATE TABLE idempotency_v13 (
    key TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    accepted INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  INSERT INTO idempotency_v13 SELECT key, request_hash, outcome, created_at_ms, accepted FROM idempotency;
  DROP TABLE idempotency;
  ALTER TABLE idempotency_v13 RENAME TO idempotency;
  CREATE INDEX idempotency_by_age ON idempotency (created_at_ms);

  CREATE TABLE outbox_v13 (
    seq INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  INSERT INTO outbox_v13 SELECT seq, type, at_ms, data FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_v13 RENAME TO outbox;
  `,
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
