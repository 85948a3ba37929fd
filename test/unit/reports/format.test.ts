import { expect } from 'chai';
import { dayStart, parseDay } from '../../../server/domain/days';
import { formatters } from '../../../server/i18n/format';
import { reportFormatters } from '../../../server/reports/format';

describe('reports: formatting through Intl', () => {
  const en = reportFormatters('en');
  const uk = reportFormatters('uk');

  it('When a duration is under an hour, then it is whole minutes; from an hour on, hours with one decimal', () => {
    expect(en.duration(45 * 60_000)).to.equal('45 minutes');
    expect(en.duration(3_600_000)).to.equal('1 hour');
    expect(en.duration(7.5 * 3_600_000)).to.equal('7.5 hours');
    expect(uk.duration(7.5 * 3_600_000)).to.equal('7,5 години');
  });

  it('When a share is shown, then it is a percentage with at most one decimal in the language', () => {
    expect(en.percent(11.5 / 27)).to.equal('42.6%');
    expect(uk.percent(0.5)).to.match(/^50\s?%$/);
  });

  it('When a week is labelled, then years and week numbers have no grouping and days are UTC', () => {
    expect(en.plain(2025)).to.equal('2025');
    expect(en.shortDay(parseDay('2024-12-30')!)).to.equal('30 Dec');
    // A full date is the page's own fmt.date (UTC), which the dashboard uses.
    expect(formatters('en').date(dayStart('2025-03-03')!)).to.equal('3 Mar 2025');
  });
});
