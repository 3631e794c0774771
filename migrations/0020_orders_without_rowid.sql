-- Issue 18, D1 rows: orders was the last rowid table keyed by text, so every order wrote
-- its key twice (the table row and the key's index). WITHOUT ROWID keeps the row in the
-- key's own b-tree: one row written per order fewer, and the secondary indexes end in
-- order_id, so the list's (created_at_ms, order_id) order is read from them unsorted.
-- Columns, defaults and indexes are unchanged.
--
-- order_items references orders ON DELETE CASCADE, and with foreign keys enforced
-- DROP TABLE orders deletes every row first, cascading into order_items. So the items
-- are parked in a table without the reference, the child dropped before its parent, and
-- order_items made again (as 0019 made it) once the new orders has the name.
CREATE TABLE `orders_new` (
	`order_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`status` text NOT NULL,
	`total_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`payment_provider` text NOT NULL,
	`payment_method` text NOT NULL,
	`payment_status` text,
	`intent_id` text,
	`client_secret` text,
	`failure_reason` text,
	`refund_id` text,
	`refund_reason` text,
	`restocked` integer,
	`idempotency_key` text,
	`request_hash` text,
	`version` integer NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`refund_status` text,
	`refund_restock` integer,
	`payment_attempt` integer DEFAULT 1 NOT NULL,
	`refund_intent_id` text,
	`refund_attempts` integer DEFAULT 0 NOT NULL,
	`refund_next_at_ms` integer,
	`dispute_status` text,
	`refunded_amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`order_id`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `orders_new` (`order_id`, `customer_id`, `status`, `total_amount`, `currency`, `payment_provider`, `payment_method`, `payment_status`, `intent_id`, `client_secret`, `failure_reason`, `refund_id`, `refund_reason`, `restocked`, `idempotency_key`, `request_hash`, `version`, `expires_at_ms`, `created_at_ms`, `updated_at_ms`, `refund_status`, `refund_restock`, `payment_attempt`, `refund_intent_id`, `refund_attempts`, `refund_next_at_ms`, `dispute_status`, `refunded_amount`) SELECT `order_id`, `customer_id`, `status`, `total_amount`, `currency`, `payment_provider`, `payment_method`, `payment_status`, `intent_id`, `client_secret`, `failure_reason`, `refund_id`, `refund_reason`, `restocked`, `idempotency_key`, `request_hash`, `version`, `expires_at_ms`, `created_at_ms`, `updated_at_ms`, `refund_status`, `refund_restock`, `payment_attempt`, `refund_intent_id`, `refund_attempts`, `refund_next_at_ms`, `dispute_status`, `refunded_amount` FROM `orders`;--> statement-breakpoint
CREATE TABLE `order_items_parked` (
	`order_id` text NOT NULL,
	`hold_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	`allocations` text,
	PRIMARY KEY(`order_id`, `hold_id`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `order_items_parked` (`order_id`, `hold_id`, `sku`, `quantity`, `unit_amount`, `allocations`) SELECT `order_id`, `hold_id`, `sku`, `quantity`, `unit_amount`, `allocations` FROM `order_items`;--> statement-breakpoint
DROP TABLE `order_items`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `orders_new` RENAME TO `orders`;--> statement-breakpoint
CREATE INDEX `orders_by_status` ON `orders` (`status`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `orders_by_created` ON `orders` (`created_at_ms`);--> statement-breakpoint
CREATE INDEX `orders_by_customer` ON `orders` (`customer_id`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `orders_refund_pending` ON `orders` (`updated_at_ms`) WHERE refund_status = 'pending';--> statement-breakpoint
CREATE INDEX `orders_by_intent` ON `orders` (`intent_id`) WHERE intent_id IS NOT NULL;--> statement-breakpoint
CREATE TABLE `order_items` (
	`order_id` text NOT NULL,
	`hold_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	`allocations` text,
	PRIMARY KEY(`order_id`, `hold_id`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`order_id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `order_items` (`order_id`, `hold_id`, `sku`, `quantity`, `unit_amount`, `allocations`) SELECT `order_id`, `hold_id`, `sku`, `quantity`, `unit_amount`, `allocations` FROM `order_items_parked`;--> statement-breakpoint
DROP TABLE `order_items_parked`;--> statement-breakpoint
CREATE INDEX `order_items_by_sku` ON `order_items` (`sku`,`order_id`);
