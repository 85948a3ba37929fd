// Emails to the customer about their ticket, in the ticket's language, each with
// a fresh private link (tokens are stored hashed, so an old one cannot be reused
// in a new email). Call inside the transaction of the change that causes it.
import { ticketAccessTokens } from '../../db/schema';
import type { Db } from '../db';
import type { Language } from '../domain/ticket';
import { enqueueEmail } from '../mail/outbox';
import { renderEmail, type EmailName } from '../mail/templates';
import { hashToken, newToken } from '../security/tokens';
import { orderIdsOf, type Ticket } from './queries';

export function privateLink(publicUrl: string, number: string, token: string): string {
  return `${publicUrl}/t/${number}?k=${encodeURIComponent(token)}`;
}

/** Queues the email with a link carrying `token`, or a new token when none is given. */
export function queueTicketEmail(
  db: Db,
  publicUrl: string,
  name: EmailName,
  ticket: Ticket,
  now: number,
  opts: { token?: string; data?: Record<string, unknown> } = {},
): void {
  let token = opts.token;
  if (token === undefined) {
    token = newToken();
    db.insert(ticketAccessTokens).values({ tokenHash: hashToken(token), ticketId: ticket.id, createdAt: now }).run();
  }
  const lng = ticket.language as Language;
  // The emailed link opens in the ticket's language until the customer picks another.
  const link = `${privateLink(publicUrl, ticket.number, token)}&lng=${lng}`;
  const orderIds = orderIdsOf(db, ticket.id);
  const rendered = renderEmail(name, lng, { number: ticket.number, link, orderIds, reason: ticket.reason, ...opts.data });
  enqueueEmail(db, { to: ticket.email, lang: lng, ...rendered }, now);
}
