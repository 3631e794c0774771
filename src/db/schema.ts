import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * D1 schema (drizzle). Migrations in ../../migrations are generated from this
 * file with `npm run db:generate`; never edit an applied migration.
 */

export const sales = sqliteTable("sales", {
  saleId: text("sale_id").primaryKey(),
  name: text("name").notNull(),
  startsAtMs: integer("starts_at_ms").notNull(),
  endsAtMs: integer("ends_at_ms").notNull(),
  /** Bumped by every write; SKU objects ignore a pushed rule older than the one they hold. */
  revision: integer("revision").notNull(),
  createdAtMs: integer("created_at_ms").notNull(),
  updatedAtMs: integer("updated_at_ms").notNull(),
});

export const saleItems = sqliteTable(
  "sale_items",
  {
    saleId: text("sale_id")
      .notNull()
      .references(() => sales.saleId, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    position: integer("position").notNull(),
    priceAmount: integer("price_amount").notNull(),
    currency: text("currency").notNull(),
    perCustomerLimit: integer("per_customer_limit").notNull(),
    maxPerOrder: integer("max_per_order"),
    holdSeconds: integer("hold_seconds"),
    paymentSeconds: integer("payment_seconds"),
  },
  (t) => [primaryKey({ columns: [t.saleId, t.sku] }), index("sale_items_by_sku").on(t.sku)],
);

export type SaleRow = typeof sales.$inferSelect;
export type SaleItemRow = typeof saleItems.$inferSelect;
