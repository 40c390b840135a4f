/** How many checkpoints the run has and which is the latest, under the controls. */

import type { CheckpointManifest } from '../../src/protocol';
import { element } from '../dom';
import { formatInteger } from '../format';

export class CheckpointSummary {
  readonly element: HTMLElement;

  constructor() {
    this.element = element('p', { className: 'checkpoint-summary', testId: 'checkpoints-summary' });
  }

  show(count: number, latest: CheckpointManifest | null): void {
    this.element.replaceChildren();
    if (count === 0 || !latest) {
      this.element.append(element('span', { className: 'muted', text: 'No checkpoints yet.' }));
      return;
    }
    this.element.append(
      element('span', { className: 'muted', text: `${count} checkpoint${count === 1 ? '' : 's'} · latest ` }),
      element('strong', { text: latest.name }),
      element('span', { className: 'muted', text: ` (${latest.reason}, episode ${formatInteger(latest.episode)})` }),
    );
  }
}
