/**
 * The return curve: every training episode's return (faint), its trailing moving average, the
 * deterministic evaluations as markers with ± std whiskers drawn on top of the band, and the
 * environment's "solved" line. The y axis fits the visible returns (robustRange.ts), and takes in
 * the solved line only when the returns come near it (else the line is marked at the plot's edge);
 * a resumed run's copied parent history is drawn fainter still.
 *
 * The canvas also says what the curve holds, for tests that cannot read a canvas's pixels as
 * returns (the end-to-end journeys): data-first-return, data-best-return with data-best-episode,
 * and data-latest-return with data-latest-episode, over every row handed to the chart. Its card
 * says the threshold (data-solved-threshold) and where the fitted axis left it (data-solved-shown:
 * inside, above or below); the canvas, the per-episode line's alpha (data-return-alpha).
 */

import { Chart, type ScriptableContext, type ScriptableLineSegmentContext, type TooltipItem } from 'chart.js';
import type { EpisodeRow, EvalRow } from '../../src/shared/protocol';
import { labelledSelect } from '../dom';
import { formatInteger, formatMeanStd, formatReturn } from '../format';
import { withAlpha, type ThemePalette } from '../theme';
import { MOVING_AVERAGE_WINDOWS } from '../viewState';
import { chartOptions, fittedLinearAxis, linearXAxis, recolourChart, retitleXAxis, xTooltipTitle } from './chartSetup';
import { createChartCard, type ChartCard } from './chartCard';
import { faintAlphaAt, faintAlphas, type FaintAlphas } from './contrast';
import { chartPngDataUrl, exportButton } from './chartExport';
import { detailRowRange, isParentHistory, visibleRowRange, type ChartView } from './chartView';
import type { RowSeries } from './decimatedSeries';
import { errorBarsPlugin } from './errorBars';
import { clippedPointsPlugin, referenceLinesPlugin, shownRangeAttributesPlugin, type ReferenceLines } from './overlays';
import { robustRange, type RangeReference } from './robustRange';
import { evalPoints, movingAveragePoints, movingAverageSeries, returnSeries, rowPoints, type EvalPoint, type XYPoint } from './series';
import { setPanLimits, zoomPluginOptions } from './zoom';

const RETURN = 0;
const MOVING_AVERAGE = 1;
const EVALUATION = 2;
const DENSE_EVALUATIONS = 150;

type ReturnsChartType = 'line' | 'scatter';

let visibleReturns = new Float64Array(1024);

export class ReturnsChart {
  readonly card: ChartCard;
  readonly chart: Chart<ReturnsChartType, XYPoint[]>;
  private episodes: readonly EpisodeRow[] = [];
  private evals: readonly EvalRow[] = [];
  private pointCount = 0;
  /** Episodes in the visible x range at the last redraw. */
  private visiblePoints = 0;
  private returnLine: RowSeries<EpisodeRow>;
  private averageLine: RowSeries<EpisodeRow>;
  private lines: ReferenceLines = { solved: null, resume: null };
  /** The per-episode line's alphas (for the palette) and colours (for the alpha). */
  private returnColours: { palette: ThemePalette | null; alphas: FaintAlphas; alpha: number; byShare: Map<number, string> } = {
    palette: null, alphas: { trace: 0.35, band: 0.35 }, alpha: 0.35, byShare: new Map(),
  };
  /** The best row so far, found over the rows appended since the last redraw (a run has up to millions). */
  private bestScan: { first: EpisodeRow | undefined; scanned: number; best: EpisodeRow | undefined } = { first: undefined, scanned: 0, best: undefined };

