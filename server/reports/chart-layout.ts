// Where things go in the dashboard's charts, pure. Every layout is drawn left to
// right and then mirrored in the SVG's own coordinates for a right-to-left page
// (x → width − x), so in Arabic the bars grow from the right and time runs from
// right to left without any CSS transform on text.
export type Direction = 'ltr' | 'rtl';

export const CHART_WIDTH = 640;

/** A point's x after mirroring. */
export function mirrorX(x: number, dir: Direction, width = CHART_WIDTH): number {
  return dir === 'rtl' ? width - x : x;
}

/** The left edge of the span [x, x + w] after mirroring. */
export function mirrorSpan(x: number, w: number, dir: Direction, width = CHART_WIDTH): number {
  return dir === 'rtl' ? width - x - w : x;
}

/** Rounded for tidy SVG (a tenth of a unit is far below a pixel). */
export function r1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Whole-number axis ticks from 0 to a round top of at least max: steps of 1, 2 or 5 × 10ⁿ. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, Math.ceil([1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw * (1 - 1e-9))!));
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

export const BAR = { labelWidth: 200, valueWidth: 76, gap: 8, row: 30, bar: 18, pad: 8 } as const;

export interface BarBox {
  /** the bar's rectangle */
  x: number;
  y: number;
  width: number;
  height: number;
  /** the label's anchor: its end touches the start of the plot */
  labelX: number;
  /** the value's anchor: its start follows the end of the bar */
  valueX: number;
  /** the text baseline's middle */
  textY: number;
}

/** Horizontal bars, one row each, scaled to the largest value (or max). */
export function barLayout(values: readonly number[], dir: Direction, max = Math.max(0, ...values)) {
  const plotStart = BAR.labelWidth + BAR.gap;
  const plotWidth = CHART_WIDTH - BAR.valueWidth - plotStart;
  const bars: BarBox[] = values.map((v, i) => {
    const width = max > 0 ? (Math.max(0, v) / max) * plotWidth : 0;
    const top = BAR.pad + i * BAR.row;
    return {
      x: mirrorSpan(plotStart, width, dir),
      y: top + (BAR.row - BAR.bar) / 2,
      width,
      height: BAR.bar,
      labelX: mirrorX(BAR.labelWidth, dir),
      valueX: mirrorX(plotStart + width + 6, dir),
      textY: top + BAR.row / 2,
    };
  });
  return { width: CHART_WIDTH, height: BAR.pad * 2 + values.length * BAR.row, axisX: mirrorX(plotStart, dir), bars };
}

export const TIME = { height: 260, start: 100, end: 16, top: 32, bottom: 40 } as const;

/** A time axis of n equal bands (weeks), oldest at the start of the reading direction, and a value axis to `top`. */
export function timeLayout(n: number, dir: Direction, top: number) {
  const plotWidth = CHART_WIDTH - TIME.start - TIME.end;
  const plotHeight = TIME.height - TIME.top - TIME.bottom;
  const band = plotWidth / Math.max(1, n);
  return {
    width: CHART_WIDTH,
    height: TIME.height,
    band,
    /** the middle of band i */
    x: (i: number) => mirrorX(TIME.start + (i + 0.5) * band, dir),
    /** the left edge of a column of this width centred in band i */
    columnX: (i: number, w: number) => mirrorSpan(TIME.start + (i + 0.5) * band - w / 2, w, dir),
    y: (v: number) => TIME.top + plotHeight - (top > 0 ? (v / top) * plotHeight : 0),
    baseline: TIME.top + plotHeight,
    plotStartX: mirrorX(TIME.start, dir),
    plotEndX: mirrorX(CHART_WIDTH - TIME.end, dir),
    /** where the value axis' labels end, just before the plot */
    tickLabelX: mirrorX(TIME.start - 8, dir),
  };
}

/** Which of n time labels to print so that about `most` fit: every k-th, always the first. */
export function labelEvery(n: number, most = 8): number {
  return Math.max(1, Math.ceil(n / most));
}
