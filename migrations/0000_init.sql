CREATE TABLE `sale_items` (
	`sale_id` text NOT NULL,
	`sku` text NOT NULL,
	`position` integer NOT NULL,
	`price_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`per_customer_limit` integer NOT NULL,
	`max_per_order` integer,
	`hold_seconds` integer,
	`payment_seconds` integer,
	PRIMARY KEY(`sale_id`, `sku`),
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`sale_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sale_items_by_sku` ON `sale_items` (`sku`);--> statement-breakpoint
CREATE TABLE `sales` (
	`sale_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`starts_at_ms` integer NOT NULL,
	`ends_at_ms` integer NOT NULL,
	`revision` integer NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
