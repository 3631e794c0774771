CREATE TABLE `slo_alerts` (
	`slo` text PRIMARY KEY NOT NULL,
	`breached` integer NOT NULL,
	`changed_at_ms` integer NOT NULL,
	`version` integer NOT NULL,
	`unsent` text,
	`memory` text
);
