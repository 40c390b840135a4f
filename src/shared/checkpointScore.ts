/**
 * A checkpoint in words, the same in the Runs view, the quick picks and the dashboard: its kind
 * first (the part that must survive a narrow side bar), then the deterministic evaluation it is
 * judged by — "best · eval −141.2 ± 3.0 @ 20,000", "periodic · eval −160.4 @ 18,000",
 * "final · not evaluated". A training return is never shown as the score: a best checkpoint read
 * "return −276.8" next to periodic ones at −140.2 (issue #10). Beside an "Evaluation" label (the
 * dashboard's banner, the Runs view's hover) the value says it without the word again.
 */

import type { CheckpointEvaluation, CheckpointManifest } from './protocol';

type ScoredManifest = Pick<CheckpointManifest, 'reason' | 'step' | 'bestEval'> & { evaluation?: unknown };

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The manifest's evaluation when it is one (the dashboard gets manifests from another process). */
export function checkpointEvaluationOf(manifest: { evaluation?: unknown }): CheckpointEvaluation | null {
  const e = manifest.evaluation as Record<string, unknown> | null | undefined;
  if (typeof e !== 'object' || e === null) return null;
  return isFiniteNumber(e.mean) && isFiniteNumber(e.std) && isFiniteNumber(e.step) && isFiniteNumber(e.episode)
    ? { mean: e.mean, std: e.std, step: e.step, episode: e.episode }
    : null;
}

/** −141.2: one decimal, a real minus sign. */
export function formatScore(value: number): string {
  return value.toFixed(1).replace('-', '−');
}

const formatStep = (step: number) => Math.round(step).toLocaleString('en-US');

/** ± 3.0: a spread has no sign. */
const formatSpread = (std: number) => formatScore(Math.abs(std));

/**
 * The score part. An evaluation at the checkpoint's own step scored this very policy (± its std);
 * an earlier one is the latest the run had when it was saved, and its step (before the
 * checkpoint's own) says so. No "(latest)" mark: every checkpoint saved between two evaluations
 * has the same latest one, so several rows of a run read "(latest)" and it looked like the
 * newest checkpoint's. A manifest written before checkpoints recorded their evaluation has none
 * to show, except a best one: the run's best when it was saved is the evaluation that made it best.
 */
export function describeCheckpointScore(manifest: ScoredManifest): string {
  const evaluation = checkpointEvaluationOf(manifest);
  if (evaluation) {
    if (evaluation.step === manifest.step) return `eval ${formatScore(evaluation.mean)} ± ${formatSpread(evaluation.std)} @ ${formatStep(evaluation.step)}`;
    return `eval ${formatScore(evaluation.mean)} @ ${formatStep(evaluation.step)}`;
  }
  if (manifest.evaluation === null) return 'not evaluated';
  if (manifest.reason === 'best' && isFiniteNumber(manifest.bestEval)) return `eval ${formatScore(manifest.bestEval)}`;
  return 'eval not recorded';
}

/** Kind first, then the score. */
export function describeCheckpoint(manifest: ScoredManifest): string {
  return `${manifest.reason} · ${describeCheckpointScore(manifest)}`;
}

/**
 * The value of an "Evaluation" row: the score and whose it is, in full ("−141.2 ± 3.0 at step
 * 20,000 (this policy)"). The label says "evaluation" already.
 */
export function describeCheckpointEvaluation(manifest: ScoredManifest): string {
  const evaluation = checkpointEvaluationOf(manifest);
  if (evaluation) {
    const score = `${formatScore(evaluation.mean)} ± ${formatSpread(evaluation.std)} at step ${formatStep(evaluation.step)}`;
    if (manifest.reason === 'best') return `${score} (the one that made it the best)`;
    return evaluation.step === manifest.step ? `${score} (this policy)` : `${score} (the latest before this checkpoint)`;
  }
  if (manifest.evaluation === null) return 'none had run when it was saved';
  if (manifest.reason === 'best' && isFiniteNumber(manifest.bestEval)) return `${formatScore(manifest.bestEval)} (the run's best when it was saved)`;
  return 'not recorded (saved before checkpoints recorded their evaluation)';
}
