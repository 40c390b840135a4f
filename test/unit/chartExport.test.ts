/** The host's side of chart export: only PNG bytes are written, under a file name the host makes. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartFileName, pngFromDataUrl } from '../../src/extension/chartExport';
import { isWebviewToHost, MAX_CHART_DATA_URL_CHARS, PNG_DATA_URL_PREFIX } from '../../src/shared/protocol';

const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const pngDataUrl = PNG_DATA_URL_PREFIX + PNG_HEADER.toString('base64');

test('a PNG data URL gives its bytes; anything else gives nothing', () => {
  assert.deepEqual(pngFromDataUrl(pngDataUrl), PNG_HEADER);
  assert.equal(pngFromDataUrl(`data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}`), null, 'not PNG bytes');
  assert.equal(pngFromDataUrl(`data:image/svg+xml;base64,${PNG_HEADER.toString('base64')}`), null, 'not a PNG data URL');
  assert.equal(pngFromDataUrl(`${PNG_DATA_URL_PREFIX}iVBOR w0KGgo=`), null, 'not base64');
  assert.equal(pngFromDataUrl(PNG_DATA_URL_PREFIX), null, 'empty');
});

test('the suggested name becomes a plain .png file name', () => {
  assert.equal(chartFileName('2025-11-23T20-15-00-pendulum-returns.png'), '2025-11-23T20-15-00-pendulum-returns.png');
  assert.equal(chartFileName('../../etc/passwd'), 'passwd.png');
  assert.equal(chartFileName('a b/c:d*e.PNG'), 'c-d-e.png');
  assert.equal(chartFileName('..'), 'chart.png');
  assert.equal(chartFileName(''), 'chart.png');
});

test('the guard passes PNG data URLs of a sane size and name only', () => {
  assert.equal(isWebviewToHost({ type: 'exportChart', name: 'run-returns.png', dataUrl: pngDataUrl }), true);
  assert.equal(isWebviewToHost({ type: 'exportChart', name: 'run-returns.png', dataUrl: 'data:text/html;base64,PGI+' }), false);
  assert.equal(isWebviewToHost({ type: 'exportChart', name: 'run-returns.png', dataUrl: PNG_DATA_URL_PREFIX }), false);
  assert.equal(isWebviewToHost({ type: 'exportChart', name: 'x'.repeat(201), dataUrl: pngDataUrl }), false);
  assert.equal(isWebviewToHost({ type: 'exportChart', name: 'run.png', dataUrl: PNG_DATA_URL_PREFIX + 'A'.repeat(MAX_CHART_DATA_URL_CHARS) }), false);
  assert.equal(isWebviewToHost({ type: 'exportChart', name: 7, dataUrl: pngDataUrl }), false);
});
