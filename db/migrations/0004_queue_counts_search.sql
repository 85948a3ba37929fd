-- The queue's helpers, kept by the database itself so no code path can forget them:
-- status counts, the urgency of tickets about pending orders, the next SLA
-- deadline, and the full-text index over tickets and their messages.

-- Tickets per status.
INSERT INTO `ticket_status_counts` (`status`, `n`) SELECT `status`, count(*) FROM `tickets` GROUP BY `status`;
--> statement-breakpoint
CREATE TRIGGER `tickets_count_insert` AFTER INSERT ON `tickets`
BEGIN
  INSERT INTO `ticket_status_counts` (`status`, `n`) VALUES (NEW.`status`, 1)
    ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_count_delete` AFTER DELETE ON `tickets`
BEGIN
  UPDATE `ticket_status_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_count_update` AFTER UPDATE OF `status` ON `tickets` WHEN OLD.`status` <> NEW.`status`
BEGIN
  UPDATE `ticket_status_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
  INSERT INTO `ticket_status_counts` (`status`, `n`) VALUES (NEW.`status`, 1)
    ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint

-- The next SLA deadline: the first response until there is one, then the resolution;
-- none while waiting on the customer or once resolved, closed or merged.
UPDATE `tickets` SET `sla_due_at` = CASE
  WHEN `status` IN ('waiting_customer', 'resolved', 'closed', 'merged') THEN NULL
  WHEN `first_responded_at` IS NULL THEN min(`first_response_due_at`, `resolution_due_at`)
  ELSE `resolution_due_at` END;
--> statement-breakpoint
CREATE TRIGGER `tickets_sla_insert` AFTER INSERT ON `tickets`
BEGIN
  UPDATE `tickets` SET `sla_due_at` = CASE
    WHEN NEW.`status` IN ('waiting_customer', 'resolved', 'closed', 'merged') THEN NULL
    WHEN NEW.`first_responded_at` IS NULL THEN min(NEW.`first_response_due_at`, NEW.`resolution_due_at`)
    ELSE NEW.`resolution_due_at` END
  WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_sla_update` AFTER UPDATE OF `status`, `first_responded_at`, `first_response_due_at`, `resolution_due_at` ON `tickets`
BEGIN
  UPDATE `tickets` SET `sla_due_at` = CASE
    WHEN NEW.`status` IN ('waiting_customer', 'resolved', 'closed', 'merged') THEN NULL
    WHEN NEW.`first_responded_at` IS NULL THEN min(NEW.`first_response_due_at`, NEW.`resolution_due_at`)
    ELSE NEW.`resolution_due_at` END
  WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint

-- Urgency: 0 while any order of the ticket is still pending, else 1.
UPDATE `tickets` SET `urgency` = CASE WHEN EXISTS (
  SELECT 1 FROM `ticket_orders` `x` JOIN `orders` `o` ON `o`.`id` = `x`.`order_id`
  WHERE `x`.`ticket_id` = `tickets`.`id` AND `o`.`status` = 'pending') THEN 0 ELSE 1 END;
--> statement-breakpoint
CREATE TRIGGER `ticket_orders_urgency_insert` AFTER INSERT ON `ticket_orders`
WHEN EXISTS (SELECT 1 FROM `orders` WHERE `id` = NEW.`order_id` AND `status` = 'pending')
BEGIN
  UPDATE `tickets` SET `urgency` = 0 WHERE `id` = NEW.`ticket_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_urgency_insert` AFTER INSERT ON `orders`
BEGIN
  UPDATE `tickets` SET `urgency` = CASE WHEN NEW.`status` = 'pending' THEN 0 ELSE `urgency` END
  WHERE `id` IN (SELECT `ticket_id` FROM `ticket_orders` WHERE `order_id` = NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `orders_urgency_update` AFTER UPDATE OF `status` ON `orders` WHEN OLD.`status` <> NEW.`status`
BEGIN
  UPDATE `tickets` SET `urgency` = CASE WHEN EXISTS (
    SELECT 1 FROM `ticket_orders` `x` JOIN `orders` `o` ON `o`.`id` = `x`.`order_id`
    WHERE `x`.`ticket_id` = `tickets`.`id` AND `o`.`status` = 'pending') THEN 0 ELSE 1 END
  WHERE `id` IN (SELECT `ticket_id` FROM `ticket_orders` WHERE `order_id` = NEW.`id`);
END;
--> statement-breakpoint

-- Full text over each ticket: its number, email, order IDs, link, details and every message.
CREATE VIRTUAL TABLE `ticket_search` USING fts5(`number`, `email`, `orders`, `link`, `details`, `messages`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `ticket_search` (`rowid`, `number`, `email`, `orders`, `link`, `details`, `messages`)
SELECT `t`.`id`, `t`.`number`, `t`.`email`,
  coalesce((SELECT group_concat(`order_id`, ' ') FROM `ticket_orders` WHERE `ticket_id` = `t`.`id`), ''),
  coalesce(`t`.`link`, ''), `t`.`details`,
  coalesce((SELECT group_concat(`body`, ' ') FROM `messages` WHERE `ticket_id` = `t`.`id`), '')
FROM `tickets` `t`;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_insert` AFTER INSERT ON `tickets`
BEGIN
  INSERT INTO `ticket_search` (`rowid`, `number`, `email`, `orders`, `link`, `details`, `messages`)
  VALUES (NEW.`id`, NEW.`number`, NEW.`email`, '', coalesce(NEW.`link`, ''), NEW.`details`, '');
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_delete` AFTER DELETE ON `tickets`
BEGIN
  DELETE FROM `ticket_search` WHERE `rowid` = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_orders_search_insert` AFTER INSERT ON `ticket_orders`
BEGIN
  UPDATE `ticket_search` SET `orders` = trim(`orders` || ' ' || NEW.`order_id`) WHERE `rowid` = NEW.`ticket_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `messages_search_insert` AFTER INSERT ON `messages`
BEGIN
  UPDATE `ticket_search` SET `messages` = `messages` || ' ' || NEW.`body` WHERE `rowid` = NEW.`ticket_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `messages_search_move` AFTER UPDATE OF `ticket_id` ON `messages` WHEN OLD.`ticket_id` <> NEW.`ticket_id`
BEGIN
  UPDATE `ticket_search` SET `messages` = `messages` || ' ' || NEW.`body` WHERE `rowid` = NEW.`ticket_id`;
END;
