/**
 * One comparison chart: a line per drawn curve, a shaded ± std band under a group's mean, and
 * optionally the "solved" threshold as a dashed line. The chart is kept across updates (the host
 * re-sends the whole comparison every 2 s while a run trains); only its datasets are replaced.
 * Counts for tests and the e2e flow are exposed as data attributes of the chart box.
 *
 * The threshold follows the dashboard's rule (robustRange.ts, referenceIsNear): it joins the y axis
 * only when the curves come near it; further away (two HalfCheetah runs' first evaluations around 0
 * under 4,800) the axis follows the curves and the threshold is marked at the plot's edge
 * ("solved at 4,800 ↑", overlays.ts), and the caption says so. The box says where it went
 * (data-threshold-shown: inside, above or below), the canvas the marker (data-solved-marker) and
 * the axis (data-y-min, data-y-max).
 */

import { Chart, Filler, type ChartDataset } from 'chart.js';
import type { CurvePoint } from '../../src/shared/comparison';
import { applyGlobalTheme, chartOptions, recolourChart, themedAxis } from '../charts/chartSetup';
import { offAxisThresholdPlugin, shownRangeAttributesPlugin } from '../charts/overlays';
import { referenceIsNear } from '../charts/robustRange';
import { element, setText } from '../dom';
import { formatDuration, formatInteger, formatReturn } from '../format';
import { withAlpha, type ThemePalette } from '../theme';
import type { DrawnCurve } from './curves';
import { runColour } from './runColours';
import type { ComparisonXAxis } from './viewState';

Chart.register(Filler);

const X_TITLES: Record<ComparisonXAxis, string> = { step: 'Environment step', wallTime: 'Wall time (s)', episode: 'Episode' };

export function formatX(axis: ComparisonXAxis, x: number): string {
  if (axis === 'wallTime') return formatDuration(x);
  return `${axis === 'step' ? 'Step' : 'Episode'} ${formatInteger(x)}`;
}

type LineDataset = ChartDataset<'line', CurvePoint[]>;

/** The threshold's line: thin, dashed, in the muted text colour (the run colours include the theme's green). */
const THRESHOLD_DASH = [5, 4];
const THRESHOLD_WIDTH = 1;

/** Where the threshold went, for the caption and the tests. */
type ThresholdShown = 'inside' | 'above' | 'below';

/**
 * The caption naming the threshold, true to where it is drawn: off the axis, only its marker's
 * dashed stub is. Short enough to share the header's line with the chart's title.
 */
function thresholdNote(label: string, shown: ThresholdShown): string {
  return shown === 'inside' ? `dashed: ${label}` : `dashed: ${label}, ${shown} the axis`;
}

