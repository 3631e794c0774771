import { FINAL, HOLD_GUARD_TRIGGERS, LIVE } from "./schema-shared-sql";

/** The SKU object's storage steps 7 to 13 (see ./schema.ts): shipped, never edited. */
export const SKU_STEPS_7_TO_13: readonly string[] = [
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
];
