import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Allocation } from "../domain/locations";

/**
 * D1 schema (drizzle). Migrations in ../../migrations are generated from this
 * file with `npm run db:generate`; never edit an applied migration.
 */

export const sales = sqliteTable(
  "sales",
  {
    saleId: text("sale_id").primaryKey(),
    name: text("name").notNull(),
    startsAtMs: integer("starts_at_ms").notNull(),
    endsAtMs: integer("ends_at_ms").notNull(),
    /** Bumped by every write; SKU objects ignore a pushed rule older than the one they hold. */
    revision: integer("revision").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
    /** Waiting room (spec §9): `fifo` or `lottery`; null, the sale has none. */
    queueMode: text("queue_mode", { enum: ["fifo", "lottery"] }),
    queuePrequeueSeconds: integer("queue_prequeue_seconds"),
    queueAdmitSeconds: integer("queue_admit_seconds"),
  },
  // The merchant's list (GET /v1/sales) pages newest start first.
  (t) => [index("sales_by_start").on(t.startsAtMs, t.saleId)],
);

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
    holdsPerMinute: integer("holds_per_minute"),
    paymentSeconds: integer("payment_seconds"),
    /** Which of two overlapping sales of one SKU prices it while both are live (higher wins); null: it may not overlap. */
    priority: integer("priority"),
  },
  (t) => [primaryKey({ columns: [t.saleId, t.sku] }), index("sale_items_by_sku").on(t.sku)],
);

/**
 * Every SKU a sale has ever listed. A write removes the sale from each of them
 * it no longer lists, read after its own batch commits, so a write that races
 * another still reaches the SKUs that one added.
 */
