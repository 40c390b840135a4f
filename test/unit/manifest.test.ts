/**
 * package.json must agree with config.ts on every hyperparameter (so settings and validation can
 * never drift), and its contributions must hang together: every command in a menu exists, every
 * context key in a `when` clause is one the extension sets, the activation events cover the entry
 * points, and the packaging allowlist lets in only what the installed extension needs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_KEYS, CONFIG_SPEC, defaultConfig } from '../../src/shared/config';
import { configurationContribution, EXTENSION_ONLY_SETTINGS } from '../../src/extension/manifestSettings';
import { CONTEXT_KEYS } from '../../src/extension/contextKeys';
import { COMMAND_IDS } from '../../src/extension/commands';
import { DASHBOARD_VIEW_TYPE } from '../../src/extension/dashboardPanel';
import { RUNS_VIEW_ID } from '../../src/extension/checkpointTree';
import { TEST_COMMAND_ID } from '../../src/extension/extensionTestCommand';

const root = path.join(__dirname, '..', '..');
type Section = { title: string; order?: number; properties: Record<string, Record<string, unknown>> };
type MenuEntry = { command: string; when?: string; group?: string };
/** The parts of package.json these tests read. */
interface Manifest {
  main: string;
  icon: string;
  activationEvents: string[];
  extensionKind: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] }; virtualWorkspaces: boolean };
  contributes: {
    configuration: Section[];
    commands: Array<{ command: string; title: string; category: string; icon?: string }>;
    menus: Record<string, MenuEntry[]>;
    viewsContainers: { activitybar: Array<{ id: string; title: string; icon: string }> };
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsWelcome: Array<{ view: string; contents: string }>;
  };
}
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const sections: Section[] = pkg.contributes.configuration;
const properties: Record<string, Record<string, unknown>> = Object.fromEntries(sections.flatMap((s) => Object.entries(s.properties)));

test('every hyperparameter of config.ts is a ddpg.* setting, and nothing else is', () => {
  const declared = Object.keys(properties).filter((k) => !(k in EXTENSION_ONLY_SETTINGS)).sort();
  assert.deepEqual(declared, CONFIG_KEYS.map((k) => `ddpg.${k}`).sort());
});

for (const key of CONFIG_KEYS) {
  test(`ddpg.${key} matches config.ts (type, default, range, enum)`, () => {
    const spec = CONFIG_SPEC[key];
    const prop = properties[`ddpg.${key}`];
    assert.ok(prop, `ddpg.${key} is declared`);
    const fresh = (spec.type === 'number' || spec.type === 'integer') && spec.freshWhenEmpty === true;
    // Empty (null) by default: each run draws its own value (ddpg.seed).
    assert.deepEqual(prop.default, fresh ? null : defaultConfig()[key], 'default');
    assert.equal(typeof prop.markdownDescription, 'string');
    assert.ok((prop.markdownDescription as string).startsWith(spec.description), 'description comes from config.ts');
    assert.equal(typeof prop.order, 'number', 'order');
    switch (spec.type) {
      case 'number':
      case 'integer':
        assert.deepEqual(prop.type, fresh ? [spec.type, 'null'] : spec.type);
        if (fresh) assert.match(prop.markdownDescription as string, /Empty/, 'the description says what empty means');
        assert.equal(prop.minimum, spec.minimum, 'minimum');
        assert.equal(prop.maximum, spec.maximum, 'maximum');
        assert.equal(prop.exclusiveMinimum, spec.exclusiveMinimum ? spec.minimum : undefined, 'exclusiveMinimum');
        assert.equal(prop.exclusiveMaximum, spec.exclusiveMaximum ? spec.maximum : undefined, 'exclusiveMaximum');
        if (spec.exclusiveMinimum || spec.exclusiveMaximum) {
          assert.match(prop.markdownDescription as string, /[Ee]xclusive/, 'the description says a bound is exclusive');
        }
        break;
      case 'integerArray': {
        assert.equal(prop.type, 'array');
        const items = prop.items as Record<string, unknown>;
        assert.equal(items.type, 'integer');
        assert.equal(items.minimum, spec.minimum);
        assert.equal(items.maximum, spec.maximum);
        assert.equal(prop.minItems, spec.minItems);
        assert.equal(prop.maxItems, spec.maxItems);
        break;
      }
      case 'enum':
        assert.equal(prop.type, 'string');
        assert.deepEqual(prop.enum, spec.enum);
        assert.deepEqual(prop.enumDescriptions, spec.enumDescriptions);
        break;
      case 'boolean':
        assert.equal(prop.type, 'boolean');
        break;
    }
  });
}

