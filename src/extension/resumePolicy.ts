/**
 * Whether a checkpoint may be resumed with the current settings, and what to tell the user either
 * way. Which settings a checkpoint fixes is the shared rule (the trainer and the CLI apply the
 * same one); the extension applies it before starting anything, so the user reads why instead of
 * watching a trainer crash on, say, a replay buffer of another size.
 */

import type { CheckpointManifest } from '../shared/protocol';
import { appliesTo, CONFIG_KEYS, type RunConfig } from '../shared/config';
import { checkResumeCompatibility } from '../shared/resumeCompatibility';
import { settingName, withSettingNames } from './settings';

export type ResumeCheckpoint = Pick<CheckpointManifest, 'config' | 'formatVersion' | 'hasReplayBuffer' | 'episode' | 'step'>;

export type ResumeDecision =
  | { ok: true; /** Settings that differ from the checkpoint's and take effect from here on. */ changed: string[] }
  | { ok: false; reasons: string[] };

export function decideResume(requested: RunConfig, checkpoint: ResumeCheckpoint): ResumeDecision {
  const { config, hasReplayBuffer, formatVersion } = checkpoint;
  const compatibility = checkResumeCompatibility({ config, hasReplayBuffer, formatVersion }, requested);
  // The shared rule speaks of config keys; the user changes settings.
  const reasons = compatibility.ok ? [] : compatibility.reasons.map(withSettingNames);
  const limit = limitAlreadyReached(requested, checkpoint);
  if (limit) reasons.push(limit);
  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, changed: changedSettings(requested, checkpoint.config) };
}

/** A resumed run continues the counters, so a limit already reached would end it at once. */
export function limitAlreadyReached(config: RunConfig, checkpoint: Pick<CheckpointManifest, 'episode' | 'step'>): string | undefined {
  if (config.episodes > 0 && config.episodes <= checkpoint.episode) {
    return `${settingName('episodes')} is ${config.episodes} but the checkpoint is already at episode ${checkpoint.episode}: raise it to continue training`;
  }
  if (config.totalSteps > 0 && config.totalSteps <= checkpoint.step) {
    return `${settingName('totalSteps')} is ${config.totalSteps} but the checkpoint is already at step ${checkpoint.step}: raise it to continue training`;
  }
  return undefined;
}

/**
 * Settings that differ from the checkpoint's configuration, for the "continuing with" notice.
 * One that has no effect on this run (another environment's option) is not worth a word.
 */
export function changedSettings(config: RunConfig, checkpointConfig: RunConfig): string[] {
  return CONFIG_KEYS.filter((k) => appliesTo(k, config) && JSON.stringify(config[k]) !== JSON.stringify(checkpointConfig[k])).map(
    (k) => `${settingName(k)} ${JSON.stringify(checkpointConfig[k])} → ${JSON.stringify(config[k])}`,
  );
}

export function cannotResumeMessage(checkpointName: string, runId: string, reasons: readonly string[]): string {
  return `DDPG: cannot resume from checkpoint ${checkpointName} of ${runId}: ${reasons.map(withoutFinalStop).join('; ')}.`;
}

/** Undefined when nothing changed: continuing as saved needs no notice. */
export function continuingMessage(runId: string, episode: number, changed: readonly string[]): string | undefined {
  if (changed.length === 0) return undefined;
  return `DDPG: continuing ${runId} from episode ${episode} with the current settings; changed since the checkpoint: ${changed.join(', ')}.`;
}

/** The reasons are joined into one sentence: a reason written as a sentence must not end it twice. */
function withoutFinalStop(reason: string): string {
  return reason.replace(/\.\s*$/, '');
}
