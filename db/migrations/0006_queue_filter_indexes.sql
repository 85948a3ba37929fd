CREATE INDEX `orders_status_idx` ON `orders` (`status`);--> statement-breakpoint
CREATE INDEX `tickets_status_reason_idx` ON `tickets` (`status`,`reason`);--> statement-breakpoint
CREATE INDEX `tickets_status_language_idx` ON `tickets` (`status`,`language`);