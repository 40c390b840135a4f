/**
 * Both charts and what they share: the x axis (its kind, where it starts, the zoomed range: a zoom
 * in one chart zooms the other), a resumed run's parent history, the "solved" line of the run's
 * environment, and the throttle that keeps redraws to a few per second however fast episodes arrive.
 */

import type { Chart } from 'chart.js';
import { environmentOf, solvedLabel } from '../../src/shared/environments';
import type { EpisodeRow, EvalRow, RunInfo } from '../../src/shared/protocol';
import { element, labelledSelect, setText } from '../dom';
import { formatInteger } from '../format';
import type { ThemePalette } from '../theme';
import type { ViewState, XAxisKind } from '../viewState';
import { applyGlobalTheme } from './chartSetup';
import { resumePointOf, type ChartView } from './chartView';
import { MetricsChart } from './metricsChart';
import { RedrawScheduler } from './redrawScheduler';
import { ReturnsChart } from './returnsChart';
import { rowsUpToStep } from './series';
import { showXRange, zoomedXRange, type XRange } from './zoom';

/**
 * Learning curves change slowly to the eye; redrawing them at most once a second keeps the page's
 * CPU (which the trainer competes with on small machines) low while episodes stream in.
 */
const REDRAW_INTERVAL_MS = 1000;

/** A file name part from a run id or metric: what a save dialog accepts everywhere. */
const fileNamePart = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);

export class ChartsPanel {
  readonly element: HTMLElement;
  private readonly returns: ReturnsChart;
  private readonly metrics: MetricsChart;
  private readonly scheduler = new RedrawScheduler(REDRAW_INTERVAL_MS, () => this.redrawNow());
  private readonly episodePoints: HTMLElement;
  private readonly episodePointsUnit: HTMLElement;
  private readonly cutNote: HTMLElement;
  private readonly resetZoomButton: HTMLButtonElement;
  private readonly parentHistoryToggle: HTMLLabelElement;
  private readonly parentHistoryCheckbox: HTMLInputElement;
  private episodes: readonly EpisodeRow[] = [];
  private evals: readonly EvalRow[] = [];
  private cutAtStep: number | null = null;
  private run: RunInfo | null = null;
  private axis: XAxisKind;
  private zoom: XRange | null = null;
  /** Set while one chart's zoom is copied to the other, whose zoom callbacks must not echo it back. */
  private syncingZoom = false;

  constructor(
    palette: ThemePalette,
    view: Readonly<ViewState>,
    onViewChange: (change: Partial<ViewState>) => void,
    private readonly onExportChart: (name: string, dataUrl: string) => void,
  ) {
    applyGlobalTheme(palette);
    this.axis = view.xAxis;
    const chartView = this.chartView();
    const onUserZoom = (chart: Chart) => this.onUserZoom(chart);
    this.returns = new ReturnsChart(
      palette,
      chartView,
      view.movingAverageWindow,
      (movingAverageWindow) => onViewChange({ movingAverageWindow }),
      onUserZoom,
      (dataUrl) => this.exportChart('returns', dataUrl),
    );
    this.metrics = new MetricsChart(
      palette,
      chartView,
      { left: view.metricsChartLeft, right: view.metricsChartRight, logScale: view.lossLogScale },
      (choice) => onViewChange({ metricsChartLeft: choice.left, metricsChartRight: choice.right, lossLogScale: choice.logScale }),
      onUserZoom,
      (dataUrl, metric) => this.exportChart(metric, dataUrl),
    );
    for (const chart of this.charts()) chart.canvas.addEventListener('dblclick', () => this.resetZoom());
    const xAxisControl = labelledSelect<XAxisKind>(
      'X axis',
      [
        { value: 'episode', label: 'Episode' },
        { value: 'step', label: 'Environment step' },
      ],
      view.xAxis,
      'x-axis-select',
      (xAxis) => {
        this.axis = xAxis;
        onViewChange({ xAxis });
        this.viewChanged();
      },
    );
    this.resetZoomButton = element('button', {
      className: 'chart-button',
      testId: 'reset-zoom',
      text: 'Reset zoom',
      title: 'Show the whole run again (or double-click a chart)',
      attributes: { type: 'button' },
    });
    this.resetZoomButton.disabled = true;
    this.resetZoomButton.addEventListener('click', () => this.resetZoom());
    this.parentHistoryCheckbox = element('input', { testId: 'show-parent-history', attributes: { type: 'checkbox' } });
    this.parentHistoryCheckbox.addEventListener('change', () => this.viewChanged());
    this.parentHistoryToggle = element('label', { className: 'control-label checkbox-label' }, [
      this.parentHistoryCheckbox,
      element('span', { text: 'Parent run' }),
    ]);
    this.parentHistoryToggle.hidden = true;
    this.episodePoints = element('span', { testId: 'episode-points', text: '0' });
    this.episodePointsUnit = element('span', { text: ' episodes plotted' });
    this.cutNote = element('span', { className: 'cut-note' });
    const toolbar = element('div', { className: 'charts-toolbar' }, [
      element('h2', { className: 'section-title', text: 'Learning curves' }),
      this.cutNote,
      element('span', { className: 'toolbar-spacer' }),
      element('span', { className: 'muted zoom-hint', text: 'Drag to zoom · shift-drag to pan · double-click to reset' }),
      this.resetZoomButton,
      element('span', { className: 'muted point-count', title: 'Episodes plotted' }, [this.episodePoints, this.episodePointsUnit]),
      this.parentHistoryToggle,
      xAxisControl.label,
    ]);
    this.element = element('div', { className: 'charts' }, [
      toolbar,
      element('div', { className: 'charts-grid' }, [this.returns.card.element, this.metrics.card.element]),
    ]);
  }

