/** Short-lived notices in the corner (a checkpoint was saved); they never steal focus. */

import { element } from '../dom';

const VISIBLE_MS = 4000;
const MAX_VISIBLE = 3;

export class Toasts {
  readonly element: HTMLElement;
  private readonly byKey = new Map<string, { toast: HTMLElement; timer: number }>();

  constructor() {
    this.element = element('div', { className: 'toasts', attributes: { role: 'status', 'aria-live': 'polite' } });
  }

  /**
   * Shows a notice. Notices sharing a `key` replace each other, so a stream of automatic events
   * (a new best checkpoint every few episodes) shows one up-to-date toast instead of a pile.
   */
  show(title: string, detail: string, key?: string): void {
    const toast = element('div', { className: 'toast', testId: 'toast' }, [
      element('strong', { text: title }),
      element('span', { className: 'muted', text: detail }),
    ]);
    const previous = key ? this.byKey.get(key) : undefined;
    // A keyed toast pushed out by MAX_VISIBLE is detached: replacing it would show nothing.
    if (previous?.toast.isConnected) {
      window.clearTimeout(previous.timer);
      previous.toast.replaceWith(toast);
    } else {
      if (previous) window.clearTimeout(previous.timer);
      this.element.append(toast);
    }
    while (this.element.childElementCount > MAX_VISIBLE) this.element.firstElementChild?.remove();
    const timer = window.setTimeout(() => {
      toast.remove();
      if (key && this.byKey.get(key)?.toast === toast) this.byKey.delete(key);
    }, VISIBLE_MS);
    if (key) this.byKey.set(key, { toast, timer });
  }
}
