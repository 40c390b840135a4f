/**
 * Dashboard entry point. Order matters: the VS Code API is acquired once, errors are reported from
 * the first moment, the message listener is attached, and only then is `ready` posted, so the
 * history the host sends in answer cannot be missed.
 */

import { Dashboard } from './dashboard';
import { installErrorReporting } from './errorReporting';
import { HostBridge } from './hostBridge';

function start(): void {
  const bridge = new HostBridge();
  const reportError = installErrorReporting((message) => bridge.post({ type: 'webviewError', message }));
  try {
    const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
    const dashboard = new Dashboard(root, bridge, reportError);
    bridge.listen((message) => {
      try {
        dashboard.handle(message);
      } catch (error) {
        reportError(error, `handling "${message.type}"`);
      }
    });
  } catch (error) {
    reportError(error, 'starting the dashboard');
  }
  bridge.post({ type: 'ready' });
}

start();
