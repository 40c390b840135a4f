/**
 * The settings of the compared runs side by side: by default only those that differ (the
 * experiment's variables), or every setting. Values that differ from the first run's are marked;
 * a setting that does not apply to a run (Pendulum's gravity on MountainCar) shows a dash there.
 */

import { effectiveSetting, settingApplies } from '../../src/shared/comparison';
import { CONFIG_KEYS, type ConfigKey } from '../../src/shared/config';
import type { ComparedRun } from '../../src/shared/protocol';
import { element, setText } from '../dom';
import { formatConfigValue } from '../format';

export class SettingsTable {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly note: HTMLElement;
  private readonly showAll: HTMLInputElement;

  constructor(showAll: boolean, onShowAll: (showAll: boolean) => void) {
    this.showAll = element('input', { testId: 'comparison-show-all-settings', attributes: { type: 'checkbox' } });
    this.showAll.checked = showAll;
    this.showAll.addEventListener('change', () => onShowAll(this.showAll.checked));
    this.note = element('p', { className: 'muted comparison-note' });
    this.table = element('table', { className: 'comparison-table settings-table', testId: 'comparison-settings-table' });
    this.element = element('section', { className: 'card comparison-settings' }, [
      element('div', { className: 'card-header' }, [
        element('h2', { className: 'card-title', text: 'Settings that differ' }),
        element('label', { className: 'control-label checkbox-label' }, [this.showAll, element('span', { text: 'Show all settings' })]),
      ]),
      this.note,
      element('div', { className: 'table-scroll' }, [this.table]),
    ]);
  }

  show(runs: readonly ComparedRun[], differing: readonly string[]): void {
    const all = this.showAll.checked;
    const title = this.element.querySelector('.card-title');
    if (title) setText(title, all ? 'Settings' : 'Settings that differ');
    const keys: ConfigKey[] = all ? [...CONFIG_KEYS] : CONFIG_KEYS.filter((key) => differing.includes(key));
    if (differing.length === 0) setText(this.note, runs.length < 2 ? '' : 'The runs use identical settings.');
    else if (differing.length === 1 && differing[0] === 'seed') setText(this.note, 'The runs differ only in seed.');
    else setText(this.note, `${differing.length} of ${CONFIG_KEYS.length} settings differ.`);
    const head = element('thead', {}, [
      element('tr', {}, [element('th', { text: 'Setting', attributes: { scope: 'col' } }), ...runs.map((r) => element('th', { text: r.run.name, title: r.run.name, attributes: { scope: 'col' } }))]),
    ]);
    const body = element(
      'tbody',
      {},
      keys.map((key) => {
        // Marked against the first run the setting applies to; a run it does not apply to shows a dash.
        const reference = runs.find((r) => settingApplies(r.run.config, key));
        const first = reference ? JSON.stringify(effectiveSetting(reference.run.config, key)) : undefined;
        const row = element('tr', { className: differing.includes(key) ? 'differs' : '' }, [
          element('th', { attributes: { scope: 'row' } }, [element('code', { className: 'hp-key', text: `ddpg.${key}` })]),
          ...runs.map((r) => {
            const config = r.run.config;
            if (!settingApplies(config, key)) return element('td', { className: 'numeric muted', text: '—', title: `does not apply to ${r.environment} with ${r.algorithm}` });
            const stored = (config as unknown as Record<string, unknown>)[key];
            const effective = effectiveSetting(config, key);
            // "0 (200)": the setting says "the environment's own", which is 200 for this run.
            const text = JSON.stringify(stored) === JSON.stringify(effective) ? formatConfigValue(effective) : `${formatConfigValue(stored)} (${formatConfigValue(effective)})`;
            return element('td', { className: JSON.stringify(effective) !== first ? 'numeric value-differs' : 'numeric', text });
          }),
        ]);
        row.dataset.key = key;
        return row;
      }),
    );
    this.table.replaceChildren(head, body);
    this.table.hidden = keys.length === 0;
  }
}
