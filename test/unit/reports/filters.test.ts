import { expect } from 'chai';
import { MAX_DAYS, parseReportQuery, rangeMs, reportQueryString } from '../../../server/reports/filters';
import { formatDay } from '../../../server/domain/days';

const NOW = Date.UTC(2025, 2, 16, 15, 30);
const days = (q: Record<string, unknown>) => {
  const { filters, errors } = parseReportQuery(q, NOW);
  return { from: formatDay(filters.fromDay), to: formatDay(filters.toDay), errors: Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, e.key])) };
};

describe('reports: filters', () => {
  it('When no range is given, then it is the last 30 days ending today (UTC) by the request clock', () => {
    expect(days({})).to.deep.equal({ from: '2025-02-15', to: '2025-03-16', errors: {} });
    const { fromMs, toMs } = rangeMs(parseReportQuery({}, NOW).filters);
    expect(fromMs).to.equal(Date.UTC(2025, 1, 15));
    expect(toMs).to.equal(Date.UTC(2025, 2, 17));
  });

  it('When only the end is given, then the range is the 30 days ending then', () => {
    expect(days({ to: '2025-01-31' })).to.deep.equal({ from: '2025-01-02', to: '2025-01-31', errors: {} });
  });

  it('When a date is not a real day, then it is a field error and the default stands in', () => {
    expect(days({ from: '2025-02-30', to: '2025-03-10' })).to.deep.equal({ from: '2025-02-09', to: '2025-03-10', errors: { from: 'range.invalidDate' } });
    expect(days({ to: 'soon' })).to.deep.equal({ from: '2025-02-15', to: '2025-03-16', errors: { to: 'range.invalidDate' } });
  });

  it('When the end is before the start, or the range is too long, then it is a field error and the default range is shown', () => {
    expect(days({ from: '2025-03-10', to: '2025-03-01' })).to.deep.equal({ from: '2025-02-15', to: '2025-03-16', errors: { to: 'range.reversed' } });
    expect(days({ from: '2020-01-01', to: '2025-01-01' })).to.deep.equal({ from: '2025-02-15', to: '2025-03-16', errors: { from: 'range.tooLong' } });
    expect(parseReportQuery({ from: '2020-01-01', to: '2025-01-01' }, NOW).errors.from!.params).to.deep.equal({ count: MAX_DAYS });
  });

  it('When other values are unknown, repeated or malformed, then they are ignored', () => {
    const { filters, errors } = parseReportQuery({ agent: '12a', language: 'fr', service: ['a', 'b'], provider: 'x'.repeat(101), from: ['2025-01-01'] }, NOW);
    expect(filters).to.include({ agent: null, language: null, service: null, provider: null });
    expect(errors).to.deep.equal({});
    expect(parseReportQuery({ agent: '7', language: 'ar', service: 's-1', provider: 'p 1' }, NOW).filters).to.include({ agent: 7, language: 'ar', service: 's-1', provider: 'p 1' });
  });

  it('When the filters are written back, then the query string reads as the same filters', () => {
    const parsed = parseReportQuery({ from: '2025-03-03', to: '2025-03-16', service: 's&1', agent: '3', language: 'uk' }, NOW);
    const qs = reportQueryString(parsed.filters, { format: 'json' });
    expect(qs).to.equal('from=2025-03-03&to=2025-03-16&service=s%261&agent=3&language=uk&format=json');
    expect(parseReportQuery(Object.fromEntries(new URLSearchParams(qs)), NOW).filters).to.deep.equal(parsed.filters);
  });
});
