CREATE TABLE `order_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`queue` text NOT NULL,
	`body` text NOT NULL,
	`deliver_at_ms` integer,
	`created_at_ms` integer NOT NULL,
	`sent_at_ms` integer
);
--> statement-breakpoint
CREATE INDEX `order_outbox_unsent` ON `order_outbox` (`created_at_ms`) WHERE sent_at_ms IS NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `refunded_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Orders placed before the outbox: an uncharged order gets its payment job, every open order its deadline job (both harmless if sent already).
INSERT OR IGNORE INTO `order_outbox` (`id`, `order_id`, `queue`, `body`, `deliver_at_ms`, `created_at_ms`, `sent_at_ms`)
  SELECT 'payment:' || `order_id` || ':' || `payment_attempt`, `order_id`, 'payments', json_object('orderId', `order_id`), NULL, `updated_at_ms`, NULL
  FROM `orders` WHERE `status` = 'pending_payment' AND `payment_status` IS NULL;--> statement-breakpoint
INSERT OR IGNORE INTO `order_outbox` (`id`, `order_id`, `queue`, `body`, `deliver_at_ms`, `created_at_ms`, `sent_at_ms`)
  SELECT 'payment:' || `order_id` || ':' || `payment_attempt` || ':deadline', `order_id`, 'payments', json_object('orderId', `order_id`), `expires_at_ms` + 1000, `updated_at_ms`, NULL
  FROM `orders` WHERE `status` IN ('pending_payment', 'payment_failed');
