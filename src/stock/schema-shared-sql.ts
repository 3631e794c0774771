/** SQL text several of the SKU object's storage steps share (./schema.ts): a step's text never changes once shipped. */

export const LIVE = `('held', 'checkout')`;
/** Ended holds that no transition can move again: the ones retention may delete. */
export const FINAL = `('released', 'expired', 'returned')`;

/**
 * Triggers on holds that steps recreate: step 6 rebuilds the table (SQLite
 * cannot widen a CHECK in place), which drops them. Shared text, so both
 * steps create the same triggers.
 */
export const HOLD_TALLY_TRIGGERS = `
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
export const HOLD_GUARD_TRIGGERS = `
  CREATE TRIGGER holds_immutable BEFORE UPDATE OF quantity, customer_id, scope ON holds
  BEGIN SELECT RAISE(ABORT, 'hold quantity, customer and scope are immutable'); END;
  CREATE TRIGGER holds_no_revival BEFORE UPDATE OF status ON holds
  WHEN OLD.status NOT IN ${LIVE} AND NEW.status IN ${LIVE}
  BEGIN SELECT RAISE(ABORT, 'an ended hold cannot become live again'); END;
`;