export const saleSkus = sqliteTable(
  "sale_skus",
  {
    saleId: text("sale_id")
      .notNull()
      .references(() => sales.saleId, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
  },
  (t) => [primaryKey({ columns: [t.saleId, t.sku] })],
);

export type SaleRow = typeof sales.$inferSelect;
export type SaleItemRow = typeof saleItems.$inferSelect;

export const orders = sqliteTable(
  "orders",
  {
    orderId: text("order_id").primaryKey(),
    customerId: text("customer_id").notNull(),
    status: text("status", {
      enum: ["pending_payment", "paid", "fulfilled", "payment_failed", "expired", "cancelled", "refunded"],
    }).notNull(),
    totalAmount: integer("total_amount").notNull(),
    currency: text("currency").notNull(),
    paymentProvider: text("payment_provider", { enum: ["stripe", "simulated"] }).notNull(),
    paymentMethod: text("payment_method").notNull(),
    /** Provider-side status, e.g. requires_action, succeeded. */
    paymentStatus: text("payment_status"),
    intentId: text("intent_id"),
    clientSecret: text("client_secret"),
    failureReason: text("failure_reason"),
    refundId: text("refund_id"),
    refundReason: text("refund_reason"),
    restocked: integer("restocked", { mode: "boolean" }),
    /**
     * A refund is recorded as `pending` (with whether to restock) before the
     * provider is called, and `succeeded` with the order's final move, so a
     * crash between the two heals on retry and a racing fulfil is refused.
     */
    refundStatus: text("refund_status", { enum: ["pending", "succeeded"] }),
    refundRestock: integer("refund_restock", { mode: "boolean" }),
    /**
     * The intent a recorded refund gives money back on, set with the record
     * and never overwritten: a later attempt's intent (order.intentId) is
     * another payment. A pending refund without one cannot complete.
     */
    refundIntentId: text("refund_intent_id"),
    /** Failed attempts of the pending refund, and when the sweep may try it next (backoff, so failing refunds go to the back). */
    refundAttempts: integer("refund_attempts").notNull().default(0),
    refundNextAtMs: integer("refund_next_at_ms"),
    /** A cardholder's dispute of the payment (Stripe's charge.dispute.*): while `open` or once `lost`, the order is not fulfilled. */
    disputeStatus: text("dispute_status", { enum: ["open", "won", "lost"] }),
    /** Minor units refunded at the provider so far (a partial refund in its dashboard leaves the order as it is). */
    refundedAmount: integer("refunded_amount").notNull().default(0),
    /**
     * Which payment attempt the order is on: 1 at checkout, +1 for each retry
     * after a decline (POST /v1/orders/{orderId}/pay). The provider's
     * idempotency key and the intent's metadata carry it, so each attempt is
     * its own charge and an old attempt's events cannot move the order.
     */
    paymentAttempt: integer("payment_attempt").notNull().default(1),
    /**
     * `<customer>|<Idempotency-Key>` of the checkout that made it, and that
     * request's hash. Not indexed: the order's id is derived from the key
     * (src/orders/checkout.ts), so the primary key already makes it unique.
     */
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash"),
    /** Number of events in the order's audit stream: the compare-and-swap token of every transition. */
    version: integer("version").notNull(),
    expiresAtMs: integer("expires_at_ms").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [
    index("orders_by_status").on(t.status, t.createdAtMs),
    index("orders_by_created").on(t.createdAtMs),
    index("orders_by_customer").on(t.customerId, t.createdAtMs),
    // The scheduled sweep finds refunds left pending without scanning every order.
    index("orders_refund_pending").on(t.updatedAtMs).where(sql`refund_status = 'pending'`),
    // Stripe's charge and dispute events name the intent, not the order; an order gets one only when charged.
    index("orders_by_intent").on(t.intentId).where(sql`intent_id IS NOT NULL`),
  ],
);

/**
 * The orders' outbox: the payment jobs and shopper notifications a move of an
 * order causes, written in the move's own D1 batch (only if the move applied),
 * sent after it and marked sent; the sweep re-sends rows a crash left unsent.
 * The id is the message's stable id, so a row is written once per effect.
 */
export const orderOutbox = sqliteTable(
  "order_outbox",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    queue: text("queue", { enum: ["payments", "notifications"] }).notNull(),
    body: text("body").notNull(),
    /** A delayed payment job (the order's deadline) is due then, however late it is re-sent. */
    deliverAtMs: integer("deliver_at_ms"),
    createdAtMs: integer("created_at_ms").notNull(),
    sentAtMs: integer("sent_at_ms"),
  },
  (t) => [index("order_outbox_unsent").on(t.createdAtMs).where(sql`sent_at_ms IS NULL`)],
);

export const orderItems = sqliteTable(
  "order_items",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.orderId, { onDelete: "cascade" }),
    holdId: text("hold_id").notNull(),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    unitAmount: integer("unit_amount").notNull(),
    /** The hold's allocation on a located SKU (spec §11), JSON `[{ location, quantity }]`; null on an unlocated one. Fulfilment follows it. */
    allocations: text("allocations", { mode: "json" }).$type<Allocation[]>(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.holdId] }), index("order_items_by_sku").on(t.sku, t.orderId)],
);

/**
 * Append-only audit log (spec §7): one hash chain per stream, appended
 * only at `seq = previous + 1`, so the primary key is the compare-and-swap
 * that keeps each stream single-writer and every event stored once.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    stream: text("stream").notNull(),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    atMs: integer("at_ms").notNull(),
    /** Canonical JSON of the event's data. */
    data: text("data").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.stream, t.seq] }), index("audit_events_by_time").on(t.atMs)],
);

/**
 * Per-SKU levels folded from the SKU streams' shipped events, for the merchant's
 * list. No index on `available`: the list filters the sum over a SKU's objects
 * (HAVING), which no index serves, and each shipped batch would rewrite it.
 */
export const inventory = sqliteTable("inventory", {
  sku: text("sku").primaryKey(),
  name: text("name").notNull(),
  onHand: integer("on_hand").notNull(),
  reserved: integer("reserved").notNull(),
  available: integer("available").notNull(),
  sold: integer("sold").notNull(),
  received: integer("received").notNull(),
  returned: integer("returned").notNull().default(0),
  /** Seq of the last event folded in; older events never overwrite newer levels. */
  lastSeq: integer("last_seq").notNull(),
  updatedAtMs: integer("updated_at_ms").notNull(),
});

