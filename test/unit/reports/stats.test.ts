import Database from 'better-sqlite3';
import { expect } from 'chai';
import { DAY_MS, dayStart, defaultRange, formatDay, parseDay } from '../../../server/domain/days';
import { defaultInput } from '../../../server/exports/form';
import { parseReportQuery } from '../../../server/reports/filters';
import {
  isoWeek,
  isoWeekKey,
  median,
  medianOfMiddle,
  medianWindow,
  rateOf,
  share,
  weekStartOfDay,
  weekStartSql,
  weeksCovering,
  worstFirst,
} from '../../../server/reports/stats';

const day = (text: string) => parseDay(text)!;

describe('reports: stats', () => {
  describe('medians', () => {
    const cases: { values: number[]; window: { offset: number; limit: number } | null; median: number | null }[] = [
      { values: [], window: null, median: null },
      { values: [7], window: { offset: 0, limit: 1 }, median: 7 },
      { values: [5, 1], window: { offset: 0, limit: 2 }, median: 3 },
      { values: [3, 1, 2], window: { offset: 1, limit: 1 }, median: 2 },
      { values: [10, 2, 30, 5], window: { offset: 1, limit: 2 }, median: 7.5 },
      { values: [4, 1, 1, 3, 0.5], window: { offset: 2, limit: 1 }, median: 1 },
      { values: [1, 2, 3, 4, 5, 6], window: { offset: 2, limit: 2 }, median: 3.5 },
    ];
    for (const c of cases) {
      it(`When the values are [${c.values.join(', ')}], then the middle is ${JSON.stringify(c.window)} and the median ${c.median}`, () => {
        expect(medianWindow(c.values.length)).to.deep.equal(c.window);
        expect(median(c.values)).to.equal(c.median);
        if (c.window) {
          const sorted = [...c.values].sort((a, b) => a - b);
          expect(medianOfMiddle(sorted.slice(c.window.offset, c.window.offset + c.window.limit))).to.equal(c.median);
        }
      });
    }

    it('When a million values are counted, then only the two middle ones are read', () => {
      expect(medianWindow(1_000_000)).to.deep.equal({ offset: 499_999, limit: 2 });
      expect(medianWindow(1_000_001)).to.deep.equal({ offset: 500_000, limit: 1 });
    });
  });

  describe('rates', () => {
    it('When nothing was charged or ordered, then the shares are null rather than a division by zero', () => {
      expect(share(0, 0)).to.equal(null);
      expect(share(1, 4)).to.equal(0.25);
      expect(rateOf({ label: 'x', orders: 0, refundedOrders: 0, chargedMicros: 0, refundedMicros: 0 })).to.include({ orderShare: null, amountShare: null });
    });

    it('When rows are sorted worst first, then the highest order share leads, money breaks ties, then volume, then the label', () => {
      const rows = [
        { label: 'b', orders: 4, refundedOrders: 1, chargedMicros: 100, refundedMicros: 10 },
        { label: 'a', orders: 4, refundedOrders: 2, chargedMicros: 100, refundedMicros: 10 },
        { label: 'c', orders: 2, refundedOrders: 1, chargedMicros: 100, refundedMicros: 40 },
        { label: 'd', orders: 0, refundedOrders: 0, chargedMicros: 0, refundedMicros: 0 },
        { label: 'e', orders: 8, refundedOrders: 2, chargedMicros: 100, refundedMicros: 10 },
        { label: 'f', orders: 8, refundedOrders: 2, chargedMicros: 100, refundedMicros: 10 },
      ].map(rateOf);
      expect(worstFirst(rows).map((r) => r.label)).to.deep.equal(['c', 'a', 'e', 'f', 'b', 'd']);
    });
  });

  describe('days and ISO weeks (UTC)', () => {
    it('When a date is read, then only real calendar days in YYYY-MM-DD pass', () => {
      expect(parseDay('2025-03-03')).to.equal(Date.UTC(2025, 2, 3) / DAY_MS);
      expect(formatDay(day('2024-02-29'))).to.equal('2024-02-29');
      for (const bad of ['2025-02-29', '2025-13-01', '2025-3-3', '03/03/2025', '', '2025-03-03T00:00', ' 2025-03-03']) {
        expect(parseDay(bad), bad).to.equal(null);
      }
    });

    it('When the default range is asked for, then the dashboard and the export form both get the 30 days ending today (UTC)', () => {
      const now = Date.UTC(2025, 2, 1, 23, 59);
      const range = defaultRange(now, 30);
      expect([formatDay(range.fromDay), formatDay(range.toDay)]).to.deep.equal(['2025-01-31', '2025-03-01']);
      expect(parseReportQuery({}, now).filters).to.include(range);
      expect(defaultInput(now)).to.include({ from: '2025-01-31', to: '2025-03-01' });
      expect(dayStart('2025-03-01')).to.equal(range.toDay * DAY_MS);
      expect(dayStart('2025-02-29')).to.equal(null);
    });

    const weeks: [string, string, string][] = [
      // day, its week's Monday, the ISO week
      ['2025-03-03', '2025-03-03', '2025-W10'],
      ['2025-03-09', '2025-03-03', '2025-W10'],
      ['2025-03-10', '2025-03-10', '2025-W11'],
      ['2024-12-29', '2024-12-23', '2024-W52'],
      ['2024-12-30', '2024-12-30', '2025-W01'],
      ['2025-01-01', '2024-12-30', '2025-W01'],
      ['2025-01-05', '2024-12-30', '2025-W01'],
      ['2021-01-03', '2020-12-28', '2020-W53'],
      ['2021-01-04', '2021-01-04', '2021-W01'],
      ['2026-12-31', '2026-12-28', '2026-W53'],
      ['2027-01-03', '2026-12-28', '2026-W53'],
      ['1970-01-01', '1969-12-29', '1970-W01'],
    ];
    for (const [d, monday, key] of weeks) {
      it(`When ${d} is bucketed, then it falls in ${key}, which starts on ${monday}`, () => {
        expect(formatDay(weekStartOfDay(day(d)))).to.equal(monday);
        expect(isoWeekKey(weekStartOfDay(day(d)))).to.equal(key);
      });
    }

    it('When a range crosses the new year, then the weeks covering it run across the boundary without a gap', () => {
      const list = weeksCovering(day('2024-12-20'), day('2025-01-14'));
      expect(list.map(formatDay)).to.deep.equal(['2024-12-16', '2024-12-23', '2024-12-30', '2025-01-06', '2025-01-13']);
      expect(list.map(isoWeekKey)).to.deep.equal(['2024-W51', '2024-W52', '2025-W01', '2025-W02', '2025-W03']);
      expect(isoWeek(day('2024-12-30'))).to.deep.equal({ year: 2025, week: 1 });
    });

    it('When SQLite buckets a time by the formula the queries use, then it agrees with the pure week start', () => {
      const sqlite = new Database(':memory:');
      const times = [Date.UTC(2024, 11, 29, 23, 59), Date.UTC(2024, 11, 30), Date.UTC(2025, 0, 5, 12), Date.UTC(2025, 2, 10), Date.UTC(2021, 0, 3, 1)];
      sqlite.exec('CREATE TABLE t (at integer NOT NULL)');
      for (const ms of times) sqlite.prepare('INSERT INTO t (at) VALUES (?)').run(ms);
      const rows = sqlite.prepare(`SELECT at, ${weekStartSql('at')} AS monday FROM t`).all() as { at: number; monday: number }[];
      expect(rows).to.have.length(times.length);
      for (const row of rows) expect(row.monday, new Date(row.at).toISOString()).to.equal(weekStartOfDay(Math.floor(row.at / DAY_MS)));
      sqlite.close();
    });
  });
});
