/**
 * The contract between the harness page (page/fakeHost.mts, in the browser) and the Node side
 * (tests and the screenshot script), which reach it as `window.harness` through Playwright.
 */

import type { ShowComparisonMessage } from '../../src/shared/protocol';
import type { HarnessTheme } from './themes';

/**
 * live: a run 60 episodes in, training on; starting: a run whose trainer is still loading;
 * inspect: a finished run shown at a checkpoint; evaluate: a checkpoint being evaluated;
 * none: the host has no run to show.
 */
export type HarnessScenario = 'live' | 'starting' | 'inspect' | 'evaluate' | 'none';

export interface HarnessHandle {
  readonly scenario: HarnessScenario;
  /** Every message the webview posted, in order. */
  readonly posted: unknown[];
  /** The last value the webview gave setState. */
  readonly savedState: unknown;
  /** Content-Security-Policy violations reported by the page. */
  readonly cspViolations: string[];
  /** The run id the fake host uses. */
  readonly runId: string;
  /** Delivers a message to the webview exactly as VS Code does (window message event). */
  send(message: unknown): void;
  setTheme(theme: HarnessTheme): void;
  /** Stops the simulated trainer from sending anything more (for deterministic screenshots). */
  freeze(): void;
}

/** The comparison harness page's handle (page/fakeComparisonHost.mts). */
export interface ComparisonHarnessHandle {
  readonly posted: unknown[];
  readonly savedState: unknown;
  readonly cspViolations: string[];
  /** What the fake host sends on `ready` and `refresh`. */
  readonly comparison: ShowComparisonMessage;
  send(message: unknown): void;
  setTheme(theme: HarnessTheme): void;
}
