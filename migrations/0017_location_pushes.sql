ALTER TABLE `sku_locations` ADD `pushed_revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `sku_locations_behind` ON `sku_locations` (`location_id`,`pushed_revision`);