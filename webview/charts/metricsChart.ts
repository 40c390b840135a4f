/**
 * The training statistics chart: any per-episode metric the rows carry (metrics.ts) on the left
 * axis, and optionally a second one on the right. By default the critic's TD loss (log scale: it
 * falls by decades) and the mean Q value (linear: negative for Pendulum). Each axis is fitted to
 * its visible values (robustRange.ts), so the loss line stays inside its chart.
 */

import { Chart, type Scale, type ScaleOptions, type ScriptableLineSegmentContext, type TooltipItem } from 'chart.js';
import type { EpisodeRow } from '../../src/shared/protocol';
import { element } from '../dom';
import { formatSignificant } from '../format';
import { withAlpha, type ThemePalette } from '../theme';
import { chartOptions, dropUnroundEndTicks, fittedLinearAxis, linearXAxis, recolourChart, retitleXAxis, themedAxis, xTooltipTitle } from './chartSetup';
import { createChartCard, type ChartCard } from './chartCard';
import { chartPngDataUrl, exportButton } from './chartExport';
import { detailRowRange, isParentHistory, visibleRowRange, type ChartView } from './chartView';
import type { RowSeries } from './decimatedSeries';
import { MetricCatalogue, metricLabel, metricValue } from './metrics';
import { clippedPointsPlugin, referenceLinesPlugin, shownRangeAttributesPlugin, type ReferenceLines } from './overlays';
import { robustLogRange, robustRange, type FittedRange } from './robustRange';
import { metricSeries, rowPoints, type XYPoint } from './series';
import { setPanLimits, zoomPluginOptions } from './zoom';

/** The right-hand picker's "nothing on this axis". */
export const NO_METRIC = '';

export interface MetricChoice {
  left: string;
  right: string;
  logScale: boolean;
}

const LEFT = 0;
const RIGHT = 1;

export class MetricsChart {
  readonly card: ChartCard;
  readonly chart: Chart<'line', XYPoint[]>;
  private episodes: readonly EpisodeRow[] = [];
  private readonly catalogue = new MetricCatalogue();
  private readonly leftSelect: HTMLSelectElement;
  private readonly rightSelect: HTMLSelectElement;
  private readonly logCheckbox: HTMLInputElement;
  private leftLine!: RowSeries<EpisodeRow>;
  private rightLine!: RowSeries<EpisodeRow>;
  private lines: ReferenceLines = { solved: null, resume: null };
  private shownLog = false;

