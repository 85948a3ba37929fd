import { expect } from 'chai';
import { translator } from '../../../server/i18n/index';
import { barLayout, CHART_WIDTH, niceTicks, timeLayout } from '../../../server/reports/chart-layout';
import { barChart, columnChart, isolate, lineChart } from '../../../server/reports/charts';
import { tipWords } from '../../../server/reports/view';

const tips = tipWords(translator('en'));
/** First-strong isolate … pop directional isolate around a name or a date. */
const iso = (text: string) => `\u2068${text}\u2069`;

const attrs = (svg: string, tag: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<${tag} class="${cls}"([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );

describe('reports: charts', () => {
  describe('geometry', () => {
    it('When bars are laid out right to left, then each bar is the left-to-right one mirrored: same length, growing from the right', () => {
      const values = [0.5, 0.25, 0, 1];
      const ltr = barLayout(values, 'ltr');
      const rtl = barLayout(values, 'rtl');
      ltr.bars.forEach((b, i) => {
        const m = rtl.bars[i]!;
        expect(m.width).to.equal(b.width);
        expect(m.y).to.equal(b.y);
        expect(m.x + m.width).to.be.closeTo(CHART_WIDTH - b.x, 1e-9);
        expect(m.labelX).to.equal(CHART_WIDTH - b.labelX);
        expect(m.valueX).to.be.closeTo(CHART_WIDTH - b.valueX, 1e-9);
      });
      // Every LTR bar starts at the same x (the plot's start); every RTL bar ends at its mirror.
      expect(new Set(ltr.bars.map((b) => b.x)).size).to.equal(1);
      expect(new Set(rtl.bars.map((b) => b.x + b.width)).size).to.equal(1);
      expect(ltr.bars[3]!.width).to.equal(2 * ltr.bars[0]!.width);
      expect(rtl.axisX).to.equal(CHART_WIDTH - ltr.axisX);
    });

    it('When a time axis is laid out right to left, then the oldest week is on the right and later weeks move left', () => {
      const ltr = timeLayout(5, 'ltr', 10);
      const rtl = timeLayout(5, 'rtl', 10);
      const xsL = [0, 1, 2, 3, 4].map(ltr.x);
      const xsR = [0, 1, 2, 3, 4].map(rtl.x);
      expect(xsL).to.deep.equal([...xsL].sort((a, b) => a - b));
      expect(xsR).to.deep.equal([...xsR].sort((a, b) => b - a));
      xsL.forEach((x, i) => expect(xsR[i]).to.be.closeTo(CHART_WIDTH - x, 1e-9));
      expect(rtl.columnX(0, 20) + 20).to.be.closeTo(CHART_WIDTH - ltr.columnX(0, 20), 1e-9);
      expect(rtl.tickLabelX).to.equal(CHART_WIDTH - ltr.tickLabelX);
      expect(ltr.y(10)).to.be.lessThan(ltr.y(0));
      expect(rtl.y(7)).to.equal(ltr.y(7));
    });

    it('When the axis ticks are chosen, then they are whole round steps from 0 to at least the maximum', () => {
      expect(niceTicks(0)).to.deep.equal([0, 1]);
      expect(niceTicks(3)).to.deep.equal([0, 1, 2, 3]);
      expect(niceTicks(4)).to.deep.equal([0, 1, 2, 3, 4]);
      expect(niceTicks(17)).to.deep.equal([0, 5, 10, 15, 20]);
      expect(niceTicks(111_500_000)).to.deep.equal([0, 50_000_000, 100_000_000, 150_000_000]);
    });
  });

  describe('SVG', () => {
    const rows = [
      { label: 'TikTok <Followers> & "likes"', value: 0.5, valueText: '50%' },
      { label: 'Instagram Views', value: 0.25, valueText: '25%' },
    ];

    it('When a bar chart is drawn, then it has a title, an aria-label and every text escaped', () => {
      const svg = barChart({ title: 'Rate <by> "service"', dir: 'ltr', rows, tips });
      expect(svg).to.match(/^<svg [^>]*role="img" aria-label="Rate &lt;by&gt; &quot;service&quot;"[^>]*><title>Rate &lt;by&gt; &quot;service&quot;<\/title>/);
      expect(svg).to.include('TikTok &lt;Followers&gt; &amp; &quot;likes&quot;');
      expect(svg).to.not.include('<Followers>');
      expect(svg).to.include('>50%</text>');
      expect(svg).to.include('direction="ltr"');
    });

    it('When the same bar chart is drawn for an RTL page, then its rectangles are mirrored in the SVG coordinates, not by a transform', () => {
      const ltr = attrs(barChart({ title: 't', dir: 'ltr', rows, tips }), 'rect', 'chart-bar');
      const rtlSvg = barChart({ title: 't', dir: 'rtl', rows, tips });
      const rtl = attrs(rtlSvg, 'rect', 'chart-bar');
      expect(rtlSvg).to.include('direction="rtl"').and.not.include('transform');
      expect(rtl).to.have.length(2);
      rtl.forEach((r, i) => {
        const l = ltr[i]!;
        expect(Number(r.width)).to.equal(Number(l.width));
        expect(Number(r.x) + Number(r.width)).to.be.closeTo(CHART_WIDTH - Number(l.x), 0.11);
      });
      expect(Number(rtl[0]!.x)).to.be.lessThan(Number(rtl[1]!.x));
    });

    it('When a line chart is drawn right to left, then the first week is the rightmost point of each line', () => {
      const input = { title: 'Trend', categories: ['3 Mar', '10 Mar', '17 Mar'], format: String, tips, series: [{ name: 'Opened', values: [2, 4, 1] }] };
      const points = (svg: string) => /points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => Number(p.split(',')[0]));
      const ltr = points(lineChart({ ...input, dir: 'ltr' }));
      const rtl = points(lineChart({ ...input, dir: 'rtl' }));
      expect(ltr[0]).to.be.lessThan(ltr[2]!);
      expect(rtl[0]).to.be.greaterThan(rtl[2]!);
      rtl.forEach((x, i) => expect(x).to.be.closeTo(CHART_WIDTH - ltr[i]!, 0.11));
      expect(lineChart({ ...input, dir: 'rtl' })).to.include(`<title>${iso('Opened')}, ${iso('3 Mar')}: ${iso('2')}</title>`);
    });

    it('When a column chart is drawn, then each column stands on the baseline with its formatted value as a tooltip', () => {
      const svg = columnChart({ title: 'Money', dir: 'rtl', categories: ['a', 'b'], values: [10, 0], format: (n) => `$${n}`, tips });
      const cols = attrs(svg, 'rect', 'chart-column');
      expect(cols).to.have.length(2);
      expect(Number(cols[0]!.x)).to.be.greaterThan(Number(cols[1]!.x));
      expect(Number(cols[0]!.y) + Number(cols[0]!.height)).to.be.closeTo(Number(cols[1]!.y), 0.11);
      expect(svg).to.include(`<title>${iso('a')}: ${iso('$10')}</title>`);
    });

    it('When a chart holds names and dates, then each is isolated from the text around it, and numbers stand alone', () => {
      const svg = barChart({ title: 't', dir: 'rtl', rows: [{ label: 'TikTok Followers (USD)', value: 1, valueText: '٥٠٪' }], tips });
      expect(svg).to.include(`class="chart-label">${iso('TikTok Followers (USD)')}</text>`);
      expect(svg).to.include('class="chart-value">٥٠٪</text>');
      expect(svg).to.include(`<title>${iso('TikTok Followers (USD)')}: ${iso('٥٠٪')}</title>`);
      const line = lineChart({ title: 't', dir: 'ltr', categories: ['3 Mar'], format: String, tips, series: [{ name: 'Opened', values: [1] }] });
      expect(line).to.include(`class="chart-tick">${iso('3 Mar')}</text>`).and.include(`class="chart-legend">${iso('Opened')}</text>`);
    });

    it('When the page is Arabic, then the tooltip joins its parts with the Arabic comma', () => {
      const svg = lineChart({ title: 't', dir: 'rtl', categories: ['٣ مارس'], format: String, tips: tipWords(translator('ar')), series: [{ name: 'Zeta SMM', values: [2] }] });
      expect(svg).to.include(`<title>${iso('Zeta SMM')}، ${iso('٣ مارس')}: ${iso('2')}</title>`);
    });

    it('When a long label holding an isolated name is cut, then the isolate is closed before the ellipsis', () => {
      const label = `${isolate('A very long service name that goes on')} (USD)`;
      const svg = barChart({ title: 't', dir: 'ltr', rows: [{ label, value: 1, valueText: '1' }], tips });
      const text = /class="chart-label">([^<]*)<\/text>/.exec(svg)![1]!;
      expect(text).to.equal(iso(`${iso('A very long service name ')}…`));
      expect(svg).to.include(`<title>${iso(label)}: ${iso('1')}</title>`);
    });
  });
});
