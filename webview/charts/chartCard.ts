/** The frame around a chart: a title, a row of controls, the canvas box and an empty-state note. */

import { element, setText } from '../dom';

export interface ChartCard {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  showEmptyNote(text: string | null): void;
}

export function createChartCard(title: string, canvasTestId: string, controls: readonly HTMLElement[]): ChartCard {
  const canvas = element('canvas', { testId: canvasTestId, attributes: { role: 'img', 'aria-label': title } });
  const emptyNote = element('p', { className: 'chart-empty' });
  const box = element('div', { className: 'chart-box' }, [canvas, emptyNote]);
  const header = element('div', { className: 'card-header' }, [
    element('h2', { className: 'card-title', text: title }),
    element('div', { className: 'card-controls' }, controls),
  ]);
  return {
    element: element('section', { className: 'card chart-card', attributes: { 'aria-label': title } }, [header, box]),
    canvas,
    showEmptyNote(text) {
      emptyNote.hidden = text === null;
      // Empty axes (0 to 1) mean nothing: the note alone is clearer.
      box.classList.toggle('is-empty', text !== null);
      setText(emptyNote, text ?? '');
    },
  };
}
