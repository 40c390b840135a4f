/** Short-lived notices in the corner (a checkpoint was saved); they never steal focus. */

import { element } from '../dom';

const VISIBLE_MS = 4000;
const MAX_VISIBLE = 3;

export class Toasts {
  readonly element: HTMLElement;

  constructor() {
    this.element = element('div', { className: 'toasts', attributes: { role: 'status', 'aria-live': 'polite' } });
  }

  show(title: string, detail: string): void {
    const toast = element('div', { className: 'toast', testId: 'toast' }, [
      element('strong', { text: title }),
      element('span', { className: 'muted', text: detail }),
    ]);
    this.element.append(toast);
    while (this.element.childElementCount > MAX_VISIBLE) this.element.firstElementChild?.remove();
    window.setTimeout(() => toast.remove(), VISIBLE_MS);
  }
}
