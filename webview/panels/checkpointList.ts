/**
 * The run's checkpoints under the controls: how many the run holds on disk, and the most recent
 * few, each by its kind and the evaluation it is judged by (the same words as the sidebar's).
 */

import { describeCheckpointEvaluation, describeCheckpointScore } from '../../src/shared/checkpointScore';
import type { CheckpointManifest } from '../../src/shared/protocol';
import { element } from '../dom';
import { formatInteger } from '../format';

const SHOWN = 4;

export class CheckpointList {
  readonly element: HTMLElement;

  constructor() {
    this.element = element('section', { className: 'checkpoint-list', testId: 'checkpoints-summary' });
  }

  /** `checkpoints` are the run's as the shared reducer keeps them: pruned ones have left already. */
  show(checkpoints: readonly CheckpointManifest[]): void {
    const count = checkpoints.length;
    const heading = element('h3', { className: 'subsection-title' }, [
      'Checkpoints ',
      element('span', { className: 'muted count', testId: 'checkpoint-count', text: String(count) }),
    ]);
    if (count === 0) {
      this.element.replaceChildren(heading, element('p', { className: 'muted empty-note', text: 'None saved yet.' }));
      return;
    }
    const newestFirst = [...checkpoints].sort((a, b) => b.step - a.step || b.created.localeCompare(a.created));
    const rows = newestFirst.slice(0, SHOWN).map((checkpoint) =>
      element('tr', { testId: 'checkpoint-row', title: `Evaluation ${describeCheckpointEvaluation(checkpoint)}. Saved at episode ${formatInteger(checkpoint.episode)}, step ${formatInteger(checkpoint.step)}.` }, [
        element('th', { attributes: { scope: 'row' }, testId: 'checkpoint-kind', text: checkpoint.reason }),
        element('td', { className: 'numeric', testId: 'checkpoint-score', text: describeCheckpointScore(checkpoint) }),
        element('td', { className: 'muted' }, [element('code', { text: checkpoint.name })]),
      ]),
    );
    const more = count > SHOWN ? [element('p', { className: 'muted empty-note', text: `and ${count - SHOWN} older (see the DDPG sidebar)` })] : [];
    this.element.replaceChildren(heading, element('table', { className: 'checkpoint-table' }, [element('tbody', {}, rows)]), ...more);
  }
}
