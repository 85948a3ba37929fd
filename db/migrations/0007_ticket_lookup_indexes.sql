CREATE INDEX `decisions_ticket_idx` ON `decisions` (`ticket_id`,`state`);--> statement-breakpoint
CREATE INDEX `tickets_customer_idx` ON `tickets` (`customer_id`,`id`);