test('settings are grouped: one titled section per config group, in order, each key in its group', () => {
  for (const section of sections) {
    assert.equal(typeof section.title, 'string');
    assert.ok(section.title.length > 0);
  }
  for (const key of CONFIG_KEYS) {
    const section = sections.find((s) => `ddpg.${key}` in s.properties)!;
    assert.equal(section.title, CONFIG_SPEC[key].group, `ddpg.${key} sits in the ${CONFIG_SPEC[key].group} section`);
  }
  const orders = sections.map((s) => s.order);
  assert.deepEqual(orders, [...orders].sort((a, b) => a! - b!), 'sections are ordered');
});

test('package.json configuration is exactly what scripts/sync-settings.mjs generates', () => {
  assert.deepEqual(sections, JSON.parse(JSON.stringify(configurationContribution())));
});

test('ddpg.runsDirectory is a string, empty by default, restricted in untrusted workspaces', () => {
  const prop = properties['ddpg.runsDirectory'];
  assert.equal(prop.type, 'string');
  assert.equal(prop.default, '');
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['ddpg.runsDirectory']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.equal(pkg.capabilities.virtualWorkspaces, false);
  assert.deepEqual(pkg.extensionKind, ['workspace']);
});

test('the required commands exist with category DDPG and their titles', () => {
  const titles: Record<string, string> = {
    [COMMAND_IDS.train]: 'Train',
    [COMMAND_IDS.pause]: 'Pause',
    [COMMAND_IDS.resume]: 'Resume',
    [COMMAND_IDS.stop]: 'Stop',
    [COMMAND_IDS.saveCheckpoint]: 'Save Checkpoint',
    [COMMAND_IDS.openDashboard]: 'Open Dashboard',
    [COMMAND_IDS.evaluateCheckpoint]: 'Evaluate Checkpoint',
    [COMMAND_IDS.resumeFromCheckpoint]: 'Resume Training from Checkpoint',
    [COMMAND_IDS.deleteCheckpoint]: 'Delete Checkpoint',
    [COMMAND_IDS.revealCheckpoint]: 'Reveal Checkpoint',
    [COMMAND_IDS.editHyperparameters]: 'Edit Hyperparameters',
    [COMMAND_IDS.refresh]: 'Refresh',
  };
  const commands: Array<{ command: string; title: string; category: string }> = pkg.contributes.commands;
  for (const [id, title] of Object.entries(titles)) {
    const c = commands.find((x) => x.command === id);
    assert.ok(c, `${id} is contributed`);
    assert.equal(c.title, title);
    assert.equal(c.category, 'DDPG');
  }
  // Every command the code registers is contributed, and vice versa.
  const contributed = commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, [...Object.values(COMMAND_IDS), TEST_COMMAND_ID].sort());
});

test('the test-suite command is in the palette only when the test environment asks for it', () => {
  const c = pkg.contributes.commands.find((x) => x.command === TEST_COMMAND_ID)!;
  assert.equal(`${c.category}: ${c.title}`, 'DDPG Lab (test): Run Extension Test Suite');
  const palette = pkg.contributes.menus.commandPalette.find((m) => m.command === TEST_COMMAND_ID)!;
  assert.equal(palette.when, CONTEXT_KEYS.extensionTestsEnabled);
});

test('Pause, Resume, Stop and Save Checkpoint show in the palette only when they can act', () => {
  const palette: Array<{ command: string; when?: string }> = pkg.contributes.menus.commandPalette;
  const when = (id: string) => palette.find((m) => m.command === id)?.when;
  assert.equal(when(COMMAND_IDS.pause), CONTEXT_KEYS.canPause);
  assert.equal(when(COMMAND_IDS.resume), CONTEXT_KEYS.canResume);
  assert.equal(when(COMMAND_IDS.stop), CONTEXT_KEYS.canStop);
  assert.equal(when(COMMAND_IDS.saveCheckpoint), CONTEXT_KEYS.canSaveCheckpoint);
});

