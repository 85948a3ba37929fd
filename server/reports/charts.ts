// The dashboard's charts as SVG strings built on the server: no chart script runs
// in the browser. Every text that goes in is escaped here, so the result is safe to
// print into the page as it is. Each chart has a <title> and an aria-label; the page
// puts its data table beside it. Numbers arrive already formatted (Intl) by the caller,
// and so do the words that join a tooltip's parts (the page's language decides them).
//
// Bidi: names and dates are isolated (FSI … PDI), so a Latin service name in an
// Arabic chart, or an Arabic one in an English chart, keeps its own order and cannot
// pull the punctuation around it to the wrong side.
import { escapeHtml } from '../i18n/markup';
import { BAR, barLayout, labelEvery, niceTicks, r1, timeLayout, TIME, type Direction } from './chart-layout';

const LABEL_CHARS = 26;
const FSI = '\u2068';
const PDI = '\u2069';

/** Text of unknown direction set apart from what surrounds it (Unicode first-strong isolate). */
export function isolate(text: string): string {
  return `${FSI}${text}${PDI}`;
}

/** Long labels are cut in the chart (the table and the row's tooltip carry them whole); an isolate cut open is closed. */
function cut(text: string, max = LABEL_CHARS): string {
  const chars = [...text];
  if (chars.filter((c) => c !== FSI && c !== PDI).length <= max) return text;
  let shown = 0;
  let open = 0;
  let kept = '';
  for (const c of chars) {
    if (c === FSI) open += 1;
    else if (c === PDI) open -= 1;
    else if (shown === max - 1) break;
    else shown += 1;
    kept += c;
  }
  return `${kept}${PDI.repeat(Math.max(0, open))}…`;
}

/** How the page's language joins a tooltip's parts; each part arrives already isolated. */
export interface TipWords {
  /** e.g. "{{label}}: {{value}}" */
  point(label: string, value: string): string;
  /** e.g. "{{series}}, {{label}}: {{value}}" */
  seriesPoint(series: string, label: string, value: string): string;
}

function open(title: string, dir: Direction, width: number, height: number, kind: string): string {
  const t = escapeHtml(title);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${kind}-chart" viewBox="0 0 ${width} ${r1(height)}" ` +
    `role="img" aria-label="${t}" direction="${dir}"><title>${t}</title>`
  );
}

/** A number Intl wrote for this page: alone in its <text>, it is its own paragraph and needs no isolate. */
function text(x: number, y: number, anchor: 'start' | 'middle' | 'end', content: string, cls: string): string {
  return `<text x="${r1(x)}" y="${r1(y)}" text-anchor="${anchor}" dominant-baseline="middle" class="${cls}">${escapeHtml(content)}</text>`;
}

/** A name or a date: isolated, so that it reads in its own direction whatever the chart's. */
function label(x: number, y: number, anchor: 'start' | 'middle' | 'end', content: string, cls: string): string {
  return text(x, y, anchor, isolate(content), cls);
}

export interface BarRow {
  label: string;
  value: number;
  /** the value as the page says it (e.g. "12.5%") */
  valueText: string;
}

