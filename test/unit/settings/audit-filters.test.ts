// The audit log's filters (server/audit/filters.ts).
import { expect } from 'chai';
import { auditFilterValues, auditHref, parseAuditFilters, parseCursor } from '../../../server/audit/filters';
import { dayStart } from '../../../server/domain/days';

const empty = { from: '', to: '', actor: '', action: '', ticket: '' };

describe('audit: the log filters', () => {
  it('When no filter is given, then nothing is filtered', () => {
    expect(parseAuditFilters(empty)).to.deep.equal({ filters: { from: null, until: null, actor: null, action: null, ticketNumber: null }, errors: {} });
  });

  it('When a day range is given, then it runs from the start of the first day to the end of the last, UTC', () => {
    const { filters } = parseAuditFilters({ ...empty, from: '2026-03-01', to: '2026-03-01' });
    expect(filters.from).to.equal(Date.UTC(2026, 2, 1));
    expect(filters.until).to.equal(Date.UTC(2026, 2, 2));
  });

  it('When dates do not exist or run backwards, then the field says so', () => {
    expect(dayStart('2026-02-29')).to.equal(null);
    expect(dayStart('2028-02-29')).to.equal(Date.UTC(2028, 1, 29));
    expect(parseAuditFilters({ ...empty, from: '01/03/2026' }).errors).to.deep.equal({ from: { key: 'audit:errors.date' } });
    expect(parseAuditFilters({ ...empty, from: '2026-03-02', to: '2026-03-01' }).errors).to.deep.equal({ to: { key: 'audit:errors.range' } });
  });

  it('When the actor is a staff id, the system or customers, then it is understood; anything else is an error', () => {
    expect(parseAuditFilters({ ...empty, actor: '17' }).filters.actor).to.deep.equal({ type: 'staff', id: 17 });
    expect(parseAuditFilters({ ...empty, actor: 'system' }).filters.actor).to.deep.equal({ type: 'system' });
    expect(parseAuditFilters({ ...empty, actor: 'customer' }).filters.actor).to.deep.equal({ type: 'customer' });
    expect(parseAuditFilters({ ...empty, actor: 'me' }).errors).to.have.property('actor');
  });

  it('When a ticket number is typed loosely, then it is normalised; a malformed one is an error', () => {
    expect(parseAuditFilters({ ...empty, ticket: 'rd 7kq4 m2xd' }).filters.ticketNumber).to.equal('RD-7KQ4-M2XD');
    expect(parseAuditFilters({ ...empty, ticket: '12' }).errors).to.have.property('ticket');
    expect(parseAuditFilters({ ...empty, action: 'drop table;' }).errors).to.have.property('action');
  });

  it('When the query string is read and a link built, then values are kept and empty ones left out', () => {
    const values = auditFilterValues({ from: ' 2026-03-01 ', actor: ['1', '2'], action: 'ticket.created' });
    expect(values).to.deep.equal({ ...empty, from: '2026-03-01', action: 'ticket.created' });
    expect(auditHref('/desk/audit', values, { before: '99' })).to.equal('/desk/audit?from=2026-03-01&action=ticket.created&before=99');
    expect(auditHref('/desk/audit', empty)).to.equal('/desk/audit');
  });

  it('When a cursor is read, then only a positive whole number counts', () => {
    expect(parseCursor('120')).to.equal(120);
    for (const bad of ['0', '-1', '1.5', 'abc', undefined, ['1']]) expect(parseCursor(bad)).to.equal(null);
  });
});
