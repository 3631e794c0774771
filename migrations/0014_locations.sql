CREATE TABLE `locations` (
	`location_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`latitude` real,
	`longitude` real,
	`fulfills_online` integer NOT NULL,
	`pickup` integer NOT NULL,
	`priority` integer NOT NULL,
	`status` text NOT NULL,
	`revision` integer NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sku_locations` (
	`sku` text NOT NULL,
	`location_id` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	PRIMARY KEY(`sku`, `location_id`)
);
--> statement-breakpoint
CREATE INDEX `sku_locations_by_location` ON `sku_locations` (`location_id`,`sku`);