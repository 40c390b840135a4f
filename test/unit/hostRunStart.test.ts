/**
 * Starting a run from the commands, on the fake vscode API: an empty ddpg.seed draws a fresh seed
 * per run; a run identical to one training asks first; a tau above 0.5 asks "Use 1 − τ" (written to
 * the setting) or "Keep"; the settings' warnings come as one message; Edit Hyperparameters opens
 * the offending setting; Save Checkpoint says so once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import type { HostToTrainer } from '../../src/shared/protocol';
import { COMMAND_IDS, DdpgCommands, type CommandDependencies } from '../../src/extension/commands';
import { identicalRun, keepTauButton, START_ANOTHER, useMixingButton } from '../../src/extension/runStartChecks';
import { fakeVscode, type ShownMessage } from '../helpers/fakeVscode';
import { fakeRunManager, runInfoFixture } from '../helpers/hostFakes';

function setup(settings: Record<string, unknown> = {}, answer: (shown: ShownMessage) => string | undefined = () => undefined) {
  const fake = fakeVscode({ settings: Object.fromEntries(Object.entries(settings).map(([k, v]) => [`ddpg.${k}`, v])) });
  fake.answer = answer;
  const { manager, trainers } = fakeRunManager();
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-run-start-'));
  const dashboard = {
    currentTarget: undefined,
    visibleRunId: undefined as string | undefined,
    /** The run a visible panel shows live. */
    liveRunId: undefined as string | undefined,
    isShowingLive(runId: string) {
      return this.liveRunId === runId;
    },
    open: () => ({ currentEvaluation: undefined }),
  };
  const deps: CommandDependencies = {
    extensionId: 'ddpg-lab.ddpg-lab',
    runManager: manager,
    dashboard,
    comparison: { open: () => undefined },
    tree: { refresh: () => undefined, scheduleRefresh: () => undefined },
    runsDirectory: () => runsDir,
    mainLog: { info() {}, error() {} },
  };
  const commands = new DdpgCommands(fake.api, deps);
  const started = () => trainers.map((t) => t.sent.find((c): c is Extract<HostToTrainer, { type: 'start' }> => c.type === 'start')!.config);
  return { fake, commands, manager, trainers, dashboard, started };
}

const TINY = { episodes: 3 };

test('an empty ddpg.seed gives every run a fresh seed; a fixed one repeats, and a second identical run asks first', async () => {
  const { fake, started } = setup({ ...TINY, seed: null });
  await fake.run(COMMAND_IDS.train);
  await fake.run(COMMAND_IDS.train);
  const [a, b] = started();
  assert.notEqual(a.seed, b.seed, 'two default runs differ (1 in 2^31 to fail)');
  assert.deepEqual(fake.messages, [], 'no question: they are not identical');

  let asked: ShownMessage | undefined;
  const fixed = setup({ ...TINY, seed: 7 }, (shown) => ((asked = shown), undefined));
  await fixed.fake.run(COMMAND_IDS.train);
  assert.equal(await fixed.fake.run(COMMAND_IDS.train), undefined, 'dismissed: nothing starts');
  assert.equal(fixed.trainers.length, 1);
  assert.equal(asked?.message, 'An identical run is already training: start another?');
  assert.match(asked?.detail ?? '', /seed 7 included/);
  assert.match(asked?.detail ?? '', /Leave ddpg\.seed empty/);
  fixed.fake.answer = () => START_ANOTHER;
  assert.equal(typeof (await fixed.fake.run(COMMAND_IDS.train)), 'string');
  assert.equal(fixed.trainers.length, 2, 'asked, and started');
});

test('identical means the same settings, seed included, from the same starting point', () => {
  const config = { ...runInfoFixture({ id: 'a', status: 'running' }).config, seed: 3 };
  const running = [{ runId: 'a', info: { config } }];
  assert.equal(identicalRun(running, { ...config })?.runId, 'a');
  assert.equal(identicalRun(running, { ...config, seed: 4 }), undefined);
  assert.equal(identicalRun(running, { ...config }, '/runs/a/checkpoints/best'), undefined, 'a resumed run starts elsewhere');
  const resumed = [{ runId: 'b', info: { config, resumedFrom: { runId: 'a', checkpoint: '/runs/a/checkpoints/best', episode: 1, step: 200 } } }];
  assert.equal(identicalRun(resumed, config, '/runs/a/checkpoints/best/')?.runId, 'b');
});