  /** The run whose rows are plotted: its environment's "solved" line, where a resumed run continues. */
  setRun(run: RunInfo): void {
    const resumeChanged = run.id !== this.run?.id || run.resumedFrom?.step !== this.run?.resumedFrom?.step;
    this.run = run;
    this.parentHistoryToggle.hidden = !run.resumedFrom;
    if (run.resumedFrom) {
      this.parentHistoryToggle.title = `Draw the history of ${run.resumedFrom.runId} up to episode ${formatInteger(run.resumedFrom.episode)}, faint`;
    }
    // The rows of a new run follow at once (setRows): no need to draw the old ones on the new axis first.
    if (resumeChanged) this.viewChanged(false);
    else this.applyReferenceLines();
  }

  /**
   * The rows to plot. The arrays are the model's own and may grow later; `cutAtStep` keeps only
   * rows up to a checkpoint's step.
   */
  setRows(episodes: readonly EpisodeRow[], evals: readonly EvalRow[], cutAtStep: number | null): void {
    this.episodes = episodes;
    this.evals = evals;
    this.cutAtStep = cutAtStep;
    setText(this.cutNote, cutAtStep === null ? '' : `cut at step ${cutAtStep.toLocaleString('en-US')} (the checkpoint)`);
    this.scheduler.request();
  }

  /** New rows were appended to the arrays given to setRows. */
  rowsChanged(): void {
    this.scheduler.request();
  }

  setPalette(palette: ThemePalette): void {
    applyGlobalTheme(palette);
    this.returns.setPalette(palette);
    this.metrics.setPalette(palette);
  }

  private charts(): Chart[] {
    return [this.returns.chart, this.metrics.chart];
  }

  private chartView(): ChartView {
    const resumeX = resumePointOf(this.run, this.axis);
    const showParent = this.parentHistoryCheckbox?.checked ?? false;
    return { axis: this.axis, start: resumeX !== null && !showParent ? resumeX : 0, resumeX, zoom: this.zoom };
  }

  /** The axis, its start or the resume point changed: the old zoom means nothing on the new axis. */
  private viewChanged(redrawNow = true): void {
    this.resetZoom(false);
    const view = this.chartView();
    this.returns.setView(view);
    this.metrics.setView(view);
    this.applyReferenceLines();
    if (redrawNow) this.scheduler.flush();
    else this.scheduler.request();
  }

  private applyReferenceLines(): void {
    const resumeX = resumePointOf(this.run, this.axis);
    const from = this.run?.resumedFrom;
    const resume = from && resumeX !== null ? { x: resumeX, label: `resumed from ${from.runId} · episode ${formatInteger(from.episode)}` } : null;
    const solved = this.run ? environmentOf(this.run.config).solved : undefined;
    const threshold = solved && Number.isFinite(solved.threshold) && this.run ? { y: solved.threshold, label: solvedLabel(environmentOf(this.run.config)) } : null;
    this.returns.setReferenceLines({ solved: threshold, resume });
    this.metrics.setReferenceLines({ solved: null, resume });
  }

  private onUserZoom(source: Chart): void {
    if (this.syncingZoom) return;
    this.zoom = zoomedXRange(source);
    this.syncingZoom = true;
    try {
      for (const chart of this.charts()) if (chart !== source) showXRange(chart, this.zoom);
    } finally {
      this.syncingZoom = false;
    }
    this.applyZoom();
  }

  private resetZoom(redraw = true): void {
    this.syncingZoom = true;
    try {
      for (const chart of this.charts()) showXRange(chart, null);
    } finally {
      this.syncingZoom = false;
    }
    this.zoom = null;
    this.resetZoomButton.disabled = true;
    if (redraw) this.applyZoom();
  }

  /** Refits the y axes to the new x range and draws its detail at once: the user is waiting. */
  private applyZoom(): void {
    this.resetZoomButton.disabled = this.zoom === null;
    const view = this.chartView();
    this.returns.setView(view);
    this.metrics.setView(view);
    this.scheduler.flush();
  }

  private exportChart(chart: string, dataUrl: string): void {
    const run = this.run ? fileNamePart(this.run.id) : 'run';
    this.onExportChart(`${run}-${fileNamePart(chart)}.png`, dataUrl);
  }

  private redrawNow(): void {
    const episodes = rowsUpToStep(this.episodes, this.cutAtStep);
    const evals = rowsUpToStep(this.evals, this.cutAtStep);
    this.returns.setRows(episodes, evals);
    this.metrics.setRows(episodes);
    this.returns.redraw();
    this.metrics.redraw();
    const count = this.returns.episodePointCount;
    setText(this.episodePoints, String(count));
    setText(this.episodePointsUnit, count === 1 ? ' episode plotted' : ' episodes plotted');
  }
}
