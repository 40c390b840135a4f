/**
 * The run's hyperparameters in a collapsible section, grouped as config.ts groups them, in the
 * settings order. Only the settings that apply to the run's environment and algorithm are listed:
 * Pendulum's gravity says nothing about a mountain car. Values that differ from the defaults are
 * highlighted and show the default, so "what did I change?" is answered at a glance; a toggle
 * hides the rest.
 */

import { CONFIG_SPEC, defaultConfig, type ConfigKey, type SettingSpec } from '../../src/shared/config';
import { environmentOf, type EnvironmentDescriptor } from '../../src/shared/environments';
import { element, setText } from '../dom';
import { formatConfigValue } from '../format';

/** Descriptions are written for VS Code's markdown settings UI; the table shows plain text. */
function plainText(markdown: string): string {
  return markdown.replace(/\*\*?([^*]+)\*\*?/g, '$1').replace(/`([^`]+)`/g, '$1');
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/** A setting without `appliesTo` applies everywhere. */
function appliesToRun(spec: SettingSpec, environment: EnvironmentDescriptor, algorithm: string): boolean {
  const where = spec.appliesTo;
  if (where?.environments && !where.environments.includes(environment.id)) return false;
  if (where?.algorithms && !(where.algorithms as readonly string[]).includes(algorithm)) return false;
  return true;
}

interface Row {
  key: string;
  value: unknown;
  spec: SettingSpec | null;
  changed: boolean;
}

export class HyperparameterTable {
  readonly element: HTMLDetailsElement;
  private readonly summaryNote: HTMLElement;
  private readonly groups: HTMLElement;
  private readonly onlyChanged: HTMLInputElement;

  constructor(open: boolean, onlyChanged: boolean, onViewChange: (change: { hyperparametersOpen?: boolean; onlyChangedHyperparameters?: boolean }) => void) {
    this.summaryNote = element('span', { className: 'muted' });
    this.groups = element('div', { className: 'hp-groups' });
    this.onlyChanged = element('input', { testId: 'hp-only-changed', attributes: { type: 'checkbox' } });
    this.onlyChanged.checked = onlyChanged;
    this.onlyChanged.addEventListener('change', () => {
      this.groups.classList.toggle('only-changed', this.onlyChanged.checked);
      onViewChange({ onlyChangedHyperparameters: this.onlyChanged.checked });
    });
    this.groups.classList.toggle('only-changed', onlyChanged);
    this.element = element('details', { className: 'card hyperparameters', testId: 'hyperparameters' }, [
      element('summary', { className: 'hp-summary' }, [element('span', { className: 'section-title', text: 'Hyperparameters' }), this.summaryNote]),
      element('div', { className: 'hp-toolbar' }, [
        element('label', { className: 'control-label checkbox-label' }, [this.onlyChanged, element('span', { text: 'Show only values changed from the defaults' })]),
      ]),
      this.groups,
    ]);
    this.element.open = open;
    this.element.addEventListener('toggle', () => onViewChange({ hyperparametersOpen: this.element.open }));
  }

  show(config: Record<string, unknown>): void {
    const environment = environmentOf(config);
    // Runs from before algorithms were a choice are the default algorithm's.
    const algorithm = typeof config.algorithm === 'string' ? config.algorithm : defaultConfig().algorithm;
    const rows: Row[] = (Object.keys(CONFIG_SPEC) as ConfigKey[])
      .filter((key) => appliesToRun(CONFIG_SPEC[key], environment, algorithm))
      .map((key) => {
        const spec = CONFIG_SPEC[key];
        // A seed drawn for the run (ddpg.seed empty, the default) is no change the user made.
        const drawn = (spec.type === 'number' || spec.type === 'integer') && spec.freshWhenEmpty === true;
        return { key, value: config[key], spec, changed: key in config && !drawn && !sameValue(config[key], spec.default) };
      });
    // Keys this version does not know (a run from a newer build) are still shown, never dropped.
    for (const key of Object.keys(config)) {
      if (!(key in CONFIG_SPEC)) rows.push({ key, value: config[key], spec: null, changed: false });
    }
    const changedCount = rows.filter((r) => r.changed).length;
    setText(
      this.summaryNote,
      ` · ${rows.length} settings for ${environment.id}, ${changedCount === 0 ? 'all defaults' : `${changedCount} changed from the defaults`}`,
    );
    this.groups.classList.toggle('none-changed', changedCount === 0);

    const byGroup = new Map<string, Row[]>();
    for (const row of rows) {
      const group = row.spec?.group ?? 'Other';
      byGroup.set(group, [...(byGroup.get(group) ?? []), row]);
    }
    this.groups.replaceChildren(
      ...[...byGroup].map(([group, groupRows]) =>
        element('section', { className: `hp-group${groupRows.some((r) => r.changed) ? ' has-changes' : ''}` }, [
          element('h3', { className: 'subsection-title', text: group }),
          element('table', { className: 'hp-table' }, [element('tbody', {}, groupRows.map((row) => this.renderRow(row)))]),
        ]),
      ),
      element('p', { className: 'hp-none-changed muted', text: 'Every value is the default.' }),
    );
  }

  private renderRow(row: Row): HTMLTableRowElement {
    const valueCell = element('td', { className: 'hp-value' }, [element('span', { className: 'hp-current', text: formatConfigValue(row.value) })]);
    if (row.changed && row.spec) {
      valueCell.append(element('span', { className: 'hp-default', text: `default ${formatConfigValue(row.spec.default)}` }));
    }
    const nameCell = element('th', { attributes: { scope: 'row' } }, [element('code', { className: 'hp-key', text: row.key })]);
    if (row.spec) {
      const description = plainText(row.spec.description);
      nameCell.append(element('span', { className: 'hp-description', text: description, title: description }));
    }
    const tableRow = element('tr', { className: row.changed ? 'changed' : '' }, [nameCell, valueCell]);
    if (row.changed) tableRow.dataset.changed = 'true';
    return tableRow;
  }
}
