/**
 * A checkpoint in words, the same in the Runs view, the quick picks and the dashboard: its kind
 * first (the part that must survive a narrow side bar), then the deterministic evaluation it is
 * judged by — "best · eval −141.2 ± 3.0 @ 20,000", "periodic · eval −160.4 @ 18,000 (latest)",
 * "final · not evaluated". A training return is never shown as the score: a best checkpoint read
 * "return −276.8" next to periodic ones at −140.2 (issue #10).
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

/**
 * The score part. An evaluation at the checkpoint's own step scored this very policy (± its std);
 * an earlier one is the latest the run had, said so. A manifest written before checkpoints
 * recorded their evaluation has none to show, except a best one: the run's best when it was
 * saved is the evaluation that made it best.
 */
export function describeCheckpointScore(manifest: ScoredManifest): string {
  const evaluation = checkpointEvaluationOf(manifest);
  if (evaluation) {
    if (evaluation.step === manifest.step) return `eval ${formatScore(evaluation.mean)} ± ${formatScore(evaluation.std).replace('−', '')} @ ${formatStep(evaluation.step)}`;
    return `eval ${formatScore(evaluation.mean)} @ ${formatStep(evaluation.step)} (latest)`;
  }
  if (manifest.evaluation === null) return 'not evaluated';
  if (manifest.reason === 'best' && isFiniteNumber(manifest.bestEval)) return `eval ${formatScore(manifest.bestEval)}`;
  return 'eval not recorded';
}

/** Kind first, then the score. */
export function describeCheckpoint(manifest: ScoredManifest): string {
  return `${manifest.reason} · ${describeCheckpointScore(manifest)}`;
}

/** One sentence for tooltips: what the score is and where it comes from. */
export function explainCheckpointScore(manifest: ScoredManifest & Pick<CheckpointManifest, 'episode'>): string {
  const evaluation = checkpointEvaluationOf(manifest);
  if (evaluation) {
    const what = `${formatScore(evaluation.mean)} ± ${formatScore(evaluation.std).replace('−', '')}, deterministic evaluation at step ${formatStep(evaluation.step)} (episode ${evaluation.episode})`;
    if (manifest.reason === 'best') return `${what}: the evaluation that made it the best`;
    return evaluation.step === manifest.step ? `${what}: this checkpoint's policy` : `${what}: the latest before this checkpoint (step ${formatStep(manifest.step)})`;
  }
  if (manifest.evaluation === null) return 'No deterministic evaluation had run when it was saved';
  return 'Saved before checkpoints recorded their evaluation';
}
