CREATE TABLE `canned_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`language` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `canned_responses_key_lang_uq` ON `canned_responses` (`key`,`language`);--> statement-breakpoint
CREATE TABLE `checklist_ticks` (
	`ticket_id` integer NOT NULL,
	`order_key` text NOT NULL,
	`item_key` text NOT NULL,
	`ticked_by` integer NOT NULL,
	`ticked_at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `order_key`, `item_key`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ticked_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`order_key` text NOT NULL,
	`order_id` text,
	`state` text NOT NULL,
	`outcome` text NOT NULL,
	`destination` text,
	`amount_micros` integer DEFAULT 0 NOT NULL,
	`fee_micros` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`method` text,
	`reference` text,
	`reject_reason` text,
	`rule` text NOT NULL,
	`recommended_outcome` text,
	`override_note` text,
	`order_status` text,
	`provider_action_id` integer,
	`decided_by` integer NOT NULL,
	`decided_at` integer NOT NULL,
	`issued_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`provider_action_id`) REFERENCES `provider_actions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `decisions_one_per_order_uq` ON `decisions` (`ticket_id`,`order_key`) WHERE "state" <> 'void';--> statement-breakpoint
CREATE INDEX `decisions_issued_idx` ON `decisions` (`issued_at`,`id`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`decision_id` integer NOT NULL,
	`ticket_id` integer NOT NULL,
	`order_id` text,
	`kind` text NOT NULL,
	`amount_micros` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`decision_id`) REFERENCES `decisions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_decision_id_unique` ON `ledger_entries` (`decision_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_order_uq` ON `ledger_entries` (`order_id`) WHERE "order_id" is not null;--> statement-breakpoint
CREATE TABLE `provider_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`order_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`message` text,
	`refill_id` text,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `provider_actions_order_idx` ON `provider_actions` (`order_id`,`id`);--> statement-breakpoint
CREATE TABLE `ticket_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ticket_views` (
	`ticket_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `user_id`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `tickets` ADD `urgency` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_due_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_paused_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rating` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rating_comment` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rated_at` integer;--> statement-breakpoint
CREATE INDEX `tickets_queue_idx` ON `tickets` (`status`,`urgency`,`sla_due_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_queue_idx` ON `tickets` (`assignee_id`,`status`,`urgency`,`sla_due_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_link_idx` ON `tickets` (`link`);