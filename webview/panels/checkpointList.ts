/** The run's checkpoints under the controls: how many, and the most recent few with their facts. */

import type { CheckpointManifest } from '../../src/shared/protocol';
import { element } from '../dom';
import { formatInteger, formatReturn } from '../format';

const SHOWN = 4;

export class CheckpointList {
  readonly element: HTMLElement;

  constructor() {
    this.element = element('section', { className: 'checkpoint-list', testId: 'checkpoints-summary' });
  }

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
      element('tr', {}, [
        element('th', { attributes: { scope: 'row' } }, [element('code', { text: checkpoint.name })]),
        element('td', { className: 'muted', text: checkpoint.reason }),
        element('td', { text: `ep ${formatInteger(checkpoint.episode)}` }),
        element('td', { className: 'numeric', title: 'Best deterministic evaluation when saved', text: `best eval ${formatReturn(checkpoint.bestEval)}` }),
      ]),
    );
    const more = count > SHOWN ? [element('p', { className: 'muted empty-note', text: `and ${count - SHOWN} older (see the DDPG sidebar)` })] : [];
    this.element.replaceChildren(heading, element('table', { className: 'checkpoint-table' }, [element('tbody', {}, rows)]), ...more);
  }
}
