/**
 * How runs and checkpoints are named in the Runs view, the quick picks and the status bar: the
 * same words everywhere, so a run picked in a list is recognisable in the tree.
 */

import { describeCheckpoint, describeCheckpointEvaluation } from '../shared/checkpointScore';
import type { CheckpointManifest } from '../shared/protocol';
import { environmentOf, isEnvironmentId } from '../shared/environments';

export function formatReturn(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(1).replace('-', '−');
}

/**
 * The environment's title; runs written before environments were a choice are Pendulum-v1. An id
 * this version does not know (a newer build's, a workspace environment's) is shown as it is
 * rather than passed off as Pendulum.
 */
export function environmentTitle(config: { environment?: unknown } | null | undefined): string {
  const id = config?.environment;
  if (id === undefined || id === null || isEnvironmentId(id)) return environmentOf(config).title;
  return typeof id === 'string' ? id : JSON.stringify(id);
}

/** Runs written before algorithms were a choice are DDPG. */
export function algorithmTitle(config: { algorithm?: unknown } | null | undefined): string {
  const id = config?.algorithm;
  return (typeof id === 'string' && id !== '' ? id : 'ddpg').toUpperCase();
}

/**
 * Environment, episode and best evaluation. The state is the icon's job (and the tooltip's): the
 * side bar is narrow. The environment comes first because it is what tells runs apart at a glance.
 */
export function runDescription(environment: string | undefined, episode: number, totalEpisodes: number | null, bestEval: number | null): string {
  const parts: string[] = environment ? [environment] : [];
  parts.push(totalEpisodes ? `ep ${episode}/${totalEpisodes}` : `ep ${episode}`);
  if (bestEval !== null) parts.push(`best ${formatReturn(bestEval)}`);
  return parts.join(' · ');
}

/**
 * The kind, then the evaluation it is judged by ("best · eval −141.2 ± 3.0 @ 20,000"): the label
 * is what a narrow side bar keeps, so what tells checkpoints apart comes first.
 */
export function checkpointLabel(manifest: CheckpointManifest): string {
  return describeCheckpoint(manifest);
}

/** Where in the run it was saved. */
export function checkpointDescription(manifest: CheckpointManifest): string {
  return `ep ${manifest.episode} · step ${manifest.step.toLocaleString('en-US')}`;
}

/** Its folder name with its label, for confirmations: "ep0025-step5000 (periodic · eval −160.4 @ 5,000)". */
export function checkpointTitle(manifest: CheckpointManifest): string {
  return `${manifest.name} (${checkpointLabel(manifest)})`;
}

const escapeMarkdown = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);

/** The manifest as a small markdown table (the checkpoint's tooltip). */
export function manifestMarkdown(manifest: CheckpointManifest, dir: string): string {
  const rows: Array<[string, string]> = [
    ['Run', manifest.runId],
    ['Algorithm', algorithmTitle(manifest.config)],
    ['Environment', environmentTitle(manifest.config)],
    ['Episode', String(manifest.episode)],
    ['Step', manifest.step.toLocaleString('en-US')],
    ['Kind', manifest.reason],
    ['Evaluation', describeCheckpointEvaluation(manifest)],
    ['Recent training return (last 10)', formatReturn(manifest.recentReturn)],
    ["Run's best evaluation when saved", formatReturn(manifest.bestEval)],
    ['Created', manifest.created],
    ['Engine', manifest.engine ? `${manifest.engine.engine} (${manifest.engine.backend})` : '–'],
    ['Replay buffer', manifest.hasReplayBuffer ? 'saved' : 'not saved'],
    ['Config hash', manifest.configHash],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${escapeMarkdown(v)} |`)].join('\n');
  const config = manifest.config
    ? '\n\n' + Object.entries(manifest.config).map(([k, v]) => `\`${k}\` = ${escapeMarkdown(JSON.stringify(v))}`).join(' · ')
    : '';
  return `**Checkpoint ${escapeMarkdown(manifest.name)}**\n\n${table}${config}\n\n${escapeMarkdown(dir)}`;
}
