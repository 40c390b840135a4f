// Debian's Chromium, launched the same way for every test that drives a browser. Plain JavaScript
// because the e2e driver runs under plain node, while the webview harness (tsx) imports it too.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.DDPG_LAB_CHROMIUM ?? '/usr/bin/chromium';

// Without the networking flags Chromium keeps trying to reach Google services offline.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Headless: playwright adds --headless itself unless told otherwise. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
