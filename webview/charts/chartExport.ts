/**
 * Chart export as PNG. The canvas itself is transparent (the card's colour shows through), so the
 * picture is drawn onto the theme's background first; the host saves it where the user chooses.
 */

import type { Chart } from 'chart.js';
import { element } from '../dom';

/** The chart as a PNG data URL, on an opaque `background`, at the canvas' full resolution. */
export function chartPngDataUrl(chart: Chart, background: string): string {
  const source = chart.canvas;
  const picture = document.createElement('canvas');
  picture.width = source.width;
  picture.height = source.height;
  const ctx = picture.getContext('2d');
  if (!ctx) return source.toDataURL('image/png');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, picture.width, picture.height);
  ctx.drawImage(source, 0, 0);
  return picture.toDataURL('image/png');
}

export function exportButton(testId: string, chartTitle: string, onClick: () => void): HTMLButtonElement {
  const button = element('button', {
    className: 'chart-button',
    testId,
    text: 'PNG',
    title: `Save "${chartTitle}" as a PNG image`,
    attributes: { type: 'button', 'aria-label': `Save ${chartTitle} as PNG` },
  });
  button.addEventListener('click', onClick);
  return button;
}
