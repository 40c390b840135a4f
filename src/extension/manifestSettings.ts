/**
 * CONFIG_SPEC → package.json `contributes.configuration`: one titled section per group, every
 * hyperparameter as `ddpg.<key>` with its type, default, range, enum and description.
 * Used by scripts/sync-settings.mjs to write the manifest and by the manifest test to check it.
 */

import { CONFIG_KEYS, CONFIG_SPEC, describeAppliesTo, describeRange, type ConfigKey, type SettingSpec } from '../shared/config';

export const GROUP_ORDER: ReadonlyArray<SettingSpec['group']> = [
  'Task',
  'Network',
  'Optimisation',
  'Exploration',
  'Algorithm',
  'Schedule',
  'Environment',
  'Evaluation',
  'Checkpoints',
  'Runtime',
];

export interface ConfigurationSection {
  id: string;
  title: string;
  order: number;
  properties: Record<string, Record<string, unknown>>;
}

function exclusiveNote(spec: SettingSpec): string {
  if (spec.type !== 'number' && spec.type !== 'integer') return '';
  const notes: string[] = [];
  if (spec.exclusiveMinimum) notes.push(`greater than ${spec.minimum}`);
  if (spec.exclusiveMaximum) notes.push(`less than ${spec.maximum}`);
  return notes.length > 0 ? ` Exclusive bounds: it must be strictly ${notes.join(' and strictly ')}.` : '';
}

export function settingSchema(key: ConfigKey, order: number): Record<string, unknown> {
  const spec = CONFIG_SPEC[key];
  const where = describeAppliesTo(key);
  const markdownDescription = `${spec.description}${where ? ` ${where}` : ''}\n\nAllowed: ${describeRange(spec)}.${exclusiveNote(spec)}`;
  const common = { order, markdownDescription };
  switch (spec.type) {
    case 'number':
    case 'integer':
      return {
        // Nullable: the Settings editor then offers an empty box, and empty (null) means "fresh each run".
        type: spec.freshWhenEmpty ? [spec.type, 'null'] : spec.type,
        default: spec.freshWhenEmpty ? null : spec.default,
        minimum: spec.minimum,
        maximum: spec.maximum,
        // JSON Schema (draft 6+) numeric exclusive bounds: the Settings editor enforces them too.
        ...(spec.exclusiveMinimum ? { exclusiveMinimum: spec.minimum } : {}),
        ...(spec.exclusiveMaximum ? { exclusiveMaximum: spec.maximum } : {}),
        ...common,
      };
    case 'integerArray':
      return {
        type: 'array',
        default: [...spec.default],
        items: { type: 'integer', minimum: spec.minimum, maximum: spec.maximum },
        minItems: spec.minItems,
        maxItems: spec.maxItems,
        ...common,
      };
    case 'enum':
      return { type: 'string', default: spec.default, enum: [...spec.enum], enumDescriptions: [...spec.enumDescriptions], ...common };
    case 'boolean':
      return { type: 'boolean', default: spec.default, ...common };
  }
}

export const RUNS_DIRECTORY_SCHEMA = {
  type: 'string',
  default: '',
  order: 0,
  scope: 'machine-overridable',
  markdownDescription:
    'Folder for training runs (one sub-folder per run with `run.json`, `metrics.jsonl` and `checkpoints/`). ' +
    'Empty: `.ddpg/runs` in the first workspace folder, or the extension\'s global storage when no folder is open. ' +
    '`~` and `${workspaceFolder}` are expanded; a relative path starts at the first workspace folder. ' +
    'Ignored in untrusted workspaces.',
};

export const WHEN_WINDOW_CLOSES_SCHEMA = {
  type: 'string',
  default: 'keepTraining',
  enum: ['keepTraining', 'stopWithCheckpoint'],
  enumDescriptions: [
    'Training goes on without the window; reopening or reloading it (or any window on the same runs directory) attaches to the run again.',
    'Every run the window shows live stops with a final checkpoint when the window closes or reloads (runs started with the CLI in a terminal go on).',
  ],
  order: 1,
  markdownDescription:
    'What happens to training runs when the window closes or reloads. Where trainers cannot outlive the window ' +
    '(no local sockets where the workspace lives) they always stop with a final checkpoint, and the run is marked interrupted, ready to Resume.',
};

/** Settings of the extension itself, not of a run: not in CONFIG_SPEC, not RunConfig keys. */
export const EXTENSION_ONLY_SETTINGS: Readonly<Record<string, Record<string, unknown>>> = {
  'ddpg.runsDirectory': RUNS_DIRECTORY_SCHEMA,
  'ddpg.whenWindowCloses': WHEN_WINDOW_CLOSES_SCHEMA,
};

export function configurationContribution(): ConfigurationSection[] {
  const sections: ConfigurationSection[] = [
    { id: 'ddpg-runs', title: 'Runs', order: 0, properties: Object.fromEntries(Object.entries(EXTENSION_ONLY_SETTINGS).map(([key, schema]) => [key, { ...schema }])) },
  ];
  GROUP_ORDER.forEach((group, index) => {
    const keys = CONFIG_KEYS.filter((k) => CONFIG_SPEC[k].group === group);
    if (keys.length === 0) return;
    const properties: Record<string, Record<string, unknown>> = {};
    keys.forEach((key, i) => {
      properties[`ddpg.${key}`] = settingSchema(key, i + 1);
    });
    sections.push({ id: `ddpg-${group.toLowerCase()}`, title: group, order: index + 1, properties });
  });
  return sections;
}