/** Horizontal bars; in RTL they grow from the right, labels on the right, values after the bar's end. */
export function barChart(input: { title: string; dir: Direction; rows: readonly BarRow[]; tips: TipWords; max?: number }): string {
  const layout = barLayout(
    input.rows.map((r) => r.value),
    input.dir,
    input.max,
  );
  const parts = [open(input.title, input.dir, layout.width, layout.height, 'bar')];
  parts.push(`<line class="chart-axis" x1="${r1(layout.axisX)}" x2="${r1(layout.axisX)}" y1="0" y2="${r1(layout.height)}"/>`);
  input.rows.forEach((row, i) => {
    const b = layout.bars[i]!;
    parts.push(
      `<g class="chart-row"><title>${escapeHtml(input.tips.point(isolate(row.label), isolate(row.valueText)))}</title>`,
      label(b.labelX, b.textY, 'end', cut(row.label), 'chart-label'),
      `<rect class="chart-bar" x="${r1(b.x)}" y="${r1(b.y)}" width="${r1(b.width)}" height="${BAR.bar}"/>`,
      text(b.valueX, b.textY, 'start', row.valueText, 'chart-value'),
      '</g>',
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface TimeChartInput {
  title: string;
  dir: Direction;
  /** one label per band (week), oldest first */
  categories: readonly string[];
  /** a value formatted for the axis and the tooltips */
  format: (n: number) => string;
  tips: TipWords;
}

/** The value axis (grid lines and their labels) and the time labels under the plot. */
function axes(input: TimeChartInput, top: number, ticks: number[]): { layout: ReturnType<typeof timeLayout>; svg: string } {
  const layout = timeLayout(input.categories.length, input.dir, top);
  const parts: string[] = [];
  for (const tick of ticks) {
    const y = layout.y(tick);
    parts.push(
      `<line class="chart-grid" x1="${r1(layout.plotStartX)}" x2="${r1(layout.plotEndX)}" y1="${r1(y)}" y2="${r1(y)}"/>`,
      text(layout.tickLabelX, y, 'end', input.format(tick), 'chart-tick'),
    );
  }
  const every = labelEvery(input.categories.length);
  input.categories.forEach((category, i) => {
    if (i % every === 0) parts.push(label(layout.x(i), layout.baseline + TIME.bottom / 2, 'middle', category, 'chart-tick'));
  });
  return { layout, svg: parts.join('') };
}

export interface Series {
  name: string;
  values: readonly number[];
}

/** Lines over time, one per series, with a legend; time runs in the reading direction. */
export function lineChart(input: TimeChartInput & { series: readonly Series[] }): string {
  const ticks = niceTicks(Math.max(0, ...input.series.flatMap((s) => s.values)));
  const top = ticks[ticks.length - 1]!;
  const { layout, svg } = axes(input, top, ticks);
  const parts = [open(input.title, input.dir, layout.width, layout.height, 'line'), svg];
  parts.push(legend(input.series.map((s) => s.name), input.dir, layout.plotStartX));
  input.series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${r1(layout.x(i))},${r1(layout.y(v))}`).join(' ');
    parts.push(`<g class="chart-series chart-series-${k}"><polyline class="chart-line" points="${points}"/>`);
    s.values.forEach((v, i) => {
      const tip = input.tips.seriesPoint(isolate(s.name), isolate(input.categories[i] ?? ''), isolate(input.format(v)));
      parts.push(`<circle class="chart-point" cx="${r1(layout.x(i))}" cy="${r1(layout.y(v))}" r="3"><title>${escapeHtml(tip)}</title></circle>`);
    });
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Columns over time (one value per band); time runs in the reading direction. */
export function columnChart(input: TimeChartInput & { values: readonly number[] }): string {
  const ticks = niceTicks(Math.max(0, ...input.values));
  const top = ticks[ticks.length - 1]!;
  const { layout, svg } = axes(input, top, ticks);
  const w = Math.max(1, layout.band * 0.6);
  const parts = [open(input.title, input.dir, layout.width, layout.height, 'column'), svg];
  input.values.forEach((v, i) => {
    const y = layout.y(v);
    const tip = input.tips.point(isolate(input.categories[i] ?? ''), isolate(input.format(v)));
    parts.push(
      `<rect class="chart-column" x="${r1(layout.columnX(i, w))}" y="${r1(y)}" width="${r1(w)}" height="${r1(layout.baseline - y)}"><title>${escapeHtml(tip)}</title></rect>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A row of swatches and names above the plot, laid out in the reading direction. */
function legend(names: readonly string[], dir: Direction, startX: number): string {
  const sign = dir === 'rtl' ? -1 : 1;
  let offset = 0;
  const parts: string[] = [];
  names.forEach((name, k) => {
    const swatch = startX + sign * offset;
    const x = dir === 'rtl' ? swatch - 12 : swatch;
    parts.push(
      `<g class="chart-series chart-series-${k}"><rect class="chart-swatch" x="${r1(x)}" y="${TIME.top / 2 - 6}" width="12" height="12"/>`,
      label(swatch + sign * 18, TIME.top / 2, 'start', name, 'chart-legend'),
      '</g>',
    );
    // An estimate of the name's width is enough to space two or three entries.
    offset += 18 + [...name].length * 8 + 24;
  });
  return parts.join('');
}
