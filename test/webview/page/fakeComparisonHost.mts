/**
 * A fake VS Code for the comparison harness page: it answers `ready` and `refresh` with the
 * synthetic comparison (test/webview/syntheticComparison.ts) and records what the page posts.
 * Query parameter: theme (dark|light|high-contrast).
 */

import type { ComparisonHarnessHandle } from '../harnessTypes';
import { syntheticComparison } from '../syntheticComparison';
import { applyTheme, applyThemeFromQuery, collectCspViolations, installFakeVsCodeApi } from './fakeVsCode.mjs';

applyThemeFromQuery(new URLSearchParams(location.search));
const cspViolations = collectCspViolations();
const posted: unknown[] = [];
const comparison = syntheticComparison();

function receive(message: unknown): void {
  posted.push(message);
  const { type } = message as { type?: unknown };
  // VS Code delivers messages asynchronously; so does the harness.
  if (type === 'ready' || type === 'refresh') window.setTimeout(() => window.postMessage(comparison, '*'), 0);
}

const vscodeApi = installFakeVsCodeApi(receive, 'ddpg-comparison-harness-state');

// Not declared on Window: the dashboard harness declares `harness` with its own handle type.
const handle: ComparisonHarnessHandle = {
  posted,
  get savedState() {
    return vscodeApi.savedState;
  },
  cspViolations,
  comparison,
  send: (message: unknown) => window.postMessage(message, '*'),
  setTheme: applyTheme,
};
(window as unknown as { harness: ComparisonHarnessHandle }).harness = handle;
