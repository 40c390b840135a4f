/** What the panel shows before a run arrives, or when there is no run to show. */

import { element, setText } from '../dom';

export class EmptyState {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly detail: HTMLElement;

  constructor() {
    this.title = element('h1', { className: 'empty-title' });
    this.detail = element('p', { className: 'muted' });
    this.element = element('section', { className: 'empty-state', testId: 'empty-state' }, [this.title, this.detail]);
    this.showLoading();
  }

  showLoading(): void {
    setText(this.title, 'Loading run…');
    setText(this.detail, 'Waiting for the extension to send the run.');
  }

  showNoRun(): void {
    setText(this.title, 'No training run to show');
    setText(this.detail, 'Start one with “DDPG: Train” from the Command Palette, or open a run or checkpoint from the DDPG sidebar.');
  }
}
