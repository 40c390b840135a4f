// Driving the VS Code workbench (code-server in Chromium) the way a person does: the command
// palette, the activity bar, tree rows, context menus, and the DOM inside webviews.
//
// Nothing here sleeps for a fixed time and then asserts: every wait polls a condition until it
// holds or a generous deadline passes, and a timeout says what it was waiting for and what it
// saw last.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export { launchChromium } from '../helpers/chromium.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An error message on one line, without the terminal colours Playwright adds. */
export function describeError(error) {
  return String(error?.message ?? error)
    // eslint-disable-next-line no-control-regex -- matches the ESC of ANSI colour codes on purpose
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && line !== 'Call log:')
    .join(' | ');
}

/**
 * Polls `probe` until it returns { ok: true, ... } and returns that object. `probe` may also
 * return { ok: false, seen } so that a timeout can report what it saw last.
 */
export async function waitUntil(description, probe, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last?.ok) return last;
    } catch (error) {
      last = { error: error.message.split('\n')[0] };
    }
    if (Date.now() > deadline) {
      const seen = last && 'seen' in last ? last.seen : last;
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${description}; last seen: ${JSON.stringify(seen)}`);
    }
    await sleep(intervalMs);
  }
}

/** Opens a new page on the workbench and waits until it is interactive. */
export async function openWorkbench(browser, url, consoleLog) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Console output of the workbench and of every webview frame, for debugging failures.
  page.on('console', (message) => consoleLog?.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLog?.push(`[pageerror] ${error.message}`));
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  return page;
}

const normalise = (text) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * F1, type the command's title, Enter on that exact entry. A command that asks with a quick pick
 * of its own reuses the palette's widget, which then never hides: pass `opensQuickPick` and
 * answer it with chooseQuickPickItem.
 */
export async function runPaletteCommand(page, title, { timeoutMs = 60_000, opensQuickPick = false } = {}) {
  const input = page.locator('.quick-input-widget input');
  await waitUntil(`the command palette to offer "${title}"`, async () => {
    if (!(await input.isVisible())) {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
    }
    // Retyping each round: a command whose `when` clause just became true only shows up when
    // the palette filters again.
    await input.fill(`>${title}`);
    const labels = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
    const found = labels.map(normalise).includes(title);
    if (!found) {
      await page.keyboard.press('Escape');
    }
    return { ok: found, seen: labels.slice(0, 5).map(normalise) };
  }, { timeoutMs, intervalMs: 1000 });
  const focused = normalise(await page.locator('.quick-input-list .monaco-list-row.focused .label-name').first().innerText());
  if (focused === title) {
    await page.keyboard.press('Enter');
  } else {
    // Another entry matched better (e.g. a recently used one): pick ours explicitly.
    await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: title }) }).first().click();
  }
  if (!opensQuickPick) await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Answers the quick pick titled `title` (the palette's own widget, reused): types `label` to
 * filter and picks the entry with exactly that label. Resolves once the quick pick has closed.
 * A quick pick closes when the workbench takes the focus away (a webview loading beside it
 * can): `reopen` opens it again, up to twice.
 */
export async function chooseQuickPickItem(page, title, label, { timeoutMs = 30_000, reopen } = {}) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  const row = widget.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) }).first();
  let reopened = 0;
  let hiddenSince;
  await waitUntil(`the quick pick "${title}" to offer "${label}"`, async () => {
    const shownTitle = normalise(await widget.locator('.quick-input-title').innerText({ timeout: 1_000 }).catch(() => ''));
    const visible = await input.isVisible();
    if (!visible && reopen && reopened < 2) {
      hiddenSince ??= Date.now();
      // Hidden for a second: not a redraw but a quick pick that closed.
      if (Date.now() - hiddenSince > 1_000) {
        reopened++;
        hiddenSince = undefined;
        await reopen();
      }
    } else if (visible) hiddenSince = undefined;
    if (!visible || shownTitle !== title) return { ok: false, seen: { title: shownTitle, visible, reopened } };
    if ((await input.inputValue()) !== label) await input.fill(label);
    const labels = (await widget.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts()).map(normalise);
    return { ok: labels.includes(label), seen: { title: shownTitle, labels: labels.slice(0, 5) } };
  }, { timeoutMs, intervalMs: 500 });
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Moves the mouse to an empty stretch of the title bar (right of the command center) and waits
 * for hovers to go, so that no tooltip (a tree row's, a chart's) covers what a screenshot should
 * show. A hover whose delay was already running opens anyway: the next move closes it. Gives up
 * quietly after a few seconds: a hover spoils a picture, not the test.
 */
export async function parkMouse(page) {
  const { width } = page.viewportSize() ?? { width: 1600 };
  const x = Math.round(width * 0.87);
  await page.mouse.move(x, 8, { steps: 4 });
  let nudge = 0;
  let clear = 0;
  await waitUntil('hovers to close', async () => {
    const open = await page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').evaluateAll((hovers) => hovers.filter((h) => h.getClientRects().length > 0).length);
    if (open > 0) await page.mouse.move(x + (nudge++ % 2), 8);
    clear = open > 0 ? 0 : clear + 1;
    // Clear for a second: longer than the delay of a hover still on its way.
    return { ok: clear >= 4, seen: open };
  }, { timeoutMs: 6_000, intervalMs: 300 }).catch(() => undefined);
}

/** The activity bar icon of a view container; its accessible name is the container's title. */
export function activityBarEntry(page, name) {
  return page.locator(`.part.activitybar .action-label[aria-label^="${name}"]`).first();
}

async function sideBarTitle(page) {
  return normalise(await page.locator('.part.sidebar .composite.title').first().innerText({ timeout: 5_000 }).catch(() => ''));
}

/** Clicks the activity bar entry (e.g. "DDPG") unless its view container is already showing. */
export async function openActivityBarContainer(page, name) {
  const entry = activityBarEntry(page, name);
  await entry.waitFor({ state: 'visible', timeout: 60_000 });
  const showing = (title) => title.toUpperCase().startsWith(name.toUpperCase());
  if (!showing(await sideBarTitle(page))) await entry.click();
  await waitUntil(`the "${name}" side bar`, async () => {
    const title = await sideBarTitle(page);
    return { ok: showing(title), seen: title };
  });
}

/** Rows of the tree in the side bar: { index, level, expanded, text, label } (label: the accessible name, which says a run's state). */
export async function sideBarTreeRows(page) {
  return page.locator('.part.sidebar .monaco-list-row').evaluateAll((rows) =>
    rows.map((row, index) => ({
      index,
      level: Number(row.getAttribute('aria-level') ?? '0'),
      expanded: row.getAttribute('aria-expanded'),
      text: (row.textContent ?? '').replace(/\s+/g, ' ').trim(),
      label: row.getAttribute('aria-label') ?? '',
    })),
  );
}

/**
 * "Developer: Reload Window" and the wait for the new workbench: the old page's marker is gone
 * and the workbench is back.
 */
export async function reloadWindow(page) {
  await page.evaluate(() => {
    window.__ddpgBeforeReload = true;
  });
  await runPaletteCommand(page, 'Developer: Reload Window').catch(() => undefined); // the palette goes with the page
  await waitUntil('the reloaded workbench', async () => {
    const reloaded = await page
      .evaluate(() => !window.__ddpgBeforeReload && document.querySelector('.monaco-workbench') !== null)
      .catch(() => false); // navigating
    return { ok: reloaded, seen: reloaded };
  }, { timeoutMs: 120_000, intervalMs: 500 });
}

export function sideBarRow(page, index) {
  return page.locator('.part.sidebar .monaco-list-row').nth(index);
}

/**
 * Clicks an entry of the open context menu (VS Code draws it inside a shadow root) and waits
 * for the menu to close, which is when its action runs. A click can land while the menu is
 * still settling and only highlight the entry (seen once in a clean CI clone): then the menu is
 * still open a second later and we click again. An entry that is gone is never clicked twice.
 */
export async function clickContextMenuItem(page, label, { reopen } = {}) {
  const item = page.locator('.monaco-menu .action-item .action-label', { hasText: label }).first();
  // A right-click that lands while the tree re-renders a row or a hover opens shows no menu
  // (seen in clean CI clones right after a multi-selection): open it again, a few times.
  for (let attempt = 1; ; attempt++) {
    const shown = await item.waitFor({ state: 'visible', timeout: reopen && attempt < 4 ? 4_000 : 15_000 }).then(() => true, () => false);
    if (shown) break;
    if (!reopen || attempt >= 4) throw new Error(`the context menu entry "${label}" never appeared (${attempt} attempt(s))`);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await reopen();
  }
  let clicks = 0;
  await waitUntil(`the context menu entry "${label}" to run (the menu to close)`, async () => {
    if (!(await item.isVisible())) return { ok: true };
    await item.click({ timeout: 5_000 });
    clicks++;
    return { ok: false, seen: `menu still open after ${clicks} click(s)` };
  }, { timeoutMs: 30_000, intervalMs: 1000 });
  return clicks; // more than 1 means the first click was swallowed
}

/**
 * Looks up an element by data-testid in every frame of the page (a webview's DOM lives two
 * iframes deep) and returns { frame, text, visible, data } or null; `data` holds its data-*
 * attributes, camel-cased as in `element.dataset`.
 */
export async function findByTestId(page, testId) {
  for (const frame of page.frames()) {
    let found;
    try {
      found = await frame.evaluate((id) => {
        const element = document.querySelector(`[data-testid="${id}"]`);
        if (!element) return null;
        return { text: (element.textContent ?? '').replace(/\s+/g, ' ').trim(), visible: !element.closest('[hidden]'), data: { ...element.dataset } };
      }, testId);
    } catch {
      continue; // The frame navigated or went away while we looked.
    }
    if (found) return { frame, ...found };
  }
  return null;
}

/** The first integer in an element's text ("1,234 / 5,000" → 1234), or NaN. */
export function firstInteger(text) {
  const match = /-?\d[\d,]*/.exec(text ?? '');
  return match ? Number(match[0].replace(/,/g, '')) : Number.NaN;
}

export async function readTestIdText(page, testId) {
  return (await findByTestId(page, testId))?.text;
}

export async function readTestIdInteger(page, testId) {
  return firstInteger(await readTestIdText(page, testId));
}

/** The data-* attributes of the element [data-testid=testId] (camel-cased keys), or undefined if there is none. */
export async function readTestIdData(page, testId) {
  return (await findByTestId(page, testId))?.data;
}

/** The body rows of the table [data-testid=testId], each an object of its cells' texts keyed by the header's column names; undefined if absent. */
export async function readTestIdTable(page, testId) {
  const found = await findByTestId(page, testId);
  if (!found) return undefined;
  return found.frame.evaluate((id) => {
    const table = document.querySelector(`[data-testid="${id}"]`);
    const clean = (cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
    const columns = [...(table?.querySelectorAll('thead th') ?? [])].map(clean);
    return [...(table?.querySelectorAll('tbody tr') ?? [])].map((row) => Object.fromEntries([...row.cells].map((cell, i) => [columns[i] ?? String(i), clean(cell)])));
  }, testId);
}

/** The texts of the elements matching `selector` inside [data-testid=testId] (e.g. the items of a list), or undefined if it is absent. */
export async function readTestIdPartTexts(page, testId, selector) {
  const found = await findByTestId(page, testId);
  if (!found) return undefined;
  return found.frame.evaluate(([id, parts]) => {
    const element = document.querySelector(`[data-testid="${id}"]`);
    return [...(element?.querySelectorAll(parts) ?? [])].map((part) => (part.textContent ?? '').replace(/\s+/g, ' ').trim());
  }, [testId, selector]);
}

/** Scrolls the element [data-testid=testId] into view in its webview (`block` as for Element.scrollIntoView); false if it is absent. */
export async function scrollTestIdIntoView(page, testId, block = 'center') {
  const found = await findByTestId(page, testId);
  if (!found) return false;
  return found.frame.evaluate(([id, where]) => {
    const element = document.querySelector(`[data-testid="${id}"]`);
    element?.scrollIntoView({ block: where, behavior: 'instant' });
    return Boolean(element);
  }, [testId, block]);
}

export async function clickTestId(page, testId) {
  const found = await waitUntil(`the element [data-testid=${testId}]`, async () => {
    const hit = await findByTestId(page, testId);
    return { ok: Boolean(hit?.visible), seen: hit ? { text: hit.text, visible: hit.visible } : 'absent', hit };
  });
  await found.hit.frame.locator(`[data-testid="${testId}"]`).click({ timeout: 15_000 });
}

/** Writes what a person would see: the workbench's text, notifications and every frame's text. */
export async function dumpPage(page, file, error) {
  const sections = [`Error: ${error?.stack ?? error}`, `URL: ${page.url()}`];
  for (const frame of page.frames()) {
    // The web worker extension host's frame holds only its bootstrap script.
    if (frame.url().includes('webWorkerExtensionHostIframe')) continue;
    try {
      const text = await frame.evaluate(() => document.body?.innerText ?? '');
      sections.push(`── frame ${frame.url().slice(0, 160)}\n${text.trim()}`);
    } catch (frameError) {
      sections.push(`── frame ${frame.url().slice(0, 160)}: unreadable (${frameError.message.split('\n')[0]})`);
    }
  }
  writeFileSync(file, `${sections.join('\n\n')}\n`);
}

/** The messages of the notifications on screen (errors of the extension show up there). */
export async function visibleNotifications(page) {
  const texts = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => []);
  return texts.map(normalise).filter(Boolean);
}

/**
 * Runs named steps in order, each followed by a full-workbench screenshot NN-<slug>.png.
 * Once a step fails, later steps of the same flow depend on it and are reported as not run,
 * unless it was marked `blocking: false`: a check that leaves the workbench as the next steps
 * need it, whose failure should not hide what they would find.
 */
export class StepRunner {
  constructor({ outDir, counter, results }) {
    this.outDir = outDir;
    this.counter = counter; // shared { next } so that screenshot numbers run across flows
    this.results = results; // shared array of { name, status, detail }
    this.page = null;
    this.blocked = false;
  }

  setPage(page) {
    this.page = page;
  }

  async step(name, slug, action, { blocking = true } = {}) {
    if (this.blocked) {
      this.results.push({ name, status: 'not run', detail: 'an earlier step failed' });
      console.log(`  -  ${name} (not run)`);
      return undefined;
    }
    const number = String(this.counter.next++).padStart(2, '0');
    const started = Date.now();
    try {
      const detail = await action();
      await this.screenshot(join(this.outDir, `${number}-${slug}.png`));
      this.results.push({ name, status: 'passed', detail });
      console.log(`  ✓  ${name}${detail ? `: ${detail}` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return detail;
    } catch (error) {
      if (blocking) this.blocked = true;
      await this.screenshot(join(this.outDir, `${number}-${slug}-FAILED.png`));
      if (this.page) await dumpPage(this.page, join(this.outDir, `${number}-${slug}-FAILED.txt`), error).catch(() => {});
      this.results.push({ name, status: 'failed', detail: describeError(error) });
      console.log(`  ✗  ${name}: ${describeError(error)}`);
      const notifications = this.page ? await visibleNotifications(this.page) : [];
      for (const message of notifications) console.log(`     notification: ${message}`);
      return undefined;
    }
  }

  /** Marks the rest of a flow as not run after a failure outside any step (e.g. startup). */
  fail(name, error) {
    this.blocked = true;
    this.results.push({ name, status: 'failed', detail: describeError(error) });
    console.log(`  ✗  ${name}: ${describeError(error)}`);
  }

  async screenshot(file) {
    if (!this.page) return;
    await this.page.screenshot({ path: file }).catch((error) => console.log(`     (screenshot failed: ${error.message})`));
  }
}
