/**
 * The parts of VS Code every harness page fakes the same way: the theme (body class and CSS
 * variables), Content-Security-Policy violations collected for assertions, and
 * `acquireVsCodeApi` (once per page, state kept in sessionStorage across reloads as VS Code keeps
 * it across panel revivals).
 */

import { BODY_CLASS, THEME_VARIABLES, type HarnessTheme } from '../themes';

const THEMES: readonly HarnessTheme[] = ['dark', 'light', 'high-contrast'];

export function applyTheme(theme: HarnessTheme): void {
  const root = document.documentElement;
  for (const name of Object.values(THEME_VARIABLES).flatMap((variables) => Object.keys(variables))) {
    root.style.removeProperty(name);
  }
  for (const [name, value] of Object.entries(THEME_VARIABLES[theme])) root.style.setProperty(name, value);
  document.body.classList.remove(...Object.values(BODY_CLASS));
  document.body.classList.add(BODY_CLASS[theme]);
  document.body.dataset.vscodeThemeKind = BODY_CLASS[theme];
}

/** The theme named by the page's `theme` query parameter (dark by default). */
export function applyThemeFromQuery(params: URLSearchParams): void {
  applyTheme(THEMES.find((t) => t === params.get('theme')) ?? 'dark');
}

/** Every CSP violation the page reports, as it happens. */
export function collectCspViolations(): string[] {
  const violations: string[] = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    violations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
  });
  return violations;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => unknown;
  }
}

/** Installs `acquireVsCodeApi`; posts go to `receive`. Returns the last saved state. */
export function installFakeVsCodeApi(receive: (message: unknown) => void, stateKey: string): { readonly savedState: unknown } {
  let apiAcquired = false;
  let savedState: unknown = JSON.parse(sessionStorage.getItem(stateKey) ?? 'null') ?? undefined;
  window.acquireVsCodeApi = () => {
    // VS Code throws on a second call; a page that calls it twice must fail here too.
    if (apiAcquired) throw new Error('An instance of the VS Code API has already been acquired');
    apiAcquired = true;
    return {
      postMessage: (message: unknown) => receive(message),
      getState: () => savedState,
      setState: (state: unknown) => {
        savedState = state;
        sessionStorage.setItem(stateKey, JSON.stringify(state));
        return state;
      },
    };
  };
  return {
    get savedState() {
      return savedState;
    },
  };
}
