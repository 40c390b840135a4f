/**
 * The comparison page's controller: header (count, x axis, Average seeds, Refresh), problems, the
 * runs table, a pair of charts per environment and the settings table. Every `showComparison` replaces the data and
 * redraws in place; the user's choices live in the persisted view state.
 */

import type { ComparisonToHost, HostToComparison, ShowComparisonMessage } from '../../src/shared/protocol';
import { element, labelledSelect, setText } from '../dom';
import type { WebviewBridge } from '../hostBridge';
import { readPalette, watchTheme, type ThemePalette } from '../theme';
import { differingWithin, drawnCurves, groupLabel, groupRuns, hasSeedGroups, runsByEnvironment, type RunGroup } from './curves';
import { EnvironmentCharts } from './environmentCharts';
import { runColour } from './runColours';
import { RunsTable } from './runsTable';
import { SettingsTable } from './settingsTable';
import type { ComparisonViewState, ComparisonXAxis } from './viewState';

export type ComparisonBridge = WebviewBridge<HostToComparison, ComparisonToHost, ComparisonViewState>;

const X_AXIS_OPTIONS: Array<{ value: ComparisonXAxis; label: string }> = [
  { value: 'step', label: 'Env steps' },
  { value: 'wallTime', label: 'Wall time' },
  { value: 'episode', label: 'Episodes' },
];

export class ComparisonView {
  private message: ShowComparisonMessage | null = null;
  private palette: ThemePalette = readPalette();
  private readonly heading = element('h1', { className: 'run-title', text: 'Comparing runs…' });
  private readonly subheading = element('p', { className: 'muted comparison-note' });
  private readonly problems = element('div', { className: 'problem', testId: 'comparison-problems', attributes: { role: 'alert' } });
  private readonly averageSeeds: HTMLInputElement;
  private readonly averageLabel: HTMLLabelElement;
  private readonly runsTable: RunsTable;
  /** By environment id, kept across refreshes (a chart is not rebuilt every 2 s while a run trains). */
  private readonly environmentCharts = new Map<string, EnvironmentCharts>();
  private readonly chartsArea = element('div', { className: 'comparison comparison-charts' });
  private readonly settingsTable: SettingsTable;
  private readonly content: HTMLElement;
  private readonly waiting = element('p', { className: 'empty-note', text: 'Loading the runs…' });
  /** With Average seeds, what each colour stands for (the runs table gives single runs' colours). */
  private readonly groupLegend = element('ul', { className: 'group-legend', testId: 'comparison-group-legend' });

  constructor(
    root: HTMLElement,
    private readonly bridge: ComparisonBridge,
  ) {
    const state = bridge.state;
    const refresh = element('button', { className: 'button secondary', text: 'Refresh', testId: 'comparison-refresh' });
    refresh.addEventListener('click', () => bridge.post({ type: 'refresh' }));
    const xAxis = labelledSelect('X axis', X_AXIS_OPTIONS, state.xAxis, 'comparison-x-axis', (value) => this.change({ xAxis: value }));
    this.averageSeeds = element('input', { testId: 'comparison-average-seeds', attributes: { type: 'checkbox' } });
    this.averageSeeds.checked = state.groupSeeds;
    this.averageSeeds.addEventListener('change', () => this.change({ groupSeeds: this.averageSeeds.checked }));
    this.averageLabel = element('label', { className: 'control-label checkbox-label' }, [this.averageSeeds, element('span', { text: 'Average seeds (mean ± std)' })]);
    this.problems.hidden = true;

    this.runsTable = new RunsTable({
      onToggle: (runId, visible) => {
        const hidden = new Set(this.bridge.state.hidden);
        if (visible) hidden.delete(runId);
        else hidden.add(runId);
        this.change({ hidden: [...hidden] });
      },
      onOpen: (runId) => bridge.post({ type: 'openRun', runId }),
    });
    this.settingsTable = new SettingsTable(state.showAllSettings, (showAll) => this.change({ showAllSettings: showAll }));

    this.content = element('div', { className: 'comparison' }, [
      element('header', { className: 'card comparison-header' }, [
        element('div', { className: 'run-heading' }, [this.heading, this.subheading]),
        element('div', { className: 'card-controls comparison-controls' }, [xAxis.label, this.averageLabel, refresh]),
      ]),
      this.problems,
      this.runsTable.element,
      this.groupLegend,
      this.chartsArea,
      this.settingsTable.element,
    ]);
    this.content.hidden = true;
    root.append(this.waiting, this.content);
    watchTheme((palette) => {
      this.palette = palette;
      if (this.message) this.render();
    });
  }

  handle(message: HostToComparison): void {
    this.message = message;
    this.bridge.updateState({ runIds: message.runs.map((r) => r.run.id) });
    this.render();
  }

