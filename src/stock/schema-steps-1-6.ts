import { GENESIS_HASH } from "../audit/chain";
import { FINAL, HOLD_GUARD_TRIGGERS, HOLD_TALLY_TRIGGERS, LIVE } from "./schema-shared-sql";

/** The SKU object's storage steps 1 to 6 (see ./schema.ts): shipped, never edited. */
export const SKU_STEPS_1_TO_6: readonly string[] = [
  // Step 1: the SKU, its holds, their idempotent replies and the outbox.
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
];
