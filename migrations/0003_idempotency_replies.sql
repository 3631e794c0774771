CREATE TABLE `idempotency_replies` (
	`key` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer NOT NULL,
	`body` text NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idempotency_replies_by_age` ON `idempotency_replies` (`created_at_ms`);