test('a tau above 0.5 asks before the run starts: Use 1 − τ writes the setting, Keep keeps it, dismissing starts nothing', async () => {
  const use = setup({ ...TINY, tau: 0.995 }, (shown) => (shown.items.includes(useMixingButton(0.005)) ? useMixingButton(0.005) : undefined));
  await use.fake.run(COMMAND_IDS.train);
  const question = use.fake.messages[0];
  assert.equal(question.severity, 'warning');
  assert.deepEqual(question.items, ['Use 1 − τ = 0.005', 'Keep 0.995']);
  assert.match(question.detail ?? '', /^ddpg\.tau is 0\.995: here .* is the mixing fraction .* use 0\.005\.\n/);
  assert.deepEqual(use.fake.updates, [{ key: 'ddpg.tau', value: 0.005, target: use.fake.api.ConfigurationTarget.Global }]);
  assert.equal(use.started()[0].tau, 0.005);
  assert.equal(use.fake.messages.length, 1, 'one message: the question');

  const keep = setup({ ...TINY, tau: 0.995 }, () => keepTauButton(0.995));
  await keep.fake.run(COMMAND_IDS.train);
  assert.equal(keep.started()[0].tau, 0.995);
  assert.deepEqual(keep.fake.updates, []);

  const dismissed = setup({ ...TINY, tau: 0.995 });
  assert.equal(await dismissed.fake.run(COMMAND_IDS.train), undefined);
  assert.equal(dismissed.trainers.length, 0);
});

test('the settings’ warnings come as one message, mistyped keys with the nearest name', async () => {
  const { fake, started } = setup({ ...TINY, batchsize: 64, warmupSteps: 10, noiseStd: null });
  await fake.run(COMMAND_IDS.train);
  assert.equal(started().length, 1, 'warnings do not block');
  const warnings = fake.messages.filter((m) => m.severity === 'warning');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0].message, /^DDPG: 3 settings need a look: /);
  assert.match(warnings[0].message, /ddpg\.batchsize is not a DDPG Lab setting and is ignored: did you mean ddpg\.batchSize\?/);
  assert.match(warnings[0].message, /ddpg\.noiseStd is null; using the default 0\.1/);
});

test('Edit Hyperparameters on an invalid setting opens the Settings editor on that setting', async () => {
  const { fake, trainers } = setup({ ...TINY, batchSize: 0 }, (shown) => (shown.items.includes('Edit Hyperparameters') ? 'Edit Hyperparameters' : undefined));
  assert.equal(await fake.run(COMMAND_IDS.train), undefined);
  assert.equal(trainers.length, 0);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(fake.executed.filter((c) => c.command === 'workbench.action.openSettings').map((c) => c.args), [['@id:ddpg.batchSize']]);
  await fake.run(COMMAND_IDS.editHyperparameters);
  assert.deepEqual(fake.executed.at(-1)?.args, ['@ext:ddpg-lab.ddpg-lab'], 'from the palette: all of them');
});

test('Save Checkpoint from the palette: one message, and none over the dashboard that shows the run (its own toast says it)', async () => {
  const { fake, trainers, dashboard, started } = setup({ ...TINY, seed: 1 });
  const runId = (await fake.run(COMMAND_IDS.train)) as string;
  const trainer = trainers[0];
  const info = runInfoFixture({ id: runId, status: 'running', config: started()[0] });
  trainer.emit({ type: 'started', engine: { engine: 'wasm', backend: 'simd' }, run: info });
  trainer.emit({ type: 'status', status: { state: 'running', episode: 1, totalEpisodes: 3, step: 200, totalSteps: null, stepsPerSecond: 1, elapsedSeconds: 1, latestEval: null, bestEval: null } });
  const save = async () => {
    const saving = fake.run(COMMAND_IDS.saveCheckpoint);
    await new Promise((resolve) => setImmediate(resolve));
    const request = trainer.sent.filter((c) => c.type === 'checkpoint').at(-1)!;
    const requestId = request.type === 'checkpoint' ? request.requestId : -1;
    trainer.emit({ type: 'checkpoint', dir: `/runs/${runId}/checkpoints/manual-${requestId}`, manifest: { name: `manual-${requestId}`, reason: 'manual', step: 200, episode: 1, created: '2025-01-01T00:00:00Z' } as never, requestId });
    return saving;
  };
  await save();
  assert.deepEqual(fake.messages.map((m) => m.message), [`DDPG: saved checkpoint manual-1 of ${runId}.`]);
  dashboard.visibleRunId = runId;
  await save();
  assert.equal(fake.messages.length, 2, 'a panel on one of its checkpoints shows no toast for the run: the notification says it');
  dashboard.liveRunId = runId;
  await save();
  assert.equal(fake.messages.length, 2, 'the dashboard showing the run live says it alone');
});
