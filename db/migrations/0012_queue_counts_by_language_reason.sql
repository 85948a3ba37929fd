-- The queue's tab counts by status, language and reason (was: by status only), so a
-- view filtered by language or reason shows exact counts without counting tickets;
-- and the queue's order inside one reason or one language, so a filtered page is an
-- ordered index walk that stops after one page instead of a sort.
CREATE TABLE `ticket_counts` (
	`status` text NOT NULL,
	`language` text NOT NULL,
	`reason` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`status`, `language`, `reason`)
);
--> statement-breakpoint
INSERT INTO `ticket_counts` (`status`, `language`, `reason`, `n`)
  SELECT `status`, `language`, `reason`, count(*) FROM `tickets` GROUP BY `status`, `language`, `reason`;
--> statement-breakpoint
DROP TRIGGER `tickets_count_insert`;
--> statement-breakpoint
DROP TRIGGER `tickets_count_delete`;
--> statement-breakpoint
DROP TRIGGER `tickets_count_update`;
--> statement-breakpoint
DROP TABLE `ticket_status_counts`;
--> statement-breakpoint
CREATE TRIGGER `tickets_count_insert` AFTER INSERT ON `tickets`
BEGIN
  INSERT INTO `ticket_counts` (`status`, `language`, `reason`, `n`) VALUES (NEW.`status`, NEW.`language`, NEW.`reason`, 1)
    ON CONFLICT (`status`, `language`, `reason`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_count_delete` AFTER DELETE ON `tickets`
BEGIN
  UPDATE `ticket_counts` SET `n` = `n` - 1
    WHERE `status` = OLD.`status` AND `language` = OLD.`language` AND `reason` = OLD.`reason`;
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_count_update` AFTER UPDATE OF `status`, `language`, `reason` ON `tickets`
  WHEN OLD.`status` <> NEW.`status` OR OLD.`language` <> NEW.`language` OR OLD.`reason` <> NEW.`reason`
BEGIN
  UPDATE `ticket_counts` SET `n` = `n` - 1
    WHERE `status` = OLD.`status` AND `language` = OLD.`language` AND `reason` = OLD.`reason`;
  INSERT INTO `ticket_counts` (`status`, `language`, `reason`, `n`) VALUES (NEW.`status`, NEW.`language`, NEW.`reason`, 1)
    ON CONFLICT (`status`, `language`, `reason`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
DROP INDEX `tickets_status_reason_idx`;
--> statement-breakpoint
DROP INDEX `tickets_status_language_idx`;
--> statement-breakpoint
CREATE INDEX `tickets_reason_queue_idx` ON `tickets` (`status`,`reason`,`urgency`,`sla_due_at`,`id`);
--> statement-breakpoint
CREATE INDEX `tickets_language_queue_idx` ON `tickets` (`status`,`language`,`urgency`,`sla_due_at`,`id`);
