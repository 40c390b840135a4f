/**
 * The return curve: every training episode's return (faint), its trailing moving average, and the
 * deterministic evaluations as markers with ± std whiskers.
 */

import { Chart, type TooltipItem } from 'chart.js';
import type { EpisodeRow, EvalRow } from '../../src/shared/protocol';
import { labelledSelect } from '../dom';
import { formatMeanStd, formatReturn } from '../format';
import { withAlpha, type ThemePalette } from '../theme';
import { MOVING_AVERAGE_WINDOWS, type XAxisKind } from '../viewState';
import { chartOptions, linearXAxis, recolourChart, retitleXAxis, themedAxis, xTooltipTitle } from './chartSetup';
import { createChartCard, type ChartCard } from './chartCard';
import { errorBarsPlugin } from './errorBars';
import type { RowSeries } from './decimatedSeries';
import { evalPoints, movingAverageSeries, returnSeries, type EvalPoint, type XYPoint } from './series';

const RETURN = 0;
const MOVING_AVERAGE = 1;
const EVALUATION = 2;
const DENSE_EVALUATIONS = 150;

type ReturnsChartType = 'line' | 'scatter';

export class ReturnsChart {
  readonly card: ChartCard;
  private readonly chart: Chart<ReturnsChartType, XYPoint[]>;
  private episodes: readonly EpisodeRow[] = [];
  private evals: readonly EvalRow[] = [];
  private pointCount = 0;
  private returnLine: RowSeries<EpisodeRow>;
  private averageLine: RowSeries<EpisodeRow>;

  constructor(
    private palette: ThemePalette,
    private xAxis: XAxisKind,
    private window: number,
    onWindowChange: (window: number) => void,
  ) {
    const windowControl = labelledSelect(
      'Smoothing',
      MOVING_AVERAGE_WINDOWS.map((w) => ({ value: String(w), label: w === 1 ? 'off' : `${w} episodes` })),
      String(window),
      'moving-average-select',
      (value) => {
        this.window = Number(value);
        this.averageLine = movingAverageSeries(this.xAxis, this.window);
        onWindowChange(this.window);
        this.redraw();
      },
    );
    this.returnLine = returnSeries(xAxis);
    this.averageLine = movingAverageSeries(xAxis, window);
    this.card = createChartCard('Episode return', 'returns-chart', [windowControl.label]);
    this.chart = new Chart<ReturnsChartType, XYPoint[]>(this.card.canvas, {
      type: 'line',
      data: {
        datasets: [
          { type: 'line', label: 'Return', data: [], pointStyle: 'line', borderWidth: 1 },
          { type: 'line', label: this.movingAverageLabel(), data: [], pointStyle: 'line', borderWidth: 2.25 },
          { type: 'scatter', label: 'Eval mean ± std', data: [], pointRadius: 3.5, pointHoverRadius: 5, pointStyle: 'circle' },
        ],
      },
      options: chartOptions(
        palette,
        { x: linearXAxis(xAxis, palette), y: { ...themedAxis('Return', palette), type: 'linear' } },
        { title: (items) => xTooltipTitle(this.xAxis, items[0]?.parsed.x), label: (item) => this.tooltipLabel(item) },
      ),
      plugins: [errorBarsPlugin(EVALUATION)],
    });
    this.applyColours();
  }

  /** Number of episode points handed to the chart at the last redraw. */
  get episodePointCount(): number {
    return this.pointCount;
  }

  setRows(episodes: readonly EpisodeRow[], evals: readonly EvalRow[]): void {
    this.episodes = episodes;
    this.evals = evals;
  }

  setXAxis(axis: XAxisKind): void {
    this.xAxis = axis;
    this.returnLine = returnSeries(axis);
    this.averageLine = movingAverageSeries(axis, this.window);
    retitleXAxis(this.chart, axis);
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.applyColours();
    recolourChart(this.chart, palette);
    this.chart.update('none');
  }

  redraw(): void {
    const [returns, average, evaluations] = this.chart.data.datasets;
    returns.data = this.returnLine.sync(this.episodes).points();
    average.data = this.window > 1 ? this.averageLine.sync(this.episodes).points() : [];
    average.label = this.movingAverageLabel();
    evaluations.data = evalPoints(this.evals, this.xAxis);
    // Hundreds of evaluations (very long runs) overlap anyway: smaller, borderless markers keep
    // them readable and cheap to draw.
    const dense = this.evals.length > DENSE_EVALUATIONS;
    evaluations.pointRadius = dense ? 1.75 : 3.5;
    evaluations.pointBorderWidth = dense ? 0 : 1;
    this.pointCount = this.episodes.length;
    this.card.showEmptyNote(this.episodes.length === 0 ? 'No finished episodes yet.' : null);
    this.chart.update('none');
  }

  private movingAverageLabel(): string {
    return this.window > 1 ? `Moving average (${this.window})` : 'Moving average (off)';
  }

  private applyColours(): void {
    const { blue, purple } = this.palette;
    const highContrast = this.palette.kind.startsWith('high-contrast');
    const [returns, average, evaluations] = this.chart.data.datasets;
    returns.borderColor = withAlpha(blue, highContrast ? 0.6 : 0.35);
    returns.backgroundColor = returns.borderColor;
    average.borderColor = blue;
    average.backgroundColor = blue;
    evaluations.borderColor = purple;
    evaluations.backgroundColor = purple;
  }

  private tooltipLabel(item: TooltipItem<ReturnsChartType>): string {
    if (item.datasetIndex === EVALUATION) {
      const point = item.raw as EvalPoint;
      return ` Eval: ${formatMeanStd(point.y, point.std)} over ${point.episodes} episodes`;
    }
    const name = item.datasetIndex === MOVING_AVERAGE ? 'Moving average' : item.datasetIndex === RETURN ? 'Return' : '';
    return ` ${name}: ${formatReturn(item.parsed.y)}`;
  }
}
