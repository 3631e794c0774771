ALTER TABLE `sales` ADD `queue_mode` text;--> statement-breakpoint
ALTER TABLE `sales` ADD `queue_prequeue_seconds` integer;--> statement-breakpoint
ALTER TABLE `sales` ADD `queue_admit_seconds` integer;