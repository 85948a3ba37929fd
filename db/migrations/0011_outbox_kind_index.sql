DROP INDEX `outbox_due_idx`;--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`kind`,`status`,`next_attempt_at`);