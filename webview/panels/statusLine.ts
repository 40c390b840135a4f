/**
 * The live numbers of a run: episode k/N with a progress bar, step, steps per second, elapsed time,
 * the latest return and its recent mean, latest and best deterministic evaluation. Elapsed time
 * keeps ticking between status messages while the run is running.
 */

import type { EpisodeRow, StatusSnapshot } from '../../src/shared/protocol';
import { element, setText } from '../dom';
import { formatDuration, formatInteger, formatRate, formatReturn } from '../format';

/** What the status line shows beyond the status snapshot, which can lag behind the rows. */
export interface RunProgress {
  readonly completedEpisodes: number;
  readonly latestEval: number | null;
  readonly bestEval: number | null;
}

interface Metric {
  value: HTMLElement;
  item: HTMLElement;
}

function metric(label: string, testId: string, hint: string): Metric {
  const value = element('dd', { className: 'metric-value', testId });
  const item = element('div', { className: 'metric', title: hint }, [element('dt', { className: 'metric-label', text: label }), value]);
  return { value, item };
}

export class StatusLine {
  readonly element: HTMLElement;
  private readonly episode: HTMLElement;
  private readonly progressFill: HTMLElement;
  private readonly progressBar: HTMLElement;
  private readonly step: Metric;
  private readonly rate: Metric;
  private readonly elapsed: Metric;
  private readonly lastReturn: Metric;
  private readonly recentReturn: Metric;
  private readonly latestEval: Metric;
  private readonly bestEval: Metric;
  private status: StatusSnapshot | null = null;
  private statusReceivedAt = 0;
  private ticker: number | null = null;

  constructor() {
    this.episode = element('span', { className: 'episode-value', testId: 'status-episode' });
    this.progressFill = element('div', { className: 'progress-fill' });
    this.progressBar = element('div', { className: 'progress', attributes: { role: 'progressbar', 'aria-label': 'Training progress' } }, [
      this.progressFill,
    ]);
    this.step = metric('Step', 'status-step', 'Environment steps taken by the run');
    this.rate = metric('Steps/s', 'status-rate', 'Environment steps per second, updates included');
    this.elapsed = metric('Elapsed', 'status-elapsed', 'Training time of the run');
    this.lastReturn = metric('Last return', 'status-last-return', 'Return of the latest training episode (with exploration noise)');
    this.recentReturn = metric('Mean of last 10', 'status-recent-return', 'Mean return of the last 10 training episodes');
    this.latestEval = metric('Latest eval', 'status-latest-eval', 'Mean return of the latest deterministic evaluation');
    this.bestEval = metric('Best eval', 'status-best-eval', 'Best mean return of any deterministic evaluation so far');
    this.element = element('div', { className: 'status-line', testId: 'status-line' }, [
      element('div', { className: 'episode-block' }, [
        element('div', { className: 'metric-label', text: 'Episode' }),
        this.episode,
        this.progressBar,
      ]),
      element('dl', { className: 'metrics', attributes: { 'aria-label': 'Progress' } }, [this.step.item, this.rate.item, this.elapsed.item]),
      element('dl', { className: 'metrics', attributes: { 'aria-label': 'Returns' } }, [
        this.lastReturn.item,
        this.recentReturn.item,
        this.latestEval.item,
        this.bestEval.item,
      ]),
    ]);
  }

  update(status: StatusSnapshot, progress: RunProgress, statusReceivedAt: number, episodes: readonly EpisodeRow[]): void {
    const { completedEpisodes } = progress;
    this.status = status;
    this.statusReceivedAt = statusReceivedAt;
    const total = status.totalEpisodes;
    setText(this.episode, total ? `${formatInteger(completedEpisodes)} / ${formatInteger(total)}` : formatInteger(completedEpisodes));
    setText(this.step.value, status.totalSteps ? `${formatInteger(status.step)} / ${formatInteger(status.totalSteps)}` : formatInteger(status.step));
    setText(this.rate.value, status.state === 'running' ? formatRate(status.stepsPerSecond) : '—');
    const recent = episodes.slice(-10);
    setText(this.lastReturn.value, formatReturn(episodes[episodes.length - 1]?.return));
    setText(this.recentReturn.value, recent.length ? formatReturn(recent.reduce((sum, row) => sum + row.return, 0) / recent.length) : '—');
    setText(this.latestEval.value, formatReturn(progress.latestEval));
    setText(this.bestEval.value, formatReturn(progress.bestEval));

    // Progress toward whichever limit ends the run first.
    const fractions: number[] = [];
    if (total) fractions.push(completedEpisodes / total);
    if (status.totalSteps) fractions.push(status.step / status.totalSteps);
    const fraction = fractions.length ? Math.min(1, Math.max(...fractions)) : 0;
    this.progressFill.style.width = `${(fraction * 100).toFixed(1)}%`;
    this.progressBar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    this.progressBar.hidden = fractions.length === 0;

    this.renderElapsed();
    const ticking = status.state === 'running';
    if (ticking && this.ticker === null) this.ticker = window.setInterval(() => this.renderElapsed(), 1000);
    if (!ticking && this.ticker !== null) {
      window.clearInterval(this.ticker);
      this.ticker = null;
    }
  }

  private renderElapsed(): void {
    if (!this.status) return;
    const sinceStatus = this.status.state === 'running' ? (performance.now() - this.statusReceivedAt) / 1000 : 0;
    setText(this.elapsed.value, formatDuration(this.status.elapsedSeconds + sinceStatus));
  }
}
