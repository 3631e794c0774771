import { getTableColumns, is, Param, Placeholder, sql, type Table } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { D1_PARAMS_MAX, statementChunks } from "./chunks";

/** A statement drizzle has built and not run: all a shape needs is its SQL and parameters. */
type Built = { toSQL(): { sql: string; params: unknown[] } };

/** A row of placeholders, one per column the statement binds. */
export type PlaceholderRow<Row> = { [K in keyof Row]: Placeholder };

/** Where each bound parameter comes from: a row's column (through the column's encoder), or a value drizzle fixed. */
type Slot = { row: number; key: string; encode: ((value: unknown) => unknown) | null } | { value: unknown };

/**
 * Statements that a hot writer sends again and again with new values (the
 * SKU objects' outbox shipper: every batch the same multi-row inserts and
 * upserts), built by drizzle once per row count instead of once per batch.
 * Building them afresh was about 7% of the samples in a hot SKU object's CPU
 * profile. The SQL still comes from the query builder, over a row of
 * placeholders; each call binds its rows' values in the order drizzle put
 * them, through each column's encoder as drizzle's own placeholders would.
 */
export class Shaped<Row extends Record<string, unknown>> {
  /** SQL and slots by row count: at most `rows_max` shapes, since a statement never binds more rows. */
  private readonly shapes = new Map<number, { sql: string; slots: Slot[] }>();
  private readonly rows_max: number;

  constructor(
    private readonly keys: readonly (keyof Row & string)[],
    private readonly build: (db: DrizzleD1Database, rows: PlaceholderRow<Row>[]) => Built,
  ) {
    this.rows_max = Math.floor(D1_PARAMS_MAX / keys.length);
  }

  /** The rows as D1 statements for one batch, as many rows a statement as D1 binds. */
  statements(d1: D1Database, rows: readonly Row[]): D1PreparedStatement[] {
    return statementChunks(rows, this.keys.length).map((chunk) => this.statement(d1, chunk));
  }

  /** One statement over `rows` (at most `rows_max` of them). */
  statement(d1: D1Database, rows: readonly Row[]): D1PreparedStatement {
    const shape = this.shapeOf(d1, rows.length);
    const values = shape.slots.map((slot) => {
      if ("value" in slot) return slot.value;
      const value = rows[slot.row]![slot.key];
      // drizzle would put a column's default here; a row the caller left a column out of is a bug, not a default.
      if (value === undefined) throw new Error(`no value for column ${slot.key}`);
      return slot.encode && value !== null ? slot.encode(value) : value;
    });
    return d1.prepare(shape.sql).bind(...values);
  }

  private shapeOf(d1: D1Database, n: number): { sql: string; slots: Slot[] } {
    const known = this.shapes.get(n);
    if (known) return known;
    if (n < 1 || n > this.rows_max) throw new Error(`a statement of ${n} rows of ${this.keys.length} parameters does not fit D1`);
    const placeholders = Array.from(
      { length: n },
      (_, row) => Object.fromEntries(this.keys.map((key) => [key, sql.placeholder(`${row}:${key}`)])) as PlaceholderRow<Row>,
    );
    // The builder only needs a database to build on; nothing runs through it.
    const built = this.build(drizzle(d1), placeholders).toSQL();
    const shape = { sql: built.sql, slots: built.params.map(slotOf) };
    this.shapes.set(n, shape);
    return shape;
  }
}

function slotOf(param: unknown): Slot {
  const named = (p: Placeholder) => {
    const at = p.name.indexOf(":");
    return { row: Number(p.name.slice(0, at)), key: p.name.slice(at + 1) };
  };
  if (is(param, Param) && is(param.value, Placeholder)) {
    const encoder = param.encoder;
    return { ...named(param.value), encode: (value) => encoder.mapToDriverValue(value) };
  }
  if (is(param, Placeholder)) return { ...named(param), encode: null };
  return { value: param };
}

/** Every column key of a table, for a statement that binds whole rows of it. */
export function columnsOf<T extends Table>(table: T): (keyof T["$inferInsert"] & string)[] {
  return Object.keys(getTableColumns(table)) as (keyof T["$inferInsert"] & string)[];
}
