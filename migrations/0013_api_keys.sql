CREATE TABLE `api_keys` (
	`key_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`locations` text,
	`secret_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`expires_at_ms` integer,
	`revoked_at_ms` integer,
	`last_used_at_ms` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_by_secret` ON `api_keys` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `webhook_secrets` (
	`secret_id` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`retired_at_ms` integer
);
