/**
 * Run comparison entry point. As in the dashboard: error reporting from the first moment, the
 * listener attached, and only then `ready`, so the comparison the host sends in answer cannot be
 * missed.
 */

import { isHostToComparison, type ComparisonToHost, type HostToComparison } from '../../src/shared/protocol';
import { installErrorReporting } from '../errorReporting';
import { WebviewBridge } from '../hostBridge';
import { ComparisonView } from './comparisonView';
import { restoreComparisonViewState, type ComparisonViewState } from './viewState';

function start(): void {
  const bridge = new WebviewBridge<HostToComparison, ComparisonToHost, ComparisonViewState>(isHostToComparison, restoreComparisonViewState);
  const reportError = installErrorReporting((message) => bridge.post({ type: 'webviewError', message }));
  try {
    const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
    const view = new ComparisonView(root, bridge);
    bridge.listen((message) => {
      try {
        view.handle(message);
      } catch (error) {
        reportError(error, `handling "${message.type}"`);
      }
    });
  } catch (error) {
    reportError(error, 'starting the comparison');
  }
  bridge.post({ type: 'ready' });
}

start();
