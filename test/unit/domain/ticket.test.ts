import { expect } from 'chai';
import {
  formatTicketNumber,
  normalizeTicketNumber,
  REOPEN_WINDOW_MS,
  slaDueTimes,
  splitOrderIds,
  statusAfterCustomerReply,
  type TicketStatus,
} from '../../../server/domain/ticket';

const HOUR = 3_600_000;

describe('ticket rules', () => {
  it('When order IDs are separated by commas, spaces and new lines, then each is found', () => {
    expect(splitOrderIds('81532, 81533\n81534  81535;81536,,')).to.deep.equal(['81532', '81533', '81534', '81535', '81536']);
  });

  it('When a ticket number is made from random bytes, then it has the readable shape and normalizes to itself', () => {
    const number = formatTicketNumber(new Uint8Array([0, 1, 2, 3, 250, 251, 252, 253]));
    expect(number).to.match(/^RD-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(normalizeTicketNumber(number)).to.equal(number);
  });

  const numbers: [string, string | null][] = [
    ['rd-7kq4-m2xd', 'RD-7KQ4-M2XD'],
    [' RD 7KQ4 M2XD ', 'RD-7KQ4-M2XD'],
    ['7KQ4M2XD', 'RD-7KQ4-M2XD'],
    ['RD-7KQ4-M2X', null],
    ['RD-7KQ4-M2XO', null],
    ['', null],
  ];
  for (const [input, expected] of numbers) {
    it(`When "${input}" is typed as a ticket number, then it reads as ${expected}`, () => {
      expect(normalizeTicketNumber(input)).to.equal(expected);
    });
  }

  const sla = { firstResponseHours: 2, cancellationHours: 24, investigationHours: 48 };
  it('When a cancellation is filed, then resolution is due in 24 h and first response in 2 h', () => {
    expect(slaDueTimes('not_started', 0, sla)).to.deep.equal({ firstResponseDueAt: 2 * HOUR, resolutionDueAt: 24 * HOUR });
  });
  it('When a refund investigation is filed, then resolution is due in 48 h', () => {
    expect(slaDueTimes('drop', 0, sla).resolutionDueAt).to.equal(48 * HOUR);
  });

  const now = 1_000 * HOUR;
  const replies: [TicketStatus, number | null, TicketStatus | null][] = [
    ['new', null, 'new'],
    ['in_review', null, 'in_review'],
    ['waiting_customer', null, 'in_review'],
    ['resolved', now - HOUR, 'in_review'],
    ['resolved', now - REOPEN_WINDOW_MS - 1, null],
    ['closed', null, null],
    ['merged', null, null],
  ];
  for (const [status, resolvedAt, expected] of replies) {
    it(`When the customer replies to a ${status} ticket${resolvedAt ? ` resolved ${Math.round((now - resolvedAt) / HOUR)} h ago` : ''}, then it becomes ${expected}`, () => {
      expect(statusAfterCustomerReply(status, resolvedAt, now)).to.equal(expected);
    });
  }
});
