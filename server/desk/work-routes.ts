// The agent's actions on a ticket (all POST, CSRF-checked in app.ts, version-checked
// in the services). A rejected form comes back on the workspace with 422 and its
// input; a stale version gets the 409 page showing what changed meanwhile.
import express, { type Request, type Response } from 'express';
import { currentStaff, requireStaff } from '../auth/middleware';
import type { StaffUser } from '../auth/sessions';
import type { Db } from '../db';
import { AppError } from '../domain/errors';
import { TICKET_STATUSES, type TicketStatus } from '../domain/ticket';
import { decisionValues, maxPayable, parseDecision } from '../decisions/form';
import type { DecisionService } from '../decisions/service';
import { allReviews, reviewTicket } from '../review/facts';
import { changesSince, findTicketByNumber, type Ticket } from '../tickets/queries';
import { StaleTicket } from './versions';
import type { WorkService } from './work';
import { workspace, type FormState } from './workspace';

export interface WorkRouteDeps {
  db: Db;
  work: WorkService;
  decisions: DecisionService;
  clock: () => number;
}

type Handler = (ctx: { req: Request; res: Response; ticket: Ticket; staff: StaffUser; version: number }) => Promise<string | void> | string | void;

export function workRouter(deps: WorkRouteDeps) {
  const { db, work, decisions, clock } = deps;
  const router = express.Router();
  router.use('/desk/tickets', requireStaff());

  /** Loads the ticket, runs the action, redirects back (or to where it says); errors become pages. */
  function action(form: string | ((req: Request) => string), fn: Handler) {
    return async (req: Request, res: Response) => {
      const ticket = findTicketByNumber(db, String(req.params.number));
      if (!ticket) throw AppError.notFound();
      const staff = currentStaff(res)!;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const version = Number(body.version);
      try {
        if (!Number.isSafeInteger(version)) throw new StaleTicket(ticket.number);
        const next = await fn({ req, res, ticket, staff, version });
        res.redirect(303, next ?? `/desk/tickets/${ticket.number}`);
      } catch (err) {
        if (err instanceof StaleTicket) return renderConflict(res, ticket, Number(body.loadedAt));
        if (err instanceof AppError && (err.status === 422 || err.status === 409)) {
          const current = findTicketByNumber(db, ticket.number)!;
          const values = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
          const state: FormState = { form: typeof form === 'string' ? form : form(req), errors: { ...err.fields }, values };
          if (err.status === 409) state.errors = { decision: { key: err.code } };
          res.status(err.status);
          return res.render('desk/ticket', { ...workspace(db, current, staff, clock(), state), sync: null, query: { sync: null } });
        }
        throw err;
      }
    };
  }

  function renderConflict(res: Response, ticket: Ticket, loadedAt: number) {
    const changes = changesSince(db, ticket.id, Number.isSafeInteger(loadedAt) ? loadedAt : 0);
    res.status(409).render('desk/conflict', { ticket, changes });
  }

  router.post('/desk/tickets/:number/assign', action('assign', ({ req, ticket, staff, version }) => {
    const value = String((req.body as Record<string, unknown>).assignee ?? '');
    const assignee = value === 'me' ? staff.id : value === '' || value === 'none' ? null : Number(value);
    if (assignee !== null && !Number.isSafeInteger(assignee)) throw AppError.invalid({ assignee: { key: 'work.assigneeInvalid' } });
    work.assign(ticket, assignee, staff, version);
  }));

  router.post('/desk/tickets/:number/reply', action('reply', ({ req, ticket, staff, version }) => {
    const b = req.body as Record<string, unknown>;
    work.reply(ticket, String(b.body ?? ''), { internal: b.internal === '1', waitForCustomer: b.wait === '1' }, staff, version);
    return `/desk/tickets/${ticket.number}#thread`;
  }));

  router.post('/desk/tickets/:number/status', action('status', ({ req, ticket, staff, version }) => {
    const to = TICKET_STATUSES.find((s) => s === (req.body as Record<string, unknown>).status) as TicketStatus | undefined;
    if (!to) throw AppError.invalid({ status: { key: 'work.statusNotAllowed' } });
    work.setStatus(ticket, to, staff, version);
  }));

  router.post('/desk/tickets/:number/merge', action('merge', ({ req, ticket, staff, version }) => {
    const target = work.merge(ticket, String((req.body as Record<string, unknown>).target ?? ''), staff, version);
    return `/desk/tickets/${target.number}`;
  }));

  const orderKeyOf = (req: Request) => `decision:${String((req.body as Record<string, unknown>).orderKey ?? '')}`;

  router.post('/desk/tickets/:number/checklist', action(orderKeyOf, ({ req, ticket, staff, version }) => {
    const b = req.body as Record<string, unknown>;
    const r = allReviews(reviewTicket(db, ticket, clock())).find((o) => o.key === b.orderKey);
    if (!r) throw AppError.notFound();
    work.tick(ticket, r, String(b.item ?? ''), b.checked === '1', staff, version);
    return `/desk/tickets/${ticket.number}#order-${r.key}`;
  }));

  router.post('/desk/tickets/:number/decisions', action(orderKeyOf, async ({ req, ticket, staff, version }) => {
    const b = req.body as Record<string, unknown>;
    const r = allReviews(reviewTicket(db, ticket, clock())).find((o) => o.key === b.orderKey);
    if (!r) throw AppError.notFound();
    if (r.decision) throw new AppError(409, 'decision.alreadyDecided');
    const { input, errors } = parseDecision(decisionValues(b), r, { maxMicros: maxPayable(r, ticket.amountMicros) });
    if (!input) throw AppError.invalid(errors);
    const result = await decisions.decide(ticket, r, input, staff, version);
    return `/desk/tickets/${ticket.number}${result.state === 'awaiting_confirmation' ? '?provider=unknown' : ''}#order-${r.key}`;
  }));

  router.post('/desk/tickets/:number/decisions/:id/confirm', action('confirm', ({ req, ticket, staff, version }) => {
    decisions.confirm(ticket, Number(req.params.id), (req.body as Record<string, unknown>).happened === '1', staff, version);
  }));

  return router;
}
