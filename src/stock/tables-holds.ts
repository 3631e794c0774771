import { SkuSideTables } from "./tables-side";
import { HOLD_COLUMNS, isLive, type HoldRow } from "./rows";

/** Ended holds that no transition can move again; retention deletes them. */
const FINAL_STATUSES = `('released', 'expired', 'returned')`;
/** Counters of holds retention deleted, by status: `pruned_<status>`. */
export const PRUNED_COUNTER_PREFIX = "pruned_";

/**
 * What a mutation's hold statements changed: an inserted row as given (it is
 * stored so or the statement throws), an ended or resized one as SQLite
 * returned it (RETURNING), since its WHERE decides whether it changed at all.
 * Folded into the sku row by the same mutation's one UPDATE of it, so the
 * tallies cost no write of their own (schema step 13).
 */
export type Tally = {
  live_units: number;
  live_holds: number;
  created: number;
  released: number;
  expired: number;
  committed: number;
  returned: number;
};
export const NO_TALLY: Readonly<Tally> = { live_units: 0, live_holds: 0, created: 0, released: 0, expired: 0, committed: 0, returned: 0 };

/** A keyed hold's stored reply, kept in its own row (see SqlReplies). */
export type FoldedReply = { idem_key: string; request_hash: string; reply: string };

/**
 * The second layer of the object's tables (see ./tables.ts): the holds. Each
 * statement that makes, ends or resizes a hold adds what SQLite says it
 * changed to the tally, which the mutation's one UPDATE of the levels row
 * (SkuTables.changeLevels) folds in.
 */
export class SkuHoldTables extends SkuSideTables {
  protected tally: Tally = { ...NO_TALLY };
  /**
   * No live hold's deadline is earlier than this (null: not known), so the
   * sweep before each change runs no query until then. Every statement that
   * makes a deadline lowers it; a rollback forgets it (SkuTables.tx).
   */
  private deadlineFloor_ms: number | null = null;

