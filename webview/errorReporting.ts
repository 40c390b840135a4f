/**
 * Errors in the webview are invisible to the user and to the extension unless reported: every
 * uncaught error and rejected promise is posted to the host as `webviewError` (which logs it).
 * Identical messages are reported once, and a runaway loop cannot flood the host.
 */

const MAX_REPORTS = 20;

export type ErrorReporter = (error: unknown, context: string) => void;

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ? `${error.message}\n${error.stack}` : error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}

export function installErrorReporting(post: (message: string) => void): ErrorReporter {
  const reported = new Set<string>();
  const report: ErrorReporter = (error, context) => {
    const message = `${context}: ${describe(error)}`;
    console.error(message);
    if (reported.has(message) || reported.size >= MAX_REPORTS) return;
    reported.add(message);
    try {
      post(message);
    } catch (postError) {
      console.error('could not report a webview error to the host', postError);
    }
  };
  window.addEventListener('error', (event) => {
    const where = event.filename ? ` (${event.filename}:${event.lineno}:${event.colno})` : '';
    report(event.error ?? event.message, `uncaught error${where}`);
  });
  window.addEventListener('unhandledrejection', (event) => report(event.reason, 'unhandled promise rejection'));
  return report;
}