/**
 * Replies to idempotent POSTs that the Worker answers itself (checkout, order
 * actions); SKU mutations keep theirs in the SKU's object. Kept 24 h.
 */
export const idempotencyReplies = sqliteTable(
  "idempotency_replies",
  {
    key: text("key").primaryKey(),
    requestHash: text("request_hash").notNull(),
    /** The operation's outcome as JSON; the route turns it into the response as it did the first time. */
    outcome: text("outcome").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
  },
  (t) => [index("idempotency_replies_by_age").on(t.createdAtMs)],
);

/** Provider webhook events already handled (Stripe retries and duplicates them). */
export const processedWebhooks = sqliteTable("processed_webhooks", {
  eventId: text("event_id").primaryKey(),
  type: text("type").notNull(),
  receivedAtMs: integer("received_at_ms").notNull(),
});

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;

/**
 * Each customer's holds across SKUs (`GET /v1/me/holds`), folded from the
 * `hold.*` events the SKU objects already ship to D1 (./stock/outbox.ts),
 * in the same batch as their audit events: the reserve path writes nothing
 * more, and this view trails the objects by about a second. `stage` orders the
 * statuses (held 0, checkout 1, released/expired/committed 2, returned 3) so a
 * row only moves forward, whatever order re-sent batches arrive in.
 */
export const customerHolds = sqliteTable(
  "customer_holds",
  {
    holdId: text("hold_id").primaryKey(),
    customerId: text("customer_id").notNull(),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    status: text("status", { enum: ["held", "checkout", "committed", "released", "expired", "returned"] }).notNull(),
    stage: integer("stage").notNull(),
    unitAmount: integer("unit_amount").notNull(),
    currency: text("currency").notNull(),
    saleId: text("sale_id"),
    orderId: text("order_id"),
    createdAtMs: integer("created_at_ms").notNull(),
    expiresAtMs: integer("expires_at_ms").notNull(),
    /** When the event that set this state happened (the scheduled sweep prunes old ended rows by it). */
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [
    index("customer_holds_by_customer").on(t.customerId, t.expiresAtMs),
    // Only ended holds (stage 2 and on) are pruned by age, so only they carry an entry: a new hold writes none.
    index("customer_holds_ended").on(t.updatedAtMs).where(sql`stage >= 2`),
  ],
);

export type CustomerHoldRow = typeof customerHolds.$inferSelect;

/**
 * Merchant API keys (spec §12). The secret is kept only as its SHA-256: it is
 * 256 random bits, so a fast hash is as good as a slow one and a lookup costs
 * one indexed read. `locations` is the key's scope as a JSON array of location
 * ids (spec §11), null for every location; `createdBy` is the creating key's id.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    keyId: text("key_id").primaryKey(),
    name: text("name").notNull(),
    role: text("role", { enum: ["owner", "manager", "fulfillment", "viewer"] }).notNull(),
    locations: text("locations"),
    secretHash: text("secret_hash").notNull(),
    createdBy: text("created_by").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    expiresAtMs: integer("expires_at_ms"),
    revokedAtMs: integer("revoked_at_ms"),
    /** Written at most once a minute per key (src/access/api-keys.ts), so a busy key costs no write per request. */
    lastUsedAtMs: integer("last_used_at_ms"),
  },
  (t) => [uniqueIndex("api_keys_by_secret").on(t.secretHash)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/**
 * Signing secrets of the merchant webhook besides `MERCHANT_WEBHOOK_SECRET`
 * (which has the id `env`): every active one signs each delivery, so a
 * receiver holding any of them verifies during a rotation. The secret itself
 * must be kept (it signs); retiring one sets `retiredAtMs`, and a retired
 * `env` row (its secret empty) retires the environment's secret.
 */
export const webhookSecrets = sqliteTable("webhook_secrets", {
  secretId: text("secret_id").primaryKey(),
  secret: text("secret").notNull(),
  createdAtMs: integer("created_at_ms").notNull(),
  retiredAtMs: integer("retired_at_ms"),
});

export type WebhookSecretRow = typeof webhookSecrets.$inferSelect;

/**
 * The merchant's locations (spec §11), the registry `PUT /v1/locations/{id}`
 * writes. `revision` rises by one per change: each SKU object stocking the
 * location keeps a copy for routing and takes a pushed copy only if newer.
 */
export const locations = sqliteTable("locations", {
  locationId: text("location_id").primaryKey(),
  name: text("name").notNull(),
  country: text("country").notNull(),
  latitude: real("latitude"),
  longitude: real("longitude"),
  fulfillsOnline: integer("fulfills_online", { mode: "boolean" }).notNull(),
  pickup: integer("pickup", { mode: "boolean" }).notNull(),
  priority: integer("priority").notNull(),
  status: text("status", { enum: ["active", "paused"] }).notNull(),
  revision: integer("revision").notNull(),
  createdAtMs: integer("created_at_ms").notNull(),
  updatedAtMs: integer("updated_at_ms").notNull(),
});

export type LocationRow = typeof locations.$inferSelect;

/**
 * Which SKUs stock which location: written before a SKU object is first
 * told of a location, so a change of the location reaches every object that
 * keeps a copy of it (src/locations/push.ts). `pushedRevision` is the
 * registry revision the object is known to hold (0: not known): a row behind
 * its location's revision is a push still owed, which the cron's sweep finds
 * through `sku_locations_behind` without a scan.
 */
export const skuLocations = sqliteTable(
  "sku_locations",
  {
    sku: text("sku").notNull(),
    locationId: text("location_id").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    pushedRevision: integer("pushed_revision").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.sku, t.locationId] }),
    index("sku_locations_by_location").on(t.locationId, t.sku),
    index("sku_locations_behind").on(t.locationId, t.pushedRevision),
  ],
);

