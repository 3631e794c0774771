ALTER TABLE `orders` ADD `refund_intent_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `refund_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `refund_next_at_ms` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `dispute_status` text;--> statement-breakpoint
CREATE INDEX `orders_by_intent` ON `orders` (`intent_id`);--> statement-breakpoint
-- A refund recorded before refunds named their target was for the order's intent of that time.
UPDATE `orders` SET `refund_intent_id` = `intent_id` WHERE `refund_status` = 'pending' AND `refund_intent_id` IS NULL;--> statement-breakpoint
-- A client secret is the shopper's only while the payment waits on them.
UPDATE `orders` SET `client_secret` = NULL WHERE `status` <> 'pending_payment' AND `client_secret` IS NOT NULL;
