import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/**
 * An upsert's `set` that takes the proposed row's value for each named
 * column (SQLite's `excluded.<column>`), as drizzle's upsert guide builds it
 * for many rows at once (orm.drizzle.team/docs/guides/upsert).
 */
export function fromExcluded<T extends SQLiteTable, K extends keyof T["$inferInsert"] & string>(
  table: T,
  keys: readonly K[],
): Record<K, SQL> {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  return Object.fromEntries(keys.map((k) => [k, sql.raw(`excluded.${columns[k]!.name}`)])) as Record<K, SQL>;
}

/**
 * The rule of a row stamped with the seq of the object's audit stream it was
 * folded from: `newer` applies a proposed row only past the stored row's seq
 * (a batch sent again, or an older one arriving late, changes nothing);
 * `repair` also at it (a row corrupted without its seq moving), never over a newer one.
 */
export function seqGuard(table: SQLiteTable, when: "newer" | "repair"): SQL {
  return sql.raw(`excluded.last_seq ${when === "newer" ? ">" : ">="} ${getTableName(table)}.last_seq`);
}