  constructor(
    private palette: ThemePalette,
    private view: ChartView,
    private window: number,
    onWindowChange: (window: number) => void,
    onUserZoom: (chart: Chart) => void,
    onExport: (dataUrl: string) => void,
  ) {
    const windowControl = labelledSelect(
      'Smoothing',
      MOVING_AVERAGE_WINDOWS.map((w) => ({ value: String(w), label: w === 1 ? 'off' : `${w} episodes` })),
      String(window),
      'moving-average-select',
      (value) => {
        this.window = Number(value);
        this.averageLine = movingAverageSeries(this.view.axis, this.window);
        onWindowChange(this.window);
        this.redraw();
      },
    );
    this.returnLine = returnSeries(view.axis);
    this.averageLine = movingAverageSeries(view.axis, window);
    const title = 'Episode return';
    const exportControl = exportButton('returns-chart-export', title, () => onExport(chartPngDataUrl(this.chart, this.palette.background)));
    this.card = createChartCard(title, 'returns-chart', [windowControl.label, exportControl]);
    const parentFaded = (colour: () => string, faint: () => string) => (ctx: ScriptableLineSegmentContext) =>
      isParentHistory((ctx.p1 as unknown as { parsed: XYPoint }).parsed.x, this.view) ? faint() : colour();
    this.chart = new Chart<ReturnsChartType, XYPoint[]>(this.card.canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            type: 'line', label: 'Return', data: [], pointStyle: 'line', borderWidth: 1,
            segment: { borderColor: parentFaded(() => this.returnColour(), () => this.returnColour(0.35)) },
          },
          {
            type: 'line', label: this.movingAverageLabel(), data: [], pointStyle: 'line', borderWidth: 2.25,
            segment: { borderColor: parentFaded(() => this.palette.blue, () => withAlpha(this.palette.blue, 0.4)) },
          },
          {
            type: 'scatter', label: 'Eval mean ± std', data: [], pointRadius: 3.5, pointHoverRadius: 5, pointStyle: 'circle',
            // Drawn last, so on top of the return band (Chart.js draws lower `order` later).
            order: -1,
            pointBackgroundColor: (ctx: ScriptableContext<'line'>) =>
              isParentHistory((ctx.raw as XYPoint | undefined)?.x ?? Infinity, this.view) ? withAlpha(this.palette.purple, 0.4) : this.palette.purple,
          },
        ],
      },
      options: chartOptions(
        palette,
        { x: linearXAxis(view.axis, palette, view.start), y: fittedLinearAxis('Return', palette) },
        { title: (items) => xTooltipTitle(this.view.axis, items[0]?.parsed.x), label: (item) => this.tooltipLabel(item) },
        zoomPluginOptions(palette, onUserZoom),
      ),
      plugins: [
        referenceLinesPlugin(() => this.lines, () => this.palette, EVALUATION),
        errorBarsPlugin(EVALUATION, (point) => isParentHistory(point.x, this.view)),
        clippedPointsPlugin([
          { datasetIndex: RETURN, size: 3 },
          { datasetIndex: EVALUATION, size: 4.5 },
        ]),
        shownRangeAttributesPlugin,
      ],
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

  /** Axis and start changes take effect here; the zoom is the plugin's (the panel resets it first). */
  setView(view: ChartView): void {
    if (view.axis !== this.view.axis) {
      this.returnLine = returnSeries(view.axis);
      this.averageLine = movingAverageSeries(view.axis, this.window);
      retitleXAxis(this.chart, view.axis);
    }
    // Zoomed, the zoom plugin owns the x range; it gives the start back on reset.
    const x = this.chart.options.scales?.x;
    if (x && !view.zoom) x.min = view.start;
    this.view = view;
  }

  setReferenceLines(lines: ReferenceLines): void {
    this.lines = lines;
    this.card.element.dataset.solvedThreshold = lines.solved ? String(lines.solved.y) : '';
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.applyColours();
    recolourChart(this.chart, palette);
    this.chart.update('none');
  }

  redraw(): void {
    const [returns, average, evaluations] = this.chart.data.datasets;
    const episodes = this.episodes;
    const detail = detailRowRange(episodes, this.view);
    if (detail) {
      returns.data = rowPoints(episodes, detail[0], detail[1], this.view.axis, (row) => row.return);
      average.data = this.window > 1 ? movingAveragePoints(episodes, detail[0], detail[1], this.view.axis, this.window) : [];
    } else {
      returns.data = this.returnLine.sync(episodes).points();
      average.data = this.window > 1 ? this.averageLine.sync(episodes).points() : [];
    }
    average.label = this.movingAverageLabel();
    evaluations.data = evalPoints(this.evals, this.view.axis);
    // Hundreds of evaluations (very long runs) would merge into a smear of circles: then they
    // are joined by a line and drawn as small dots.
    const dense = this.evals.length > DENSE_EVALUATIONS;
    evaluations.pointRadius = dense ? 2 : 3.5;
    evaluations.pointBorderWidth = dense ? 0 : 1;
    (evaluations as { showLine?: boolean }).showLine = dense;
    evaluations.borderWidth = 1.25;
    this.fitYAxis();
    const last = episodes[episodes.length - 1];
    setPanLimits(this.chart, 0, last ? (this.view.axis === 'episode' ? last.episode : last.step) : this.view.start);
    this.pointCount = episodes.length;
    this.publishReturns(episodes);
    this.card.showEmptyNote(episodes.length === 0 ? 'No finished episodes yet.' : null);
    this.chart.update('none');
  }

  /**
   * The y axis from the visible returns, with the "solved" line inside it when the returns or the
   * evaluations come near it (robustRange.ts); otherwise the overlay marks it at the edge.
   */
  private fitYAxis(): void {
    const [from, to] = visibleRowRange(this.episodes, this.view);
    if (visibleReturns.length < to - from) visibleReturns = new Float64Array(Math.max(to - from, visibleReturns.length * 2));
    for (let i = from; i < to; i++) visibleReturns[i - from] = this.episodes[i].return;
    this.visiblePoints = to - from;
    this.fitReturnAlpha(this.visiblePoints);
    const solved = this.lines.solved;
    let reference: RangeReference | null = null;
    if (solved) {
      const [evalFrom, evalTo] = visibleRowRange(this.evals, this.view);
      reference = { value: solved.y, reachedBy: this.evals.slice(evalFrom, evalTo).map((row) => row.mean) };
    }
    const fitted = robustRange(visibleReturns, to - from, reference);
    this.card.element.dataset.solvedShown = fitted?.reference ?? '';
    const y = this.chart.options.scales?.y;
    if (!y) return;
    y.min = fitted?.min;
    y.max = fitted?.max;
    const clipped: string[] = [];
    if (fitted && fitted.below > 0) clipped.push(`${formatInteger(fitted.below)} below ▼`);
    if (fitted && fitted.above > 0) clipped.push(`${formatInteger(fitted.above)} above ▲`);
    this.card.setNote(
      clipped.length === 0 ? null : `Axis fitted to the bulk of the visible returns: ${clipped.join(', ')} (marked at the edge; zoom in to see them).`,
    );
  }

  private publishReturns(episodes: readonly EpisodeRow[]): void {
    let scan = this.bestScan;
    // Another run's rows (or the same array emptied and refilled): scanned afresh.
    if (episodes[0] !== scan.first || episodes.length < scan.scanned) scan = this.bestScan = { first: episodes[0], scanned: 0, best: undefined };
    for (let i = scan.scanned; i < episodes.length; i++) if (!scan.best || episodes[i].return > scan.best.return) scan.best = episodes[i];
    scan.scanned = episodes.length;
    const data = this.card.canvas.dataset;
    const last = episodes[episodes.length - 1];
    if (!scan.first || !scan.best || !last) {
      for (const key of ['firstReturn', 'bestReturn', 'bestEpisode', 'latestReturn', 'latestEpisode']) delete data[key];
      return;
    }
    data.firstReturn = String(scan.first.return);
    data.bestReturn = String(scan.best.return);
    data.bestEpisode = String(scan.best.episode);
    data.latestReturn = String(last.return);
    data.latestEpisode = String(last.episode);
  }

  private movingAverageLabel(): string {
    return this.window > 1 ? `Moving average (${this.window})` : 'Moving average (off)';
  }

  /**
   * The per-episode line: the theme's blue (--vscode-charts-blue), faint beside the moving average
   * in the full colour but visible on the theme's background, a thin trace or a dense band alike
   * (contrast.ts).
   */
  private returnColour(share = 1): string {
    // Called for every segment of every draw: worked out once per palette and density.
    const colours = this.returnColours;
    let colour = colours.byShare.get(share);
    if (colour === undefined) {
      colour = withAlpha(this.palette.blue, colours.alpha * share);
      colours.byShare.set(share, colour);
    }
    return colour;
  }

  /** The per-episode line's alpha for this palette and `visiblePoints` across the plot. */
  private fitReturnAlpha(visiblePoints: number): void {
    const colours = this.returnColours;
    if (colours.palette !== this.palette) {
      const { blue, background, kind } = this.palette;
      colours.palette = this.palette;
      colours.alphas = faintAlphas(blue, background, kind.startsWith('high-contrast'));
      colours.alpha = -1;
    }
    const width = this.chart.chartArea?.width || this.chart.width || 1;
    const alpha = faintAlphaAt(colours.alphas, visiblePoints / width);
    if (alpha === colours.alpha) return;
    colours.alpha = alpha;
    colours.byShare.clear();
    const returns = this.chart.data.datasets[RETURN];
    returns.borderColor = this.returnColour();
    returns.backgroundColor = returns.borderColor;
    this.card.canvas.dataset.returnAlpha = String(alpha);
  }

  private applyColours(): void {
    const { blue, purple, background } = this.palette;
    const [, average, evaluations] = this.chart.data.datasets;
    this.fitReturnAlpha(this.visiblePoints);
    average.borderColor = blue;
    average.backgroundColor = blue;
    evaluations.borderColor = purple;
    // A ring of the background keeps each marker apart from the band beneath it.
    (evaluations as { pointBorderColor?: string }).pointBorderColor = background;
  }

  private tooltipLabel(item: TooltipItem<ReturnsChartType>): string {
    const parent = isParentHistory(item.parsed.x ?? Infinity, this.view) ? ' (parent run)' : '';
    if (item.datasetIndex === EVALUATION) {
      const point = item.raw as EvalPoint;
      return ` Eval: ${formatMeanStd(point.y, point.std)} over ${point.episodes} episodes${parent}`;
    }
    const name = item.datasetIndex === MOVING_AVERAGE ? 'Moving average' : item.datasetIndex === RETURN ? 'Return' : '';
    return ` ${name}: ${formatReturn(item.parsed.y ?? Number.NaN)}${parent}`;
  }
}
