/**
 * Saves a chart the dashboard exported (a PNG data URL, protocol.ts) where the user chooses, the
 * run's folder offered. The webview is not trusted with the file system: the host checks that the
 * bytes are a PNG and makes its own file name.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PNG_DATA_URL_PREFIX } from '../shared/protocol';
import type { VSCode } from './vscodeApi';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG bytes of a data URL, or null when it does not hold a PNG. */
export function pngFromDataUrl(dataUrl: string): Buffer | null {
  if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX)) return null;
  const base64 = dataUrl.slice(PNG_DATA_URL_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const bytes = Buffer.from(base64, 'base64');
  return bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE) ? bytes : null;
}

/** A plain file name ending in .png from whatever the webview suggested. */
export function chartFileName(suggested: string): string {
  const stem = path
    .basename(suggested)
    .replace(/\.png$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 120);
  return `${stem || 'chart'}.png`;
}

export async function saveExportedChart(
  api: VSCode,
  runDir: string | undefined,
  suggestedName: string,
  dataUrl: string,
  log: { warn(message: string): void },
): Promise<string | undefined> {
  const png = pngFromDataUrl(dataUrl);
  if (!png) {
    log.warn('dashboard: ignored a chart export that is not a PNG');
    return undefined;
  }
  const name = chartFileName(suggestedName);
  const uri = await api.window.showSaveDialog({
    title: 'DDPG: save the chart as PNG',
    defaultUri: runDir ? api.Uri.file(path.join(runDir, name)) : undefined,
    filters: { 'PNG image': ['png'] },
    saveLabel: 'Save',
  });
  if (!uri) return undefined;
  await fs.writeFile(uri.fsPath, png);
  void api.window.showInformationMessage(`DDPG: saved the chart to ${uri.fsPath}.`);
  return uri.fsPath;
}