  constructor(
    private palette: ThemePalette,
    private view: ChartView,
    private choice: MetricChoice,
    onChoiceChange: (choice: MetricChoice) => void,
    onUserZoom: (chart: Chart) => void,
    onExport: (dataUrl: string, metric: string) => void,
  ) {
    this.leftSelect = element('select', { className: 'select', testId: 'metric-select' });
    this.rightSelect = element('select', { className: 'select', testId: 'metric-second-select' });
    this.logCheckbox = element('input', { testId: 'loss-log-scale', attributes: { type: 'checkbox' } });
    this.logCheckbox.checked = choice.logScale;
    const changed = () => {
      this.choice = { left: this.leftSelect.value, right: this.rightSelect.value, logScale: this.logCheckbox.checked };
      onChoiceChange(this.choice);
      this.rebuildLines();
      this.redraw();
    };
    for (const control of [this.leftSelect, this.rightSelect, this.logCheckbox]) control.addEventListener('change', changed);
    const controls = [
      element('label', { className: 'control-label' }, [element('span', { text: 'Metric' }), this.leftSelect]),
      element('label', { className: 'control-label' }, [element('span', { text: 'and' }), this.rightSelect]),
      element('label', { className: 'control-label checkbox-label' }, [this.logCheckbox, element('span', { text: 'Log scale' })]),
      exportButton('loss-chart-export', 'Training statistics', () => onExport(chartPngDataUrl(this.chart, this.palette.background), this.choice.left)),
    ];
    this.card = createChartCard(this.title(), 'loss-chart', controls);
    const parentFaded = (colour: () => string) => (ctx: ScriptableLineSegmentContext) =>
      isParentHistory((ctx.p1 as unknown as { parsed: XYPoint }).parsed.x, this.view) ? withAlpha(colour(), 0.3) : colour();
    const rightAxis = fittedLinearAxis('', palette);
    this.chart = new Chart<'line', XYPoint[]>(this.card.canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: '', data: [], yAxisID: 'y', pointStyle: 'line', borderWidth: 1.5, segment: { borderColor: parentFaded(() => this.palette.red) } },
          { label: '', data: [], yAxisID: 'y2', pointStyle: 'line', borderWidth: 1.5, segment: { borderColor: parentFaded(() => this.palette.green) } },
        ],
      },
      options: chartOptions(
        palette,
        {
          x: linearXAxis(view.axis, palette, view.start),
          y: this.leftAxis(false),
          y2: { ...rightAxis, position: 'right', grid: { ...rightAxis.grid, drawOnChartArea: false } },
        },
        {
          title: (items: TooltipItem<'line'>[]) => xTooltipTitle(this.view.axis, items[0]?.parsed.x),
          label: (item: TooltipItem<'line'>) => ` ${item.dataset.label}: ${formatSignificant(item.parsed.y)}`,
        },
        zoomPluginOptions(palette, onUserZoom),
      ),
      plugins: [
        referenceLinesPlugin(() => this.lines, () => this.palette, null),
        clippedPointsPlugin([
          { datasetIndex: LEFT, size: 3 },
          { datasetIndex: RIGHT, size: 3 },
        ]),
        shownRangeAttributesPlugin,
      ],
    });
    this.rebuildLines();
    this.applyColours();
  }

  setRows(episodes: readonly EpisodeRow[]): void {
    this.episodes = episodes;
  }

  setView(view: ChartView): void {
    const axisChanged = view.axis !== this.view.axis;
    this.view = view;
    if (axisChanged) {
      this.rebuildLines();
      retitleXAxis(this.chart, view.axis);
    }
    // Zoomed, the zoom plugin owns the x range; it gives the start back on reset.
    const x = this.chart.options.scales?.x;
    if (x && !view.zoom) x.min = view.start;
  }

  setReferenceLines(lines: ReferenceLines): void {
    this.lines = { solved: null, resume: lines.resume };
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.applyColours();
    recolourChart(this.chart, palette);
    this.chart.update('none');
  }

  redraw(): void {
    if (this.catalogue.sync(this.episodes) || this.leftSelect.options.length === 0) this.fillPickers();
    const logScale = this.logApplies();
    if (logScale !== this.shownLog) this.rebuildLines();
    const [left, right] = this.chart.data.datasets;
    const detail = detailRowRange(this.episodes, this.view);
    const valueOf = (key: string, positiveOnly: boolean) => (row: EpisodeRow) => {
      const value = metricValue(row, key);
      return value === null || (positiveOnly && value <= 0) ? null : value;
    };
    left.data = detail
      ? rowPoints(this.episodes, detail[0], detail[1], this.view.axis, valueOf(this.choice.left, logScale))
      : this.leftLine.sync(this.episodes).points();
    right.data =
      this.choice.right === NO_METRIC
        ? []
        : detail
          ? rowPoints(this.episodes, detail[0], detail[1], this.view.axis, valueOf(this.choice.right, false))
          : this.rightLine.sync(this.episodes).points();
    left.label = metricLabel(this.choice.left);
    right.label = this.choice.right === NO_METRIC ? '' : metricLabel(this.choice.right);
    this.fitAxes(logScale);
    const last = this.episodes[this.episodes.length - 1];
    setPanLimits(this.chart, 0, last ? (this.view.axis === 'episode' ? last.episode : last.step) : this.view.start);
    const empty = left.data.length === 0 && right.data.length === 0;
    this.card.showEmptyNote(
      !empty ? null : this.episodes.length === 0 ? 'No finished episodes yet.' : 'No updates yet: the replay buffer is still warming up.',
    );
    this.chart.update('none');
  }

  private title(): string {
    const left = metricLabel(this.choice.left);
    return this.choice.right === NO_METRIC ? left : `${left} and ${metricLabel(this.choice.right).replace(/^Mean/, 'mean')}`;
  }

  /** A log axis only for a metric whose every value is positive (losses, α); otherwise linear. */
  private logApplies(): boolean {
    const summary = this.catalogue.get(this.choice.left);
    const positive = summary === undefined || summary.min > 0;
    this.logCheckbox.disabled = !positive;
    this.logCheckbox.parentElement?.setAttribute('title', positive ? '' : `${metricLabel(this.choice.left)} has values ≤ 0: a log scale cannot show them`);
    return this.choice.logScale && positive;
  }

  private rebuildLines(): void {
    this.shownLog = this.logApplies();
    this.leftLine = metricSeries(this.view.axis, this.choice.left, this.shownLog);
    this.rightLine = metricSeries(this.view.axis, this.choice.right, false);
    const scales = this.chart?.options.scales;
    if (scales) {
      scales.y = this.leftAxis(this.shownLog);
      const right = scales.y2;
      if (right) {
        right.display = this.choice.right !== NO_METRIC;
        if (right.title) right.title.text = metricLabel(this.choice.right);
      }
    }
    this.card?.setTitle(this.title());
  }

  private fillPickers(): void {
    const fill = (select: HTMLSelectElement, selected: string, withNone: boolean) => {
      const options: Array<{ key: string; label: string }> = this.catalogue.list();
      if (selected !== NO_METRIC && !this.catalogue.has(selected)) options.unshift({ key: selected, label: metricLabel(selected) });
      if (withNone) options.push({ key: NO_METRIC, label: 'nothing' });
      select.replaceChildren(...options.map((o) => element('option', { text: o.label, attributes: { value: o.key } })));
      select.value = selected;
    };
    fill(this.leftSelect, this.choice.left, false);
    fill(this.rightSelect, this.choice.right, true);
  }

  private fitAxes(logScale: boolean): void {
    const [from, to] = visibleRowRange(this.episodes, this.view);
    const fit = (key: string, log: boolean): FittedRange | null => {
      const values: number[] = [];
      for (let i = from; i < to; i++) {
        const value = metricValue(this.episodes[i], key);
        if (value !== null) values.push(value);
      }
      return log ? robustLogRange(values, values.length) : robustRange(values, values.length);
    };
    const scales = this.chart.options.scales ?? {};
    const leftFit = fit(this.choice.left, logScale);
    const rightFit = this.choice.right === NO_METRIC ? null : fit(this.choice.right, false);
    for (const [scale, fitted] of [[scales.y, leftFit], [scales.y2, rightFit]] as const) {
      if (!scale) continue;
      scale.min = fitted?.min;
      scale.max = fitted?.max;
    }
    const clipped = [leftFit, rightFit].reduce((sum, f) => sum + (f ? f.below + f.above : 0), 0);
    this.card.setNote(clipped === 0 ? null : `Axes fitted to the bulk of the visible values: ${clipped} points beyond them are marked ▲▼ at the edge.`);
  }

  private leftAxis(logScale: boolean): ScaleOptions<'linear' | 'logarithmic'> {
    const label = metricLabel(this.choice.left);
    const themed = themedAxis(logScale ? `${label} (log)` : label, this.palette);
    return {
      ...themed,
      type: logScale ? 'logarithmic' : 'linear',
      position: 'left',
      // Bounds on 1-2-5 values coincide with generated ticks, which Chart.js then draws twice.
      afterBuildTicks: logScale
        ? (scale) => {
            scale.ticks = scale.ticks.filter((tick, i, all) => i === 0 || Math.abs(tick.value / all[i - 1].value - 1) > 1e-9);
          }
        : dropUnroundEndTicks,
      ticks: {
        ...themed.ticks,
        // Log axes put a tick at every 1…9 of each decade, which crowds a short chart: label the
        // 1s, 2s, 3s and 5s of a short range, the 1s and 5s of a longer one.
        callback: logScale
          ? function (this: Scale, value) {
              const v = Number(value);
              const mantissa = Math.round((v / 10 ** Math.floor(Math.log10(v) + 1e-9)) * 1000) / 1000;
              const labelled = this.max / this.min < 12 ? [1, 2, 3, 5] : [1, 5];
              return labelled.includes(mantissa) ? formatSignificant(v) : '';
            }
          : (value) => formatSignificant(Number(value)),
      },
    };
  }

  private applyColours(): void {
    const [left, right] = this.chart.data.datasets;
    left.borderColor = this.palette.red;
    left.backgroundColor = this.palette.red;
    right.borderColor = this.palette.green;
    right.backgroundColor = this.palette.green;
  }
}