/**
 * The state of each service-level alert (issue 21, src/metrics/alerts.ts):
 * one row per objective, so a breach is sent once, not every minute it lasts.
 */
export const sloAlerts = sqliteTable("slo_alerts", {
  slo: text("slo").primaryKey(),
  breached: integer("breached", { mode: "boolean" }).notNull(),
  /** When the state last changed: names the breach in its notifications' ids. */
  changedAtMs: integer("changed_at_ms").notNull(),
  /** Bumped by every write: of two evaluations at once, one writes and sends (compare-and-swap). */
  version: integer("version").notNull(),
  /** The notifications of changes not yet queued (JSON array): a crash or an outage in between, re-sent by the next evaluation. */
  unsent: text("unsent"),
  /** What the rule remembers for the next evaluation (JSON). */
  memory: text("memory"),
});

/**
 * The global view of stock per location (spec §11), folded from the SKU
 * objects' shipped events like `inventory`: one row per object (`sku`, or a
 * shard's `sku#n`) and location the object stocks. `last_seq` is the event's
 * seq in the object's audit stream: a row only moves to a newer seq, so a
 * redelivered or reordered batch changes nothing. An unlocated SKU has no row
 * here; the summary shows its `inventory` row as location `default`.
 */
export const inventoryLocations = sqliteTable(
  "inventory_locations",
  {
    sku: text("sku").notNull(),
    location: text("location").notNull(),
    onHand: integer("on_hand").notNull(),
    reserved: integer("reserved").notNull(),
    available: integer("available").notNull(),
    sold: integer("sold").notNull(),
    inTransit: integer("in_transit").notNull(),
    safetyStock: integer("safety_stock").notNull(),
    /** The SKU's `version` after the event (or the repair) that wrote the row. */
    version: integer("version").notNull(),
    lastSeq: integer("last_seq").notNull(),
    /** When the object was at these levels: the event's time, or the repair's reading. */
    asOfMs: integer("as_of_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.location] }), index("inventory_locations_by_location").on(t.location, t.sku)],
);
