ALTER TABLE `sale_items` ADD `priority` integer;--> statement-breakpoint
CREATE INDEX `sales_by_start` ON `sales` (`starts_at_ms`,`sale_id`);