/**
 * Both charts, the x-axis switch they share, and the throttle that keeps redraws to a few per
 * second however fast episodes arrive.
 */

import type { EpisodeRow, EvalRow } from '../../src/shared/protocol';
import { element, labelledSelect, setText } from '../dom';
import type { ThemePalette } from '../theme';
import type { ViewState, XAxisKind } from '../viewState';
import { applyGlobalTheme } from './chartSetup';
import { LossChart } from './lossChart';
import { RedrawScheduler } from './redrawScheduler';
import { ReturnsChart } from './returnsChart';
import { rowsUpToStep } from './series';

/**
 * Learning curves change slowly to the eye; redrawing them at most once a second keeps the page's
 * CPU (which the trainer competes with on small machines) low while episodes stream in.
 */
const REDRAW_INTERVAL_MS = 1000;

export class ChartsPanel {
  readonly element: HTMLElement;
  private readonly returns: ReturnsChart;
  private readonly loss: LossChart;
  private readonly scheduler = new RedrawScheduler(REDRAW_INTERVAL_MS, () => this.redrawNow());
  private readonly episodePoints: HTMLElement;
  private readonly episodePointsUnit: HTMLElement;
  private readonly cutNote: HTMLElement;
  private episodes: readonly EpisodeRow[] = [];
  private evals: readonly EvalRow[] = [];
  private cutAtStep: number | null = null;

  constructor(palette: ThemePalette, view: Readonly<ViewState>, onViewChange: (change: Partial<ViewState>) => void) {
    applyGlobalTheme(palette);
    this.returns = new ReturnsChart(palette, view.xAxis, view.movingAverageWindow, (movingAverageWindow) =>
      onViewChange({ movingAverageWindow }),
    );
    this.loss = new LossChart(palette, view.xAxis, view.lossLogScale, (lossLogScale) => onViewChange({ lossLogScale }));
    const xAxisControl = labelledSelect<XAxisKind>(
      'X axis',
      [
        { value: 'episode', label: 'Episode' },
        { value: 'step', label: 'Environment step' },
      ],
      view.xAxis,
      'x-axis-select',
      (xAxis) => {
        this.returns.setXAxis(xAxis);
        this.loss.setXAxis(xAxis);
        onViewChange({ xAxis });
        this.scheduler.flush();
      },
    );
    this.episodePoints = element('span', { testId: 'episode-points', text: '0' });
    this.episodePointsUnit = element('span', { text: ' episodes plotted' });
    this.cutNote = element('span', { className: 'cut-note' });
    const toolbar = element('div', { className: 'charts-toolbar' }, [
      element('h2', { className: 'section-title', text: 'Learning curves' }),
      this.cutNote,
      element('span', { className: 'toolbar-spacer' }),
      element('span', { className: 'muted point-count', title: 'Episodes plotted' }, [this.episodePoints, this.episodePointsUnit]),
      xAxisControl.label,
    ]);
    this.element = element('div', { className: 'charts' }, [
      toolbar,
      element('div', { className: 'charts-grid' }, [this.returns.card.element, this.loss.card.element]),
    ]);
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
    this.loss.setPalette(palette);
  }

  private redrawNow(): void {
    const episodes = rowsUpToStep(this.episodes, this.cutAtStep);
    const evals = rowsUpToStep(this.evals, this.cutAtStep);
    this.returns.setRows(episodes, evals);
    this.loss.setRows(episodes);
    this.returns.redraw();
    this.loss.redraw();
    const count = this.returns.episodePointCount;
    setText(this.episodePoints, String(count));
    setText(this.episodePointsUnit, count === 1 ? ' episode plotted' : ' episodes plotted');
  }
}