  private change(change: Partial<ComparisonViewState>): void {
    this.bridge.updateState(change);
    if (this.message) this.render();
  }

  private render(): void {
    const message = this.message!;
    const state = this.bridge.state;
    const runs = message.runs;
    this.waiting.hidden = true;
    this.content.hidden = false;

    setText(this.heading, `Comparing ${runs.length} run${runs.length === 1 ? '' : 's'}`);
    const groups = groupRuns(runs);
    const live = runs.filter((r) => r.live).length;
    setText(
      this.subheading,
      [
        `${groups.length} experiment${groups.length === 1 ? '' : 's'}`,
        message.environments.length > 1 ? `${message.environments.length} environments, each on its own charts` : '',
        live > 0 ? `${live} still training (refreshes every 2 s)` : '',
        runs.length < 2 ? 'add runs with Compare Runs to compare them' : '',
      ]
        .filter(Boolean)
        .join(' · '),
    );

    this.problems.hidden = message.problems.length === 0;
    this.problems.dataset.level = 'warn';
    this.problems.replaceChildren(
      element('strong', { text: message.problems.length === 1 ? 'A run could not be read' : `${message.problems.length} runs could not be read` }),
      element('ul', {}, message.problems.map((p) => element('li', {}, [element('code', { text: p.runDir }), `: ${p.error}`]))),
    );

    const canGroup = hasSeedGroups(runs);
    this.averageSeeds.disabled = !canGroup;
    this.averageLabel.title = canGroup ? '' : 'No two runs share their learning settings (they differ in more than seed).';
    const groupSeeds = canGroup && state.groupSeeds;
    const hidden = new Set(state.hidden);
    const options = { groupSeeds, hidden, differing: message.differingSettings };

    const colourIndex = new Map<string, number>();
    runs.forEach((run, index) => colourIndex.set(run.run.id, index));
    if (groupSeeds) for (const group of groups) for (const run of group.runs) colourIndex.set(run.run.id, group.colourIndex);
    this.runsTable.show(runs, message.environments, hidden, (runId) => colourIndex.get(runId) ?? 0, this.palette);

    this.showGroupLegend(groupSeeds ? groupRuns(runs.filter((r) => !hidden.has(r.run.id))) : [], message);
    this.showEnvironmentCharts(message, { ...options, axis: state.xAxis });
    this.settingsTable.show(runs, message.differingSettings);
  }

  /** One pair of charts per environment, in the host's order; each environment's own "solved" line. */
  private showEnvironmentCharts(
    message: ShowComparisonMessage,
    options: { groupSeeds: boolean; hidden: ReadonlySet<string>; differing: readonly string[]; axis: ComparisonXAxis },
  ): void {
    const byEnvironment = runsByEnvironment(message.runs);
    const shown = message.environments.filter((env) => byEnvironment.has(env.id));
    for (const [id, charts] of this.environmentCharts) {
      if (shown.some((env) => env.id === id)) continue;
      charts.dispose();
      this.environmentCharts.delete(id);
    }
    for (const environment of shown) {
      let charts = this.environmentCharts.get(environment.id);
      if (!charts) {
        charts = new EnvironmentCharts(environment, this.palette);
        this.environmentCharts.set(environment.id, charts);
      }
      this.chartsArea.append(charts.element); // in the host's order; moving keeps the charts
      const curveOptions = { ...options, environment: environment.id };
      const curves = {
        eval: drawnCurves(message.runs, 'eval', options.axis, curveOptions),
        returns: drawnCurves(message.runs, 'returns', options.axis, curveOptions),
      };
      charts.update(environment, byEnvironment.get(environment.id)!.length, curves, options.axis, this.palette);
    }
  }

  /** With several environments each entry says which one it is; the settings named are those that differ within it. */
  private showGroupLegend(groups: readonly RunGroup[], message: ShowComparisonMessage): void {
    const titles = new Map(message.environments.map((env) => [env.id as string, env.title]));
    const several = message.environments.length > 1;
    this.groupLegend.hidden = groups.length === 0;
    this.groupLegend.replaceChildren(
      ...groups.map((group) => {
        const swatch = element('span', { className: 'run-swatch', attributes: { 'aria-hidden': 'true' } });
        swatch.style.backgroundColor = runColour(group.colourIndex, this.palette);
        const kind = group.runs.length > 1 ? 'mean ± std of ' : '';
        const environment = group.runs[0].environment;
        const where = several ? `${titles.get(environment) ?? environment}: ` : '';
        return element('li', {}, [swatch, `${where}${kind}${groupLabel(group, differingWithin(message.runs, environment), ['environment'])}`]);
      }),
    );
  }
}
