CREATE INDEX `ledger_entries_created_idx` ON `ledger_entries` (`created_at`);--> statement-breakpoint
CREATE INDEX `provider_actions_action_idx` ON `provider_actions` (`action`,`created_at`);