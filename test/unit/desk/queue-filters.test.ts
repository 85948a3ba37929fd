import { expect } from 'chai';
import {
  DEFAULT_FILTERS,
  ftsMatch,
  formatCursor,
  needsCounting,
  parseCursor,
  parseQueueFilters,
  parseSearch,
  queueHref,
  statusesOf,
} from '../../../server/desk/queue-filters';

describe('desk queue filters', () => {
  describe('parseQueueFilters', () => {
    it('When the query is empty, then the open tab with no other filter is shown', () => {
      expect(parseQueueFilters({})).to.deep.equal(DEFAULT_FILTERS);
      expect(DEFAULT_FILTERS.status).to.equal('open');
    });

    it('When every filter has a known value, then each is kept', () => {
      expect(
        parseQueueFilters({
          status: 'waiting_customer',
          reason: 'drop',
          orderStatus: 'in_progress',
          language: 'uk',
          assignee: 'mine',
          sla: 'due_soon',
          q: '  refill   please ',
        }),
      ).to.deep.equal({
        status: 'waiting_customer',
        reason: 'drop',
        orderStatus: 'in_progress',
        language: 'uk',
        assignee: 'mine',
        sla: 'due_soon',
        q: 'refill please',
      });
    });

    const unknown: [string, Record<string, unknown>][] = [
      ['unknown words', { status: 'pending', reason: 'angry', orderStatus: 'lost', language: 'fr', assignee: 'bob', sla: 'later' }],
      ['repeated parameters (arrays)', { status: ['new', 'closed'], reason: ['drop'], language: ['ar'], q: ['a', 'b'] }],
      ['objects', { status: { $ne: 'x' }, sla: { overdue: '1' } }],
      ['other cases', { status: 'NEW', reason: 'Drop', language: 'AR', assignee: 'Mine', sla: 'OVERDUE' }],
      ['the page-language switch', { lng: 'ar' }],
    ];
    for (const [what, query] of unknown) {
      it(`When the query holds ${what}, then those values are ignored`, () => {
        expect(parseQueueFilters(query)).to.deep.equal(DEFAULT_FILTERS);
      });
    }

    it('When each tab value is given, then it is the status shown', () => {
      for (const status of ['open', 'new', 'in_review', 'waiting_customer', 'resolved', 'closed', 'merged', 'all']) {
        expect(parseQueueFilters({ status }).status).to.equal(status);
      }
    });

    it('When the search holds control characters, then they become spaces', () => {
      expect(parseQueueFilters({ q: 'a\u0000b\tc\u0007\n d' }).q).to.equal('a b c d');
    });

    it('When the search is very long, then it is cut to 200 characters', () => {
      expect(parseQueueFilters({ q: 'x'.repeat(5000) }).q).to.have.length(200);
    });
  });

  describe('statusesOf and needsCounting', () => {
    it('When a tab is asked for its statuses, then open is the three working ones and all is every one', () => {
      expect(statusesOf('open')).to.deep.equal(['new', 'in_review', 'waiting_customer']);
      expect(statusesOf('all')).to.have.length(6);
      expect(statusesOf('merged')).to.deep.equal(['merged']);
    });

    it('When only the tab, language or reason narrow the view, then the stored counts answer; any other filter needs counting', () => {
      expect(needsCounting({ ...DEFAULT_FILTERS, status: 'closed' })).to.equal(false);
      expect(needsCounting({ ...DEFAULT_FILTERS, language: 'ar', reason: 'not_started' })).to.equal(false);
      expect(needsCounting({ ...DEFAULT_FILTERS, q: 'x' })).to.equal(true);
      expect(needsCounting({ ...DEFAULT_FILTERS, assignee: 'unassigned' })).to.equal(true);
      expect(needsCounting({ ...DEFAULT_FILTERS, sla: 'overdue' })).to.equal(true);
      expect(needsCounting({ ...DEFAULT_FILTERS, orderStatus: 'partial' })).to.equal(true);
    });
  });

  describe('parseSearch', () => {
    const cases: [string, ReturnType<typeof parseSearch>][] = [
      ['', null],
      ['RD-7KQ4-M2XD', { kind: 'number', number: 'RD-7KQ4-M2XD' }],
      ['rd-7kq4-m2xd', { kind: 'number', number: 'RD-7KQ4-M2XD' }],
      ['rd 7kq4 m2xd', { kind: 'number', number: 'RD-7KQ4-M2XD' }],
      ['RD-OOOO-IIII', { kind: 'number', number: 'RD-OOOO-IIII' }],
      ['81532', { kind: 'orderId', orderId: '81532' }],
      ['Buyer@Example.COM', { kind: 'email', email: 'buyer@example.com' }],
      ['https://instagram.com/p/abc', { kind: 'link', link: 'https://instagram.com/p/abc' }],
      ['HTTP://x.example/a', { kind: 'link', link: 'HTTP://x.example/a' }],
      ['https://www.tiktok.com/@someone/video/1', { kind: 'link', link: 'https://www.tiktok.com/@someone/video/1' }],
      ['deadbeef', { kind: 'text', match: '"deadbeef"*' }],
      ['never started', { kind: 'text', match: '"never" "started"*' }],
      ['write to me@x', { kind: 'text', match: '"write" "to" "me@x"*' }],
      ['123456789012345678901', { kind: 'text', match: '"123456789012345678901"*' }],
    ];
    for (const [q, want] of cases) {
      it(`When the search is ${JSON.stringify(q)}, then it is read as ${want ? want.kind : 'nothing'}`, () => {
        expect(parseSearch(q)).to.deep.equal(want);
      });
    }
  });

  describe('ftsMatch', () => {
    const cases: [string, string | null][] = [
      ['"', null],
      ['* ( ) ^ :', null],
      ['AND', '"AND"*'],
      ['NEAR(a b)', '"NEAR(a" "b)"*'],
      ['say "hi"', '"say" """hi"""*'],
      ['col:value', '"col:value"*'],
      ['a\u0000b', '"a" "b"*'],
      ['الإلغاء', '"الإلغاء"*'],
      ['Скасувати замовлення', '"Скасувати" "замовлення"*'],
    ];
    for (const [text, want] of cases) {
      it(`When ${JSON.stringify(text)} is searched, then every word is a quoted string: ${String(want)}`, () => {
        expect(ftsMatch(text)).to.equal(want);
      });
    }

    it('When many words are typed, then only the first twelve are looked for', () => {
      expect(ftsMatch(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))!.split(' ')).to.have.length(12);
    });
  });

  describe('cursor', () => {
    it('When a cursor is written and read back, then it is the same position', () => {
      for (const c of [
        { urgency: 0, slaDueAt: 1767225600000, id: 42 },
        { urgency: 1, slaDueAt: null, id: 7 },
        { urgency: 1, slaDueAt: -5, id: 1 },
      ]) {
        expect(parseCursor(formatCursor(c))).to.deep.equal(c);
      }
      expect(formatCursor({ urgency: 1, slaDueAt: null, id: 7 })).to.equal('1.n.7');
    });

    for (const bad of [undefined, '', 'abc', '0.1.2.3', '0..1', '1.n.', '1.n.-3', '0.99999999999999999.1', ['0.n.1'], '1e3.n.1']) {
      it(`When the cursor is ${JSON.stringify(bad)}, then it is ignored`, () => {
        expect(parseCursor(bad)).to.equal(null);
      });
    }
  });

  describe('queueHref', () => {
    it('When the filters are the defaults, then the address is plain /desk', () => {
      expect(queueHref(DEFAULT_FILTERS)).to.equal('/desk');
    });

    it('When filters and a cursor are set, then each is in the address and the search is encoded', () => {
      const href = queueHref(
        { ...DEFAULT_FILTERS, status: 'all', reason: 'drop', assignee: 'mine', q: 'a&b "c"' },
        { after: { urgency: 1, slaDueAt: null, id: 9 } },
      );
      const url = new URL(href, 'http://x');
      expect(url.pathname).to.equal('/desk');
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({
        status: 'all',
        reason: 'drop',
        assignee: 'mine',
        q: 'a&b "c"',
        after: '1.n.9',
      });
      expect(parseQueueFilters(Object.fromEntries(url.searchParams))).to.deep.equal({
        ...DEFAULT_FILTERS,
        status: 'all',
        reason: 'drop',
        assignee: 'mine',
        q: 'a&b "c"',
      });
    });
  });
});
