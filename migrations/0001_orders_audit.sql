CREATE TABLE `audit_events` (
	`stream` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`at_ms` integer NOT NULL,
	`data` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`stream`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `audit_events_by_time` ON `audit_events` (`at_ms`);--> statement-breakpoint
CREATE TABLE `inventory` (
	`sku` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`on_hand` integer NOT NULL,
	`reserved` integer NOT NULL,
	`available` integer NOT NULL,
	`sold` integer NOT NULL,
	`received` integer NOT NULL,
	`last_seq` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inventory_by_available` ON `inventory` (`available`);--> statement-breakpoint
CREATE TABLE `order_items` (
	`order_id` text NOT NULL,
	`hold_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	PRIMARY KEY(`order_id`, `hold_id`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`order_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `order_items_by_sku` ON `order_items` (`sku`,`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`order_id` text PRIMARY KEY NOT NULL,
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
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_idempotency_key_unique` ON `orders` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `orders_by_status` ON `orders` (`status`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `orders_by_created` ON `orders` (`created_at_ms`);--> statement-breakpoint
CREATE INDEX `orders_by_customer` ON `orders` (`customer_id`,`created_at_ms`);--> statement-breakpoint
CREATE TABLE `processed_webhooks` (
	`event_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`received_at_ms` integer NOT NULL
);
