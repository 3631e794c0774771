CREATE TABLE `customer_holds` (
	`hold_id` text PRIMARY KEY NOT NULL,
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
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customer_holds_by_customer` ON `customer_holds` (`customer_id`,`expires_at_ms`);--> statement-breakpoint
CREATE INDEX `customer_holds_by_update` ON `customer_holds` (`updated_at_ms`);