/** The lowest and highest y of the curves and their bands: what the y axis is fitted to. */
function yExtent(curves: readonly DrawnCurve[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  const take = (points: readonly CurvePoint[]) => {
    for (const p of points) {
      if (p.y < low) low = p.y;
      if (p.y > high) high = p.y;
    }
  };
  for (const curve of curves) {
    take(curve.points);
    if (curve.band) {
      take(curve.band.lower);
      take(curve.band.upper);
    }
  }
  return [low, high];
}

export class ComparisonChart {
  readonly element: HTMLElement;
  private readonly box: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly noteElement: HTMLElement;
  private readonly chart: Chart<'line', CurvePoint[]>;
  private axis: ComparisonXAxis = 'step';
  /** The threshold when the y axis leaves it out (the overlay marks it at the edge), else null. */
  private offAxisThreshold: number | null = null;

  constructor(
    title: string,
    testId: string,
    private palette: ThemePalette,
    private readonly emptyText: string,
    /** The caption; with a threshold, the threshold's own (thresholdNote). */
    private readonly note = '',
    /** What the chart shows in words for screen readers (the title alone does not say which environment). */
    accessibleName = title,
    /** Extra data attributes of the chart box (the environment it shows, for tests). */
    boxData: Record<string, string> = {},
  ) {
    const canvas = element('canvas', { attributes: { role: 'img', 'aria-label': accessibleName } });
    this.empty = element('p', { className: 'chart-empty', text: emptyText });
    this.box = element('div', { className: 'chart-box', testId }, [canvas, this.empty]);
    Object.assign(this.box.dataset, boxData);
    this.noteElement = element('span', { className: 'muted chart-note', text: note });
    this.element = element('section', { className: 'card chart-card' }, [
      element('div', { className: 'card-header' }, [element('h3', { className: 'card-title', text: title }), this.noteElement]),
      this.box,
    ]);
    applyGlobalTheme(palette);
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: chartOptions(
        palette,
        {
          // Every axis (steps, seconds, episodes) starts at 0 before training: round ticks from there.
          x: { ...themedAxis(X_TITLES.step, palette), type: 'linear', bounds: 'data', min: 0, ticks: { ...themedAxis('', palette).ticks, maxRotation: 0, autoSkip: true } },
          y: { ...themedAxis('Return', palette), type: 'linear' },
        },
        {
          title: (items) => (items.length > 0 ? formatX(this.axis, items[0].parsed.x ?? 0) : ''),
          label: (item) => `${item.dataset.label ?? ''}: ${formatReturn(item.parsed.y)}`,
        },
      ),
      plugins: [
        offAxisThresholdPlugin(
          () => this.offAxisThreshold,
          () => ({ colour: this.palette.mutedForeground, background: this.palette.background, dash: THRESHOLD_DASH, lineWidth: THRESHOLD_WIDTH }),
        ),
        shownRangeAttributesPlugin,
      ],
    });
    const options = this.chart.options;
    if (options.plugins?.legend) options.plugins.legend.display = false;
    // Bands and the threshold are context, not data: the tooltip lists the lines only.
    if (options.plugins?.tooltip) options.plugins.tooltip.filter = (item) => !(item.dataset as { isContext?: boolean }).isContext;
  }

  update(curves: readonly DrawnCurve[], axis: ComparisonXAxis, threshold?: { y: number; label: string }): void {
    this.axis = axis;
    const xScale = this.chart.options.scales?.x;
    if (xScale && 'title' in xScale && xScale.title) xScale.title.text = X_TITLES[axis];
    const datasets: LineDataset[] = [];
    let bands = 0;
    let points = 0;
    let xMax = -Infinity;
    let xMin = Infinity;
    for (const curve of curves) {
      const colour = runColour(curve.colourIndex, this.palette);
      if (curve.band && curve.band.lower.length > 0) {
        bands++;
        const context = { isContext: true, borderWidth: 0, pointRadius: 0, borderColor: 'transparent' } as const;
        datasets.push({ ...context, label: `${curve.label} − std`, data: curve.band.lower, fill: false });
        datasets.push({ ...context, label: `${curve.label} + std`, data: curve.band.upper, fill: '-1', backgroundColor: withAlpha(colour, 0.18) });
      }
      const single = curve.points.length === 1;
      datasets.push({ label: curve.label, data: curve.points, borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: single ? 3 : 0 });
      points += curve.points.length;
      for (const p of curve.points) {
        if (p.x > xMax) xMax = p.x;
        if (p.x < xMin) xMin = p.x;
      }
    }
    // Without curves there is no axis to leave it out of: the caption names it all the same.
    let shown: ThresholdShown = 'inside';
    if (threshold && points > 0) {
      const [low, high] = yExtent(curves);
      if (!referenceIsNear(low, high, { value: threshold.y })) shown = threshold.y > high ? 'above' : 'below';
    }
    this.offAxisThreshold = threshold && points > 0 && shown !== 'inside' ? threshold.y : null;
    if (threshold && points > 0 && shown === 'inside') {
      const line = xMin === xMax ? [{ x: xMin, y: threshold.y }] : [{ x: xMin, y: threshold.y }, { x: xMax, y: threshold.y }];
      datasets.push({
        label: threshold.label,
        data: line,
        borderColor: this.palette.mutedForeground,
        borderDash: THRESHOLD_DASH,
        borderWidth: THRESHOLD_WIDTH,
        pointRadius: 0,
        isContext: true,
      } as LineDataset);
    }
    setText(this.noteElement, threshold ? thresholdNote(threshold.label, shown) : this.note);
    this.chart.data.datasets = datasets;
    this.chart.update('none');
    const lines = curves.filter((c) => c.points.length > 0).length;
    this.box.classList.toggle('is-empty', lines === 0);
    this.empty.hidden = lines > 0;
    this.empty.textContent = this.emptyText;
    this.box.dataset.lines = String(lines);
    this.box.dataset.bands = String(bands);
    this.box.dataset.points = String(points);
    this.box.dataset.xMax = Number.isFinite(xMax) ? String(xMax) : '';
    this.box.dataset.threshold = threshold && points > 0 ? String(threshold.y) : '';
    this.box.dataset.thresholdLabel = threshold && points > 0 ? threshold.label : '';
    this.box.dataset.thresholdShown = threshold && points > 0 ? shown : '';
  }

  setPalette(palette: ThemePalette, curves: readonly DrawnCurve[], axis: ComparisonXAxis, threshold?: { y: number; label: string }): void {
    this.palette = palette;
    applyGlobalTheme(palette);
    recolourChart(this.chart, palette);
    this.update(curves, axis, threshold);
  }

  dispose(): void {
    this.chart.destroy();
    this.element.remove();
  }
}
