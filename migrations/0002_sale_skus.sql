CREATE TABLE `sale_skus` (
	`sale_id` text NOT NULL,
	`sku` text NOT NULL,
	PRIMARY KEY(`sale_id`, `sku`),
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`sale_id`) ON UPDATE no action ON DELETE cascade
);
