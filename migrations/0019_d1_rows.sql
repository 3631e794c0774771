DROP INDEX `customer_holds_by_update`;--> statement-breakpoint
CREATE INDEX `customer_holds_ended` ON `customer_holds` (`updated_at_ms`) WHERE stage >= 2;--> statement-breakpoint
DROP INDEX `inventory_by_available`;--> statement-breakpoint
DROP INDEX `orders_idempotency_key_unique`;--> statement-breakpoint
DROP INDEX `orders_by_intent`;--> statement-breakpoint
CREATE INDEX `orders_by_intent` ON `orders` (`intent_id`) WHERE intent_id IS NOT NULL;--> statement-breakpoint
-- Issue 18, D1 rows: a rowid table keyed by something else writes its key twice (the
-- table and the key's index); WITHOUT ROWID stores the row in the key's own b-tree,
-- one row written per insert fewer. Columns, keys, indexes and triggers are unchanged.
CREATE TABLE `audit_events_new` (
	`stream` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`at_ms` integer NOT NULL,
	`data` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`stream`, `seq`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `audit_events_new` (`stream`, `seq`, `type`, `at_ms`, `data`, `prev_hash`, `hash`) SELECT `stream`, `seq`, `type`, `at_ms`, `data`, `prev_hash`, `hash` FROM `audit_events`;--> statement-breakpoint
DROP TABLE `audit_events`;--> statement-breakpoint
ALTER TABLE `audit_events_new` RENAME TO `audit_events`;--> statement-breakpoint
CREATE INDEX `audit_events_by_time` ON `audit_events` (`at_ms`);--> statement-breakpoint
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only: an event is never changed');
END;--> statement-breakpoint
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events`
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only: an event is never removed');
END;--> statement-breakpoint
CREATE TABLE `order_items_new` (
	`order_id` text NOT NULL,
	`hold_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	`allocations` text,
	PRIMARY KEY(`order_id`, `hold_id`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`order_id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `order_items_new` (`order_id`, `hold_id`, `sku`, `quantity`, `unit_amount`, `allocations`) SELECT `order_id`, `hold_id`, `sku`, `quantity`, `unit_amount`, `allocations` FROM `order_items`;--> statement-breakpoint
DROP TABLE `order_items`;--> statement-breakpoint
ALTER TABLE `order_items_new` RENAME TO `order_items`;--> statement-breakpoint
CREATE INDEX `order_items_by_sku` ON `order_items` (`sku`,`order_id`);--> statement-breakpoint
CREATE TABLE `order_outbox_new` (
	`id` text NOT NULL,
	`order_id` text NOT NULL,
	`queue` text NOT NULL,
	`body` text NOT NULL,
	`deliver_at_ms` integer,
	`created_at_ms` integer NOT NULL,
	`sent_at_ms` integer,
	PRIMARY KEY(`id`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `order_outbox_new` (`id`, `order_id`, `queue`, `body`, `deliver_at_ms`, `created_at_ms`, `sent_at_ms`) SELECT `id`, `order_id`, `queue`, `body`, `deliver_at_ms`, `created_at_ms`, `sent_at_ms` FROM `order_outbox`;--> statement-breakpoint
DROP TABLE `order_outbox`;--> statement-breakpoint
ALTER TABLE `order_outbox_new` RENAME TO `order_outbox`;--> statement-breakpoint
CREATE INDEX `order_outbox_unsent` ON `order_outbox` (`created_at_ms`) WHERE sent_at_ms IS NULL;--> statement-breakpoint
CREATE TABLE `idempotency_replies_new` (
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`outcome` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	PRIMARY KEY(`key`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `idempotency_replies_new` (`key`, `request_hash`, `outcome`, `created_at_ms`) SELECT `key`, `request_hash`, `outcome`, `created_at_ms` FROM `idempotency_replies`;--> statement-breakpoint
DROP TABLE `idempotency_replies`;--> statement-breakpoint
ALTER TABLE `idempotency_replies_new` RENAME TO `idempotency_replies`;--> statement-breakpoint
CREATE INDEX `idempotency_replies_by_age` ON `idempotency_replies` (`created_at_ms`);--> statement-breakpoint
CREATE TABLE `customer_holds_new` (
	`hold_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`status` text NOT NULL,
	`stage` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`sale_id` text,
	`order_id` text,
	`created_at_ms` integer NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	PRIMARY KEY(`hold_id`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `customer_holds_new` (`hold_id`, `customer_id`, `sku`, `quantity`, `status`, `stage`, `unit_amount`, `currency`, `sale_id`, `order_id`, `created_at_ms`, `expires_at_ms`, `updated_at_ms`) SELECT `hold_id`, `customer_id`, `sku`, `quantity`, `status`, `stage`, `unit_amount`, `currency`, `sale_id`, `order_id`, `created_at_ms`, `expires_at_ms`, `updated_at_ms` FROM `customer_holds`;--> statement-breakpoint
DROP TABLE `customer_holds`;--> statement-breakpoint
ALTER TABLE `customer_holds_new` RENAME TO `customer_holds`;--> statement-breakpoint
CREATE INDEX `customer_holds_by_customer` ON `customer_holds` (`customer_id`,`expires_at_ms`);--> statement-breakpoint
CREATE INDEX `customer_holds_ended` ON `customer_holds` (`updated_at_ms`) WHERE stage >= 2;
