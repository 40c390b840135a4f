/**
 * Results of evaluating a checkpoint: while it runs, which episode is playing; when the
 * `evaluation` event arrives, the mean ± std and each episode's return with a bar for comparison.
 * The episode on the canvas is marked, since the animation usually lags the result.
 */

import { element, setText } from '../dom';
import { formatMeanStd, formatReturn } from '../format';
import type { EvaluationResult } from '../runModel';

export class EvaluationResults {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLOListElement;
  private expectedEpisodes = 0;
  private result: EvaluationResult | null = null;
  private playingEpisode: number | null = null;

  constructor() {
    this.summary = element('p', { className: 'eval-summary', testId: 'eval-summary' });
    this.list = element('ol', { className: 'eval-returns' });
    this.element = element('section', { className: 'eval-results', testId: 'eval-results', attributes: { 'aria-live': 'polite' } }, [
      this.summary,
      this.list,
    ]);
    this.element.hidden = true;
  }

  hide(): void {
    this.element.hidden = true;
  }

  showRunning(episodes: number): void {
    this.element.hidden = false;
    this.expectedEpisodes = episodes;
    this.result = null;
    this.list.replaceChildren();
    this.renderRunningSummary();
  }

  showResult(result: EvaluationResult): void {
    this.element.hidden = false;
    this.result = result;
    this.summary.classList.remove('muted');
    const count = result.returns.length;
    this.summary.replaceChildren(
      element('span', { className: 'muted', text: 'Mean return ' }),
      element('strong', { className: 'eval-mean', testId: 'eval-mean', text: formatMeanStd(result.mean, result.std) }),
      element('span', { className: 'muted', text: ` over ${count} episode${count === 1 ? '' : 's'}` }),
    );
    // Bars grow with the return: the worst episode gets a short bar, the best a full one.
    const worst = Math.min(...result.returns);
    const best = Math.max(...result.returns);
    const span = best - worst || 1;
    this.list.replaceChildren(
      ...result.returns.map((value, index) => {
        const bar = element('span', { className: 'eval-bar' });
        bar.style.width = `${(12 + (88 * (value - worst)) / span).toFixed(1)}%`;
        return element('li', { className: 'eval-return', attributes: { 'data-episode': String(index + 1) } }, [
          element('span', { className: 'eval-episode muted', text: `#${index + 1}` }),
          element('span', { className: 'eval-bar-track' }, [bar]),
          element('span', { className: 'eval-value', text: formatReturn(value) }),
        ]);
      }),
    );
    this.markPlaying(this.playingEpisode);
  }

  /** The evaluation episode on the environment's canvas (1-based), or null. */
  markPlaying(episode: number | null): void {
    this.playingEpisode = episode;
    if (!this.result) {
      this.renderRunningSummary();
      return;
    }
    for (const item of this.list.children) {
      const playing = episode !== null && (item as HTMLElement).dataset.episode === String(episode);
      item.classList.toggle('playing', playing);
      if (playing) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    }
  }

  private renderRunningSummary(): void {
    const n = this.expectedEpisodes;
    const plural = n === 1 ? '' : 's';
    setText(
      this.summary,
      this.playingEpisode === null
        ? `Running ${n} deterministic episode${plural}…`
        : `Playing episode ${this.playingEpisode} of ${n}; the result appears when all ${n} have run.`,
    );
    this.summary.classList.add('muted');
  }
}
