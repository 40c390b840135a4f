/**
 * The one rule for whether a checkpoint can be resumed with a configuration. The trainer refuses
 * with it, the CLI reports it, and the extension shows it before starting anything, so the three
 * cannot disagree.
 */

import type { RunConfig } from './config';

export type ResumeVerdict = { ok: true } | { ok: false; reasons: string[] };

const sameList = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * What must be equal to continue a checkpoint: the task (algorithm, environment) and everything
 * that fixes the shape of what was saved (network sizes, the replay buffer's capacity when the
 * buffer was saved). Learning rates, noise, schedules and the like may change.
 */
export function checkResumeCompatibility(
  saved: { config: RunConfig; hasReplayBuffer?: boolean; formatVersion?: number },
  requested: RunConfig,
): ResumeVerdict {
  const s = saved.config;
  const reasons: string[] = [];
  if (s.algorithm !== requested.algorithm) reasons.push(`the checkpoint was trained with ${String(s.algorithm)}, the settings ask for ${String(requested.algorithm)}`);
  if (s.environment !== requested.environment) reasons.push(`the checkpoint was trained on ${String(s.environment)}, the settings ask for ${String(requested.environment)}`);
  if (!sameList(s.actorHidden, requested.actorHidden)) reasons.push(`actorHidden is [${s.actorHidden.join(',')}] in the checkpoint and [${requested.actorHidden.join(',')}] in the settings`);
  if (!sameList(s.criticHidden, requested.criticHidden)) reasons.push(`criticHidden is [${s.criticHidden.join(',')}] in the checkpoint and [${requested.criticHidden.join(',')}] in the settings`);
  if (saved.hasReplayBuffer !== false && s.bufferSize !== requested.bufferSize) {
    reasons.push(`bufferSize is ${s.bufferSize} in the checkpoint (its saved replay buffer has that capacity) and ${requested.bufferSize} in the settings`);
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
