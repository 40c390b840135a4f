// What both journeys (userJourney.mjs, mujocoJourney.mjs) do with DDPG Lab's own UI: wait for the
// dashboard's parts and its run state, train from the palette, find a run's checkpoint rows in
// the Runs view and run a context-menu command on one, and compare two runs from the side bar.
// The generic workbench driving (palette, side bar rows, context menus, webview DOM) stays in
// workbench.mjs.
import {
  clickContextMenuItem,
  findByTestId,
  openActivityBarContainer,
  readTestIdText,
  runPaletteCommand,
  sideBarRow,
  sideBarTreeRows,
  waitUntil,
} from './workbench.mjs';

export async function waitForState(page, expected, timeoutMs = 60_000) {
  await waitUntil(`the run state "${expected}"`, async () => {
    const state = await readTestIdText(page, 'status-state');
    return { ok: state === expected, seen: state };
  }, { timeoutMs });
}

/** Waits until every part of the dashboard named in `parts` (data-testids) is visible. */
export async function waitForDashboardParts(page, parts) {
  await waitUntil(`the dashboard's parts ${parts.join(', ')}`, async () => {
    const present = [];
    for (const id of parts) if ((await findByTestId(page, id))?.visible) present.push(id);
    return { ok: present.length === parts.length, seen: { present } };
  });
}

/** Palette → DDPG: Train; waits for a dashboard showing a new running run and returns its name. */
export async function trainFromPalette(page, previousName) {
  await runPaletteCommand(page, 'DDPG: Train');
  const { name } = await waitUntil('the dashboard to show a new run', async () => {
    const name = await readTestIdText(page, 'run-name');
    return { ok: Boolean(name) && name !== previousName, seen: name, name };
  });
  await waitForState(page, 'running');
  return name;
}

/** The side bar rows of one run: the run itself (level 1) and what is nested under it. */
async function runSubtree(page, runName) {
  const rows = await sideBarTreeRows(page);
  const runIndex = rows.findIndex((row) => row.level === 1 && row.text.includes(runName));
  if (runIndex < 0) return { run: undefined, children: [], rows };
  const children = [];
  for (let i = runIndex + 1; i < rows.length && rows[i].level > 1; i++) children.push(rows[i]);
  return { run: rows[runIndex], children, rows };
}

/** Expands the run in the Runs tree and waits for a checkpoint row under it matching `pattern`. */
export async function waitForCheckpointRow(page, runName, pattern, timeoutMs = 60_000) {
  const { row } = await waitUntil(`a checkpoint matching ${pattern} under run ${runName} in the Runs view`, async () => {
    const { run, children, rows } = await runSubtree(page, runName);
    if (!run) return { ok: false, seen: rows.map((r) => r.text) };
    if (run.expanded === 'false') {
      await sideBarRow(page, run.index).locator('.monaco-tl-twistie').click();
      return { ok: false, seen: 'expanding the run' };
    }
    const row = children.find((child) => pattern.test(child.text));
    return { ok: Boolean(row), seen: { run: run.text, children: children.map((c) => c.text) }, row };
  }, { timeoutMs, intervalMs: 500 });
  return row;
}

/**
 * Right-clicks the run's checkpoint row matching `pattern` and chooses `label` from its context
 * menu. The row is looked up again for every attempt: a run appearing or changing state above it,
 * or the tree re-rendering as a stopped run settles, moves it. Returns the row and how many
 * clicks the menu entry took.
 */
export async function checkpointCommand(page, runName, pattern, label) {
  let row;
  const openMenu = async () => {
    row = await waitForCheckpointRow(page, runName, pattern);
    await sideBarRow(page, row.index).click({ button: 'right' });
  };
  await openMenu();
  const menuClicks = await clickContextMenuItem(page, label, { reopen: openMenu });
  return { row, menuClicks };
}

/** Selects both runs in the Runs view and chooses Compare Runs from the context menu; returns how many clicks the entry took. */
export async function compareRunsFromSideBar(page, firstRun, secondRun) {
  await openActivityBarContainer(page, 'DDPG');
  const bothRows = () =>
    waitUntil('both runs in the Runs view', async () => {
      const rows = await sideBarTreeRows(page);
      const first = rows.find((row) => row.level === 1 && row.text.includes(firstRun));
      const second = rows.find((row) => row.level === 1 && row.text.includes(secondRun));
      return { ok: Boolean(first && second), seen: rows.map((r) => r.text), first, second };
    });
  // Selected and right-clicked afresh for every attempt: rows move when a run above them changes.
  const openMenu = async () => {
    const rows = await bothRows();
    await sideBarRow(page, rows.first.index).click();
    await sideBarRow(page, rows.second.index).click({ modifiers: ['Control'] });
    await sideBarRow(page, rows.second.index).click({ button: 'right' });
  };
  await openMenu();
  return clickContextMenuItem(page, 'Compare Runs', { reopen: openMenu });
}
