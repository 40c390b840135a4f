/**
 * The runs of the comparison as a table that is also the charts' legend: a colour swatch and a
 * show/hide checkbox per run, the name as a button that opens the run in the dashboard, and the
 * figures a reader compares (environment and algorithm, best and final evaluation, where it first
 * solved by its own environment's threshold, run length).
 * Rows are keyed by run id and updated in place, so a live refresh keeps focus and checkboxes.
 */

import type { ComparedEnvironment, ComparedRun } from '../../src/shared/protocol';
import { element, setText } from '../dom';
import { formatDuration, formatInteger, formatReturn } from '../format';
import type { ThemePalette } from '../theme';
import { runColour } from './runColours';

const COLUMNS = ['Show', 'Run', 'Environment', 'Algorithm', 'Status', 'Seed', 'Engine', 'Episodes', 'Steps', 'Time', 'Best eval', 'Final eval', 'Solved at', 'Recent return'];
const SOLVED_COLUMN = COLUMNS.indexOf('Solved at') - 2;
const STATUS_COLUMN = COLUMNS.indexOf('Status') - 2;

interface RowParts {
  row: HTMLTableRowElement;
  swatch: HTMLElement;
  checkbox: HTMLInputElement;
  name: HTMLButtonElement;
  cells: HTMLTableCellElement[];
}

export interface RunsTableHandlers {
  onToggle(runId: string, visible: boolean): void;
  onOpen(runId: string): void;
}

/** Fast runs solve in well under a second: tenths matter there, not beyond a minute. */
function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
}

function solvedText(run: ComparedRun, environment: ComparedEnvironment | undefined): string {
  const solved = run.summary.solved;
  if (!solved && environment?.solvedThreshold === null) return 'no threshold';
  if (!solved) return run.evals.length === 0 ? 'no evaluations yet' : 'not yet';
  return `step ${formatInteger(solved.step)} · ${formatSeconds(solved.wallTime)}`;
}

/** The threshold a run's "solved at" is measured against: its own environment's. */
function solvedTitle(environment: ComparedEnvironment | undefined): string {
  if (!environment || environment.solvedThreshold === null) return 'This environment defines no solved threshold';
  return `First deterministic evaluation with a mean of at least ${environment.solvedThreshold}: ${environment.solvedLabel}`;
}

export class RunsTable {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly rows = new Map<string, RowParts>();

  constructor(private readonly handlers: RunsTableHandlers) {
    this.body = element('tbody');
    const head = element('thead', {}, [element('tr', {}, COLUMNS.map((c) => element('th', { text: c, attributes: { scope: 'col' } })))]);
    this.element = element('section', { className: 'card comparison-runs' }, [
      element('div', { className: 'table-scroll' }, [
        element('table', { className: 'comparison-table', testId: 'comparison-runs-table' }, [
          element('caption', { className: 'section-title', text: 'Runs' }),
          head,
          this.body,
        ]),
      ]),
    ]);
  }

  /** `colourIndexOf` gives each run its line colour (with Average seeds, its group's). */
  show(
    runs: readonly ComparedRun[],
    environments: readonly ComparedEnvironment[],
    hidden: ReadonlySet<string>,
    colourIndexOf: (runId: string) => number,
    palette: ThemePalette,
  ): void {
    const environmentOf = new Map(environments.map((env) => [env.id as string, env]));
    const seen = new Set<string>();
    runs.forEach((run) => {
      const id = run.run.id;
      seen.add(id);
      const parts = this.rows.get(id) ?? this.createRow(id);
      this.fill(parts, run, environmentOf.get(run.environment), !hidden.has(id), runColour(colourIndexOf(id), palette));
      this.body.append(parts.row); // keeps the host's order; moving a node keeps its focus state
    });
    for (const [id, parts] of this.rows) {
      if (seen.has(id)) continue;
      parts.row.remove();
      this.rows.delete(id);
    }
  }

  private createRow(runId: string): RowParts {
    const swatch = element('span', { className: 'run-swatch', attributes: { 'aria-hidden': 'true' } });
    const checkbox = element('input', { attributes: { type: 'checkbox' } });
    checkbox.addEventListener('change', () => this.handlers.onToggle(runId, checkbox.checked));
    const name = element('button', { className: 'link-button run-link', testId: 'comparison-run-link' });
    name.addEventListener('click', () => this.handlers.onOpen(runId));
    const cells = COLUMNS.slice(2).map(() => element('td', { className: 'numeric' }));
    const row = element('tr', {}, [
      element('td', {}, [element('label', { className: 'run-toggle' }, [checkbox, swatch])]),
      element('th', { attributes: { scope: 'row' } }, [name]),
      ...cells,
    ]);
    row.dataset.runId = runId;
    const parts = { row, swatch, checkbox, name, cells };
    this.rows.set(runId, parts);
    return parts;
  }

  private fill(parts: RowParts, run: ComparedRun, environment: ComparedEnvironment | undefined, visible: boolean, colour: string): void {
    const summary = run.summary;
    parts.swatch.style.backgroundColor = colour;
    parts.checkbox.checked = visible;
    parts.checkbox.setAttribute('aria-label', `Show ${run.run.name} in the charts`);
    parts.row.classList.toggle('is-hidden', !visible);
    setText(parts.name, run.run.name);
    parts.name.title = `Open ${run.run.name} in the dashboard`;
    const values = [
      environment?.title ?? run.environment,
      run.algorithm.toUpperCase(),
      run.live ? `${run.run.status} · live` : run.run.status,
      String(run.run.seed),
      run.run.engine ? `${run.run.engine.engine} · ${run.run.engine.backend}` : '—',
      formatInteger(summary.episodes),
      formatInteger(summary.steps),
      formatSeconds(summary.wallTime),
      formatReturn(summary.bestEval),
      formatReturn(summary.finalEval),
      solvedText(run, environment),
      formatReturn(summary.recentReturn),
    ];
    values.forEach((text, i) => setText(parts.cells[i], text));
    parts.cells[0].title = run.environment;
    parts.cells[SOLVED_COLUMN].title = solvedTitle(environment);
    parts.cells[STATUS_COLUMN].classList.toggle('is-live', run.live);
    parts.row.dataset.solved = summary.solved ? 'true' : 'false';
  }
}