test('checkpoint commands appear in the Runs view only on checkpoint items', () => {
  const items = pkg.contributes.menus['view/item/context'];
  const checkpointCommands = [COMMAND_IDS.evaluateCheckpoint, COMMAND_IDS.resumeFromCheckpoint, COMMAND_IDS.deleteCheckpoint, COMMAND_IDS.revealCheckpoint, COMMAND_IDS.inspectCheckpoint];
  for (const id of checkpointCommands) {
    const entries = items.filter((m) => m.command === id);
    assert.ok(entries.length > 0, `${id} has a context menu entry`);
    for (const e of entries) assert.match(e.when ?? '', /viewItem (==|=~) \/?\^?ddpgCheckpoint/, `${id}: ${e.when}`);
  }
});

test('every menu entry names a contributed command and uses only context keys the extension sets', () => {
  const commandIds = new Set(pkg.contributes.commands.map((c) => c.command));
  const ourKeys = new Set<string>(Object.values(CONTEXT_KEYS));
  for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
    for (const entry of entries) {
      assert.ok(commandIds.has(entry.command), `${menu}: ${entry.command} is contributed`);
      for (const key of entry.when?.match(/\bddpg\.[A-Za-z]+\b/g) ?? []) assert.ok(ourKeys.has(key), `${menu}: ${key} is a context key the extension sets`);
    }
  }
});

test('an activity-bar container holds the Runs view, with a Train button when it is empty', () => {
  const container = pkg.contributes.viewsContainers.activitybar.find((c) => c.id === 'ddpgLab')!;
  assert.equal(container.title, 'DDPG');
  assert.ok(readFileSync(path.join(root, container.icon), 'utf8').includes('<svg'));
  const view = pkg.contributes.views.ddpgLab.find((v) => v.id === RUNS_VIEW_ID)!;
  assert.equal(view.name, 'Runs');
  const welcome = pkg.contributes.viewsWelcome.find((w) => w.view === RUNS_VIEW_ID)!;
  assert.match(welcome.contents, /\[Train\]\(command:ddpg\.train\)/);
});

test('activation events cover every command, the Runs view and the dashboard serializer', () => {
  const events: string[] = pkg.activationEvents;
  for (const c of pkg.contributes.commands) assert.ok(events.includes(`onCommand:${c.command}`), c.command);
  assert.ok(events.includes(`onView:${RUNS_VIEW_ID}`));
  assert.ok(events.includes(`onWebviewPanel:${DASHBOARD_VIEW_TYPE}`));
});

test('the marketplace icon is a PNG that exists', () => {
  const bytes = readFileSync(path.join(root, pkg.icon));
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('.vscodeignore is an allowlist: everything excluded, then only runtime files let in', () => {
  const lines = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(lines[0], '**/*', 'starts by excluding everything');
  // vsce includes a file matched by any negated pattern, whatever the order: so the allowlist
  // itself must not match the test bundle, the CLI, the benchmark or source maps.
  const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1)).sort();
  assert.deepEqual(
    allowed,
    [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/*.wasm',
      'dist/compare.js',
      'dist/extension.js',
      // MuJoCo and Gymnasium's models, loaded only by runs of a MuJoCo environment.
      'dist/mujoco/mujoco_wasm.mjs',
      'dist/mujoco/*.xml',
      'dist/mujoco/LICENSE-gymnasium-models',
      'dist/mujoco/MUJOCO-NOTICE',
      'dist/trainer.js',
      'dist/webview.js',
      // The dashboard's 3D renderer with three.js, loaded only for MuJoCo runs (webview/renderers/registry.ts).
      'dist/webview-mujoco.js',
      'media/compare.css',
      'media/dashboard.css',
      'media/icons/**',
      'package.json',
    ].sort(),
  );
  assert.equal(pkg.main, './dist/extension.js', 'the entry point is in the allowlist');
});
