CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_email` text NOT NULL,
	`service_id` text,
	`provider_id` text,
	`provider_order_id` text,
	`link` text NOT NULL,
	`quantity` integer NOT NULL,
	`charge_micros` integer NOT NULL,
	`currency` text NOT NULL,
	`panel_refunded_micros` integer DEFAULT 0 NOT NULL,
	`start_count` integer,
	`remains` integer,
	`status` text NOT NULL,
	`status_text` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	`synced_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_customer_email_idx` ON `orders` (`customer_email`);--> statement-breakpoint
CREATE INDEX `orders_link_idx` ON `orders` (`link`);--> statement-breakpoint
CREATE INDEX `orders_provider_idx` ON `orders` (`provider_id`,`provider_order_id`);--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`api_url` text,
	`api_key_sealed` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `services` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`provider_id` text,
	`refill_days` integer NOT NULL,
	`cancel_allowed` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `ticket_orders` ADD `known_at_intake` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `ticket_orders` ADD `email_matches` integer;