// The layering check (.dependency-cruiser.cjs, run by `npm run lint`) fails when an import crosses a
// line: small fixture trees in a temporary directory, cruised with the real configuration.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';

const repo = path.resolve(__dirname, '..', '..');
const config = path.join(repo, '.dependency-cruiser.cjs');
const depcruise = path.join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation { from: string; to: string; rule: string }

/** Runs the real configuration on `folders` under `cwd`; the violations, sorted. */
function cruise(cwd: string, folders: string[]): Violation[] {
  const result = spawnSync(process.execPath, [depcruise, '--config', config, '--output-type', 'json', ...folders], { cwd, encoding: 'utf8' });
  assert.ok(result.stdout, `depcruise printed nothing (exit ${result.status}): ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
  return report.summary.violations
    .map((v) => ({ from: v.from, to: v.to, rule: v.rule.name }))
    .sort((a, b) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`));
}

/** A temporary project: a tsconfig.json like the real one, and `files` (path → source). */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-layering-'));
  const all = { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }), ...files };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function withFixture(files: Record<string, string>, run: (dir: string) => void): void {
  const dir = fixture(files);
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const FOLDERS = ['src', 'webview', 'bench', 'test'];

/** Every import here is allowed. */
const CLEAN: Record<string, string> = {
  'src/shared/config.ts': "export const config = { seed: 1 };\n",
  'src/shared/protocol.ts': "import { config } from './config';\nexport type Seed = typeof config.seed;\n",
  'src/shared/node/runDirectory.ts': "import { readFileSync } from 'node:fs';\nimport { config } from '../config';\nexport const read = (p: string) => readFileSync(p, 'utf8') + config.seed;\n",
  'src/agent/env/pendulum.ts': "import { config } from '../../shared/config';\nexport const pendulum = config.seed;\n",
  'src/agent/env/mujoco/ant.ts': "export const ant = 2;\n",
  'src/agent/env/index.ts': "import { pendulum } from './pendulum';\nimport { ant } from './mujoco/ant';\nexport const makeEnv = () => pendulum + ant;\n",
  'src/agent/trainer.ts': "import { cpus } from 'node:os';\nimport { makeEnv } from './env';\nimport type { Seed } from '../shared/protocol';\nimport { read } from '../shared/node/runDirectory';\nexport const train = (s: Seed) => makeEnv() + s + cpus().length + read('x').length;\n",
  'src/extension/extension.ts': "import * as vscode from 'vscode';\nimport { spawn } from 'node:child_process';\nimport { read } from '../shared/node/runDirectory';\nimport type { Seed } from '../shared/protocol';\nexport const activate = (s: Seed) => [vscode, spawn, read, s];\n",
  'webview/main.ts': "import { Chart } from 'chart.js';\nimport { config } from '../src/shared/config';\nimport { draw } from './draw';\nexport const main = () => [Chart, config, draw];\n",
  'webview/draw.ts': "export const draw = () => 0;\n",
  'bench/bench.ts': "import { makeEnv } from '../src/agent/env';\nimport { train } from '../src/agent/trainer';\nexport const bench = () => makeEnv() + train(1);\n",
  // Tests may import a particular environment (and anything else).
  'test/unit/pendulum.test.ts': "import { pendulum } from '../../src/agent/env/pendulum';\nimport { activate } from '../../src/extension/extension';\nexport const t = [pendulum, activate];\n",
};

test('a clean layout passes the layering check', () => {
  withFixture(CLEAN, (dir) => assert.deepEqual(cruise(dir, FOLDERS), []));
});

test('each import that crosses a line is reported as a violation of its rule', () => {
  const crossing: Record<string, string> = {
    ...CLEAN,
    // src/shared imports nothing outside src/shared (type-only imports count too) …
    'src/shared/x.ts': "import type { Y } from '../agent/y';\nexport type X = Y;\n",
    'src/shared/host.ts': "import * as vscode from 'vscode';\nexport const v = vscode;\n",
    // … no Node built-ins outside src/shared/node/, and no cycles.
    'src/shared/files.ts': "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
    'src/shared/cycleA.ts': "import { b } from './cycleB';\nexport const a = () => b;\n",
    'src/shared/cycleB.ts': "import { a } from './cycleA';\nexport const b = () => a;\n",
    'src/shared/node/outside.ts': "import { train } from '../../agent/trainer';\nexport const o = train;\n",
    'src/agent/y.ts': "export type Y = number;\n",
    // The agent never imports the host, the webview or vscode.
    'src/agent/host.ts': "import { activate } from '../extension/extension';\nexport const h = activate;\n",
    'src/agent/vs.ts': "import * as vscode from 'vscode';\nexport const v = vscode;\n",
    'src/agent/draws.ts': "import { draw } from '../../webview/draw';\nexport const d = draw;\n",
    // The host never imports the agent nor the webview.
    'src/extension/c.ts': "import { d } from '../agent/d';\nexport const c = d;\n",
    'src/agent/d.ts': "export const d = 1;\n",
    'src/extension/page.ts': "import { draw } from '../../webview/draw';\nexport const p = draw;\n",
    // The webview: not src/shared/node, no Node built-ins, no vscode, no agent, no host.
    'webview/a.ts': "import { read } from '../src/shared/node/runDirectory';\nexport const a = read;\n",
    'webview/path.ts': "import * as path from 'node:path';\nexport const p = path;\n",
    'webview/vs.ts': "import * as vscode from 'vscode';\nexport const v = vscode;\n",
    'webview/agent.ts': "import { d } from '../src/agent/d';\nexport const a = d;\n",
    // Product code does not import tests.
    'src/agent/usesTest.ts': "import { t } from '../../test/unit/pendulum.test';\nexport const u = t;\n",
    // Only src/agent/env/ names a particular environment.
    'src/agent/evaluation.ts': "import { pendulum } from './env/pendulum';\nexport const e = pendulum;\n",
    'bench/ant.ts': "import { ant } from '../src/agent/env/mujoco/ant';\nexport const b = ant;\n",
  };
  withFixture(crossing, (dir) => {
    const expected: Violation[] = [
      { from: 'src/agent/draws.ts', to: 'webview/draw.ts', rule: 'agent-only-shared-and-agent' },
      { from: 'src/agent/host.ts', to: 'src/extension/extension.ts', rule: 'agent-only-shared-and-agent' },
      { from: 'src/agent/vs.ts', to: 'vscode', rule: 'agent-only-shared-and-agent' },
      { from: 'src/extension/c.ts', to: 'src/agent/d.ts', rule: 'extension-no-agent' },
      { from: 'src/extension/page.ts', to: 'webview/draw.ts', rule: 'extension-no-webview' },
      { from: 'src/agent/usesTest.ts', to: 'test/unit/pendulum.test.ts', rule: 'no-test-code-in-product' },
      { from: 'bench/ant.ts', to: 'src/agent/env/mujoco/ant.ts', rule: 'no-particular-environment' },
      { from: 'src/agent/evaluation.ts', to: 'src/agent/env/pendulum.ts', rule: 'no-particular-environment' },
      { from: 'src/shared/files.ts', to: 'fs', rule: 'shared-no-node-builtins' },
      { from: 'src/shared/host.ts', to: 'vscode', rule: 'shared-only-shared' },
      { from: 'src/shared/node/outside.ts', to: 'src/agent/trainer.ts', rule: 'shared-only-shared' },
      { from: 'src/shared/x.ts', to: 'src/agent/y.ts', rule: 'shared-only-shared' },
      { from: 'webview/a.ts', to: 'src/shared/node/runDirectory.ts', rule: 'webview-no-shared-node' },
      { from: 'webview/path.ts', to: 'path', rule: 'webview-no-node-builtins' },
      { from: 'webview/agent.ts', to: 'src/agent/d.ts', rule: 'webview-only-shared-and-webview' },
      { from: 'webview/vs.ts', to: 'vscode', rule: 'webview-only-shared-and-webview' },
    ];
    const byKey = (v: Violation) => `${v.rule} ${v.from} ${v.to}`;
    const actual = cruise(dir, FOLDERS);
    // A cycle is reported at the edge(s) where the cruise closes it, which depends on the walk order.
    const cycle = actual.filter((v) => v.rule === 'shared-no-circular');
    const cycleFiles = ['src/shared/cycleA.ts', 'src/shared/cycleB.ts'];
    assert.ok(cycle.length > 0 && cycle.every((v) => cycleFiles.includes(v.from) && cycleFiles.includes(v.to)), JSON.stringify(cycle));
    assert.deepEqual(actual.filter((v) => v.rule !== 'shared-no-circular').map(byKey), expected.map(byKey).sort((a, b) => a.localeCompare(b)));
  });
});

test('the real tree keeps every layering rule', () => {
  assert.deepEqual(cruise(repo, ['src', 'webview', 'bench']), []);
});

test('npm run lint runs the layering check, and npm test runs the lint', () => {
  const { scripts } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(scripts.lint, /depcruise src webview bench --config \.dependency-cruiser\.cjs/);
  assert.match(scripts.test, /^npm run check-types && npm run lint && /);
});
