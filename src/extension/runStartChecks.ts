/**
 * The questions asked before a run starts, each once and each with the fix one click away: a tau
 * in the other convention (the article this project started from writes "tau close to 1"), a run
 * identical to one already training, and the settings that need a look.
 */

import * as path from 'node:path';
import { configHash, type RunConfig } from '../shared/config';
import type { RunInfo } from '../shared/protocol';
import type { OtherConventionTau } from './settings';
import { SETTINGS_SECTION } from './settings';
import type { VSCode } from './vscodeApi';

export type StartChecksApi = Pick<VSCode, 'ConfigurationTarget'> & {
  window: Pick<VSCode['window'], 'showWarningMessage'>;
  workspace: Pick<VSCode['workspace'], 'getConfiguration'>;
  commands: Pick<VSCode['commands'], 'executeCommand'>;
};

export function useMixingButton(mixing: number): string {
  return `Use 1 − τ = ${mixing}`;
}

export function keepTauButton(tau: number): string {
  return `Keep ${tau}`;
}

/**
 * The tau to train with: 1 − τ (written to ddpg.tau where it is set, so the next run has it too)
 * or τ as it is; undefined when the question is dismissed, and nothing starts.
 */
export async function askAboutTau(api: StartChecksApi, question: OtherConventionTau): Promise<number | undefined> {
  const use = useMixingButton(question.mixing);
  const keep = keepTauButton(question.tau);
  const choice = await api.window.showWarningMessage(
    `DDPG: ddpg.tau is ${question.tau}, which reads like the other convention's τ.`,
    { modal: true, detail: `${question.message.replace(/\.?$/, '.')}\n\nA run that keeps it is marked with this warning in its run.json.` },
    use,
    keep,
  );
  if (choice === keep) return question.tau;
  if (choice !== use) return undefined;
  const configuration = api.workspace.getConfiguration(SETTINGS_SECTION);
  // Written where the user set it: a workspace value would otherwise go on overriding a user one.
  const workspaceValue = configuration.inspect<number>('tau')?.workspaceValue;
  const target = workspaceValue !== undefined ? api.ConfigurationTarget.Workspace : api.ConfigurationTarget.Global;
  await configuration.update('tau', question.mixing, target);
  return question.mixing;
}

/** What is known of a run already training, to tell whether a new one would repeat it. */
export interface TrainingRun {
  runId: string;
  info: Pick<RunInfo, 'config' | 'resumedFrom'>;
}

/** A training run with the same settings (seed included) and the same starting point, if there is one. */
export function identicalRun(runs: readonly TrainingRun[], config: RunConfig, resumeFrom?: string): TrainingRun | undefined {
  const hash = configHash(config);
  const start = resumeFrom === undefined ? undefined : path.resolve(resumeFrom);
  return runs.find((run) => {
    const runStart = run.info.resumedFrom?.checkpoint === undefined ? undefined : path.resolve(run.info.resumedFrom.checkpoint);
    return runStart === start && configHash(run.info.config) === hash;
  });
}

export const START_ANOTHER = 'Start Another';

/** True when nothing identical trains, or the user wants a second one anyway. */
export async function confirmIdenticalRun(api: StartChecksApi, twin: TrainingRun | undefined): Promise<boolean> {
  if (!twin) return true;
  const choice = await api.window.showWarningMessage(
    'An identical run is already training: start another?',
    {
      modal: true,
      detail:
        `Run ${twin.runId} has the same settings, seed ${twin.info.config.seed} included: a second one would repeat it step for step. ` +
        'Leave ddpg.seed empty to give every run a fresh seed.',
    },
    START_ANOTHER,
  );
  return choice === START_ANOTHER;
}

/** The Settings editor on the settings that need attention (the first of them), else on all of DDPG Lab's. */
export async function openSettings(api: StartChecksApi, extensionId: string, settingIds: readonly string[] = []): Promise<void> {
  const query = settingIds.length > 0 ? `@id:${settingIds[0]}` : `@ext:${extensionId}`;
  await api.commands.executeCommand('workbench.action.openSettings', query);
}

/** All of a start's warnings in one notification: one message per action. */
export function showSettingsWarnings(api: StartChecksApi, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const text = warnings.length === 1 ? `DDPG: ${warnings[0]}.` : `DDPG: ${warnings.length} settings need a look: ${warnings.join('; ')}.`;
  void api.window.showWarningMessage(text);
}