  hold(holdId: string): HoldRow | null {
    return this.sql.exec<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE hold_id = ?`, holdId).toArray()[0] ?? null;
  }

  /** Inserts a hold, with its keyed request's reply when it has one; its units count once the levels change. */
  insertHold(row: HoldRow, folded: FoldedReply | null = null): void {
    // No RETURNING: an INSERT stores the row as given or throws, so the row itself says what it added,
    // and RETURNING's buffered copy of it was a visible part of the statement (docs/bench-and-chaos.md).
    this.sql.exec(
      `INSERT INTO holds (${HOLD_COLUMNS}, idem_key, request_hash, reply) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.hold_id,
      row.customer_id,
      row.quantity,
      row.status,
      row.scope,
      row.unit_amount,
      row.currency,
      row.created_at_ms,
      row.expires_at_ms,
      row.order_id,
      row.allocations,
      folded?.idem_key ?? null,
      folded?.request_hash ?? null,
      folded?.reply ?? null,
    );
    this.tally.created += 1;
    this.deadlineAtLeast(row.expires_at_ms);
    if (isLive(row.status)) {
      this.tally.live_units += row.quantity;
      this.tally.live_holds += 1;
    }
  }

  /** Ends a live hold; its units leave the tally only if the row really was live (the statement says). */
  endHold(holdId: string, status: "released" | "expired" | "committed", now_ms: number): void {
    for (const { quantity } of this.sql.exec<{ quantity: number }>(
      "UPDATE holds SET status = ?, ended_at_ms = ? WHERE hold_id = ? AND status IN ('held', 'checkout') RETURNING quantity",
      status,
      now_ms,
      holdId,
    )) {
      this.tally.live_units -= quantity;
      this.tally.live_holds -= 1;
      this.tally[status] += 1;
    }
  }

  /** A held hold's quantity, changed in place (spec §3); its units follow in the tally when the row really changed. */
  changeQuantity(holdId: string, from: number, to: number, allocations: string | null = null): void {
    const moved = this.sql.exec(
      "UPDATE holds SET quantity = ?, allocations = ? WHERE hold_id = ? AND status = 'held' AND quantity = ?",
      to,
      allocations,
      holdId,
      from,
    ).rowsWritten;
    if (moved > 0) this.tally.live_units += to - from;
  }

  /** committed -> returned (a refund's restock), counted when the row really moved. */
  returnHold(holdId: string, now_ms: number): void {
    const moved = this.sql.exec(
      "UPDATE holds SET status = 'returned', ended_at_ms = ? WHERE hold_id = ? AND status = 'committed'",
      now_ms,
      holdId,
    ).rowsWritten;
    if (moved > 0) this.tally.returned += 1;
  }

  /**
   * Live holds whose deadline has passed, earliest first, at most `max_holds`,
   * for the caller to end in this transaction. The same statement reads the
   * first hold not yet due, whose deadline then bounds every other.
   */
  overdueHolds(now_ms: number, max_holds: number): HoldRow[] {
    if (this.deadlineFloor_ms !== null && now_ms < this.deadlineFloor_ms) return [];
    const rows = this.sql
      .exec<HoldRow>(
        `SELECT * FROM (SELECT ${HOLD_COLUMNS} FROM holds WHERE status IN ('held', 'checkout') AND expires_at_ms <= ?1
                        ORDER BY expires_at_ms LIMIT ?2)
         UNION ALL
         SELECT * FROM (SELECT ${HOLD_COLUMNS} FROM holds WHERE status IN ('held', 'checkout') AND expires_at_ms > ?1
                        ORDER BY expires_at_ms LIMIT 1)`,
        now_ms,
        max_holds,
      )
      .toArray();
    const due = rows.filter((r) => r.expires_at_ms <= now_ms);
    const next = rows.find((r) => r.expires_at_ms > now_ms);
    this.deadlineFloor_ms = due.length >= max_holds ? null : (next?.expires_at_ms ?? Number.POSITIVE_INFINITY);
    return due;
  }

  /**
   * Sets a live hold's deadline (dev tools' "expire now"); with `checkoutFor`,
   * a held hold enters that order's checkout under its payment window. False
   * when no hold moved. The one statement that sets a deadline after insert.
   */
  moveDeadline(holdId: string, expires_at_ms: number, checkoutFor?: string): boolean {
    this.deadlineAtLeast(expires_at_ms);
    const moved = checkoutFor
      ? this.sql.exec(
          "UPDATE holds SET status = 'checkout', order_id = ?, expires_at_ms = ? WHERE hold_id = ? AND status = 'held'",
          checkoutFor,
          expires_at_ms,
          holdId,
        )
      : this.sql.exec("UPDATE holds SET expires_at_ms = ? WHERE hold_id = ? AND status IN ('held', 'checkout')", expires_at_ms, holdId);
    return moved.rowsWritten > 0;
  }

  /** A live hold may now be due at `deadline_ms`. */
  private deadlineAtLeast(deadline_ms: number): void {
    if (this.deadlineFloor_ms !== null) this.deadlineFloor_ms = Math.min(this.deadlineFloor_ms, deadline_ms);
  }

  /** After a rollback, or storage changed under the object: the next sweep reads again. */
  forgetDeadlines(): void {
    this.deadlineFloor_ms = null;
  }

  earliestHoldDeadlineMs(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(expires_at_ms) AS at FROM holds WHERE status IN ('held', 'checkout')").one().at;
  }

  /** When the earliest-ended hold that can move no further ended (served by `holds_final_by_end`). */
  earliestFinalHoldEndMs(): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT MIN(ended_at_ms) AS at FROM holds WHERE status IN ${FINAL_STATUSES}`).one().at;
  }

  /**
   * Deletes up to `max_rows` holds that ended at or before `cutoff_ms` and can
   * move no further, counting them by status so the full audit still adds up.
   */
  pruneFinalHolds(cutoff_ms: number, max_rows: number): number {
    const gone = this.sql
      .exec<{ status: string }>(
        `DELETE FROM holds WHERE hold_id IN
           (SELECT hold_id FROM holds WHERE status IN ${FINAL_STATUSES} AND ended_at_ms <= ? ORDER BY ended_at_ms LIMIT ?)
         RETURNING status`,
        cutoff_ms,
        max_rows,
      )
      .toArray();
    const byStatus = new Map<string, number>();
    for (const { status } of gone) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    for (const [status, n] of byStatus) this.bump(`${PRUNED_COUNTER_PREFIX}${status}`, n);
    return gone.length;
  }
}
