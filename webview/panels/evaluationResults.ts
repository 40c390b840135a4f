/**
 * Results of evaluating a checkpoint: while it runs, how many episodes are expected; when the
 * `evaluation` event arrives, the mean ± std and each episode's return with a bar for comparison.
 */

import { element } from '../dom';
import { formatMeanStd, formatReturn } from '../format';
import type { EvaluationResult } from '../runModel';

export class EvaluationResults {
  readonly element: HTMLElement;

  constructor() {
    this.element = element('section', { className: 'eval-results', testId: 'eval-results', attributes: { 'aria-live': 'polite' } });
    this.element.hidden = true;
  }

  hide(): void {
    this.element.hidden = true;
  }

  showRunning(episodes: number): void {
    this.element.hidden = false;
    this.element.replaceChildren(
      element('h3', { className: 'subsection-title', text: 'Evaluation' }),
      element('p', { className: 'eval-summary muted', text: `Running ${episodes} deterministic episode${episodes === 1 ? '' : 's'}…` }),
    );
  }

  showResult(result: EvaluationResult): void {
    this.element.hidden = false;
    // Bars grow with the return: the worst episode gets a short bar, the best a full one.
    const worst = Math.min(...result.returns, result.mean - result.std);
    const best = Math.max(...result.returns, 0);
    const span = best - worst || 1;
    const list = element(
      'ol',
      { className: 'eval-returns' },
      result.returns.map((value, index) => {
        const bar = element('span', { className: 'eval-bar' });
        bar.style.width = `${(8 + (92 * (value - worst)) / span).toFixed(1)}%`;
        return element('li', { className: 'eval-return' }, [
          element('span', { className: 'eval-episode muted', text: `#${index + 1}` }),
          element('span', { className: 'eval-bar-track' }, [bar]),
          element('span', { className: 'eval-value', text: formatReturn(value) }),
        ]);
      }),
    );
    this.element.replaceChildren(
      element('h3', { className: 'subsection-title', text: 'Evaluation' }),
      element('p', { className: 'eval-summary' }, [
        element('span', { className: 'muted', text: 'Mean return ' }),
        element('strong', { className: 'eval-mean', text: formatMeanStd(result.mean, result.std) }),
        element('span', { className: 'muted', text: ` over ${result.returns.length} episode${result.returns.length === 1 ? '' : 's'}` }),
      ]),
      list,
    );
  }
}
