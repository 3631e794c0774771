CREATE TABLE `inventory_locations` (
	`sku` text NOT NULL,
	`location` text NOT NULL,
	`on_hand` integer NOT NULL,
	`reserved` integer NOT NULL,
	`available` integer NOT NULL,
	`sold` integer NOT NULL,
	`in_transit` integer NOT NULL,
	`safety_stock` integer NOT NULL,
	`version` integer NOT NULL,
	`last_seq` integer NOT NULL,
	`as_of_ms` integer NOT NULL,
	PRIMARY KEY(`sku`, `location`)
);
--> statement-breakpoint
CREATE INDEX `inventory_locations_by_location` ON `inventory_locations` (`location`,`sku`);