/**
 * The frame around a chart: a title, a row of controls, the canvas box, an empty-state note, and a
 * line under the chart for what the chart leaves out (points beyond a fitted axis).
 */

import { element, setText } from '../dom';

export interface ChartCard {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  showEmptyNote(text: string | null): void;
  setNote(text: string | null): void;
  setTitle(text: string): void;
}

export function createChartCard(title: string, canvasTestId: string, controls: readonly HTMLElement[]): ChartCard {
  const canvas = element('canvas', { testId: canvasTestId, attributes: { role: 'img', 'aria-label': title } });
  const emptyNote = element('p', { className: 'chart-empty' });
  const box = element('div', { className: 'chart-box' }, [canvas, emptyNote]);
  const note = element('p', { className: 'chart-note', testId: `${canvasTestId}-note` });
  note.hidden = true;
  const heading = element('h2', { className: 'card-title', text: title });
  const header = element('div', { className: 'card-header' }, [
    heading,
    element('div', { className: 'card-controls' }, controls),
  ]);
  return {
    element: element('section', { className: 'card chart-card', attributes: { 'aria-label': title } }, [header, box, note]),
    canvas,
    showEmptyNote(text) {
      emptyNote.hidden = text === null;
      // Empty axes (0 to 1) mean nothing: the note alone is clearer.
      box.classList.toggle('is-empty', text !== null);
      setText(emptyNote, text ?? '');
    },
    setNote(text) {
      note.hidden = text === null;
      setText(note, text ?? '');
    },
    setTitle(text) {
      setText(heading, text);
      canvas.setAttribute('aria-label', text);
    },
  };
}
