-- Replies now keep the operation's outcome, not a rendered HTTP body. SQLite
-- cannot add a NOT NULL column without a default, and replies in the old
-- shape (24 h at most) cannot be replayed in the new one, so the table is made anew.
DROP TABLE `idempotency_replies`;--> statement-breakpoint
CREATE TABLE `idempotency_replies` (
	`key` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL,
	`outcome` text NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idempotency_replies_by_age` ON `idempotency_replies` (`created_at_ms`);--> statement-breakpoint
ALTER TABLE `inventory` ADD `returned` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `refund_status` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `refund_restock` integer;--> statement-breakpoint
CREATE INDEX `orders_refund_pending` ON `orders` (`updated_at_ms`) WHERE refund_status = 'pending';
