/**
 * One harness server and one Chromium for a webview test file, started before its tests and
 * closed after them, with every page the tests opened.
 */

import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, type HarnessPage } from './harnessBrowser';
import { startHarnessServer, type HarnessServer } from './harnessServer';

export interface HarnessSession {
  readonly server: HarnessServer;
  readonly browser: Browser;
  /** Pages still open; the session closes them at the end. */
  readonly openPages: HarnessPage[];
}

export function useHarnessSession(): HarnessSession {
  let server: HarnessServer | undefined;
  let browser: Browser | undefined;
  const openPages: HarnessPage[] = [];
  before(async () => {
    server = await startHarnessServer();
    browser = await launchChromium();
  });
  after(async () => {
    await Promise.all(openPages.map((p) => p.close()));
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the harness server starts in before()');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium starts in before()');
      return browser;
    },
    openPages,
  };
}
