/**
 * The one reducer of a run's trainer events into what the host and the pages show: its info,
 * status, episodes, evaluations and checkpoints. The host's run history and the dashboard's run
 * model are thin wrappers over it, so that they cannot disagree about what a stream of events means.
 *
 * Pure in the sense that matters here: no I/O, no clock, no Node, DOM or vscode; the same events
 * give the same state. It updates the state it is given in place rather than copying it: a long
 * run holds 100k episode rows, and copying them per event would make a run quadratic. The arrays
 * also keep their identity for the whole life of a state, because the dashboard's charts hold them.
 */

import type { MujocoScene } from './mujocoScene';
import type {
  CheckpointManifest,
  EpisodeRow,
  EvalRow,
  RunInfo,
  RunSnapshot,
  RunStatus,
  StatusSnapshot,
  TrainerToHost,
} from './protocol';

/**
 * A checkpoint of the run. The host knows its folder; the dashboard, which never touches the disk,
 * gets manifests only.
 */
export interface CheckpointRecord {
  dir?: string;
  manifest: CheckpointManifest;
}

export interface RunState {
  info: RunInfo;
  status: StatusSnapshot;
  /** Strictly increasing in episode, never decreasing in step. */
  readonly episodes: EpisodeRow[];
  /** Strictly increasing in step. */
  readonly evals: EvalRow[];
  /** One per checkpoint name, ordered by step, then name. */
  readonly checkpoints: CheckpointRecord[];
  /** Set once a stop was sent: status events still in flight must not flip the run back to 'running'. */
  stopRequested: boolean;
  /** A MuJoCo run's bodies and geoms (its trainer's `scene` event): what a page needs to draw its frames in 3D. */
  scene?: MujocoScene;
}

/** What an event (or a batch of them) changed, so that views redraw only what they show. */
export interface RunStateChange {
  /** The run's info was replaced (a trainer announced it). */
  info: boolean;
  /** The run's last error changed. */
  error: boolean;
  /** Some field of the status changed. */
  status: boolean;
  /** The state or the count of completed episodes changed: what a list of runs shows. */
  progress: boolean;
  episodes: boolean;
  evals: boolean;
  /** Checkpoints saved (new or replacing one of the same name), in the order they came. */
  checkpoints: CheckpointRecord[];
  /** Names of checkpoints that left the run (pruned by the trainer), in the order they went. */
  deletedCheckpoints: string[];
  /** The run's 3D scene arrived. */
  scene: boolean;
}

export function noChange(): RunStateChange {
  return { info: false, error: false, status: false, progress: false, episodes: false, evals: false, checkpoints: [], deletedCheckpoints: [], scene: false };
}

export function hasChanged(change: RunStateChange): boolean {
  return (
    change.info || change.error || change.status || change.progress || change.episodes || change.evals ||
    change.checkpoints.length > 0 || change.deletedCheckpoints.length > 0 || change.scene
  );
}

function mergeChange(into: RunStateChange, other: RunStateChange): RunStateChange {
  into.info ||= other.info;
  into.error ||= other.error;
  into.status ||= other.status;
  into.progress ||= other.progress;
  into.episodes ||= other.episodes;
  into.evals ||= other.evals;
  into.checkpoints.push(...other.checkpoints);
  into.deletedCheckpoints.push(...other.deletedCheckpoints);
  into.scene ||= other.scene;
  return into;
}

export const TERMINAL_STATES: readonly RunStatus[] = ['stopped', 'finished', 'crashed', 'interrupted'];

export function isTerminal(state: RunStatus): boolean {
  return TERMINAL_STATES.includes(state);
}

const maxOrNull = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

function bestMean(evals: readonly EvalRow[]): number | null {
  return evals.reduce<number | null>((best, e) => maxOrNull(best, e.mean), null);
}

/** A status for a run that has no live trainer, reconstructed from its rows. */
export function statusFromFiles(info: RunInfo, episodes: readonly EpisodeRow[], evals: readonly EvalRow[]): StatusSnapshot {
  const lastEpisode = episodes[episodes.length - 1];
  const lastEval = evals[evals.length - 1];
  return {
    state: info.status,
    episode: lastEpisode?.episode ?? 0,
    totalEpisodes: info.config.episodes > 0 ? info.config.episodes : null,
    step: Math.max(lastEpisode?.step ?? 0, lastEval?.step ?? 0),
    totalSteps: info.config.totalSteps > 0 ? info.config.totalSteps : null,
    stepsPerSecond: 0,
    elapsedSeconds: Math.max(lastEpisode?.wallTime ?? 0, lastEval?.wallTime ?? 0),
    latestEval: lastEval?.mean ?? null,
    bestEval: bestMean(evals),
  };
}

/**
 * A state from rows read back (a run folder) or received (a dashboard snapshot). The rows go
 * through the same rules as live events, so a history replayed from disk or a snapshot is the
 * state the live events built. Without a status one is reconstructed from the rows.
 */
export function runStateFromRows(
  info: RunInfo,
  rows: { episodes?: readonly EpisodeRow[]; evals?: readonly EvalRow[]; checkpoints?: readonly CheckpointRecord[] },
  status?: StatusSnapshot,
): RunState {
  const state: RunState = { info, status: status ?? statusFromFiles(info, [], []), episodes: [], evals: [], checkpoints: [], stopRequested: false };
  for (const row of rows.episodes ?? []) addEpisode(state, row);
  for (const row of rows.evals ?? []) addEval(state, row);
  // On disk two folders can carry one name (a copy made by hand): the newer save wins, as it would live.
  const byCreation = [...(rows.checkpoints ?? [])].sort((a, b) => a.manifest.created.localeCompare(b.manifest.created));
  for (const record of byCreation) saveCheckpoint(state, record);
  state.status = statusFromFiles(info, state.episodes, state.evals);
  if (status) state.status = mergeStatus(state, status);
  state.info = { ...info, status: state.status.state };
  return state;
}

export function runStateFromSnapshot(snapshot: RunSnapshot): RunState {
  const state = runStateFromRows(snapshot.run, { episodes: snapshot.episodes, evals: snapshot.evals, checkpoints: snapshot.checkpoints.map((manifest) => ({ manifest })) }, snapshot.status);
  if (snapshot.scene) state.scene = snapshot.scene;
  return state;
}

/** What the dashboard needs to draw the run from scratch (copies: the state goes on changing). */
export function runSnapshot(state: RunState, live: boolean): RunSnapshot {
  return {
    run: state.info,
    status: state.status,
    episodes: [...state.episodes],
    evals: [...state.evals],
    checkpoints: state.checkpoints.map((c) => c.manifest),
    live,
    ...(state.scene ? { scene: state.scene } : {}),
  };
}

/**
 * The state a status or an exit reports, given the one the run is in. A terminal state sticks:
 * the trainer is gone, and a status still in the pipe (IPC messages can be read after the exit)
 * must not bring the run back. Only the trainer's own last word (`exiting`) or the host's verdict
 * (`setLocalState`) may say which terminal state it is. A requested stop turns any state but a
 * terminal one into 'stopping'.
 */
function mergeState(state: RunState, incoming: RunStatus, source: 'status' | 'exiting'): RunStatus {
  const current = state.status.state;
  if (isTerminal(current) && (source === 'status' || !isTerminal(incoming))) return current;
  if (state.stopRequested && !isTerminal(incoming)) return 'stopping';
  return incoming;
}

/**
 * A status from the trainer, merged with the rows already held. The trainer sends a status after
 * the rows it counts, on the same ordered channel, so its latest and best evaluation are the word
 * on every evaluation before it; evaluations that arrive after it fold into it at once (see
 * addEval) until the next status replaces them. Where a status was taken before evaluations held
 * here (their step is later than its step), those evaluations are the news and are folded in
 * again. A status without evaluation figures keeps the ones held. Counters never go back.
 */
function mergeStatus(state: RunState, incoming: StatusSnapshot): StatusSnapshot {
  const lastEpisode = state.episodes[state.episodes.length - 1];
  const lastEval = state.evals[state.evals.length - 1];
  let latestEval = incoming.latestEval ?? state.status.latestEval;
  let bestEval = incoming.bestEval ?? state.status.bestEval;
  for (let i = state.evals.length - 1; i >= 0 && state.evals[i].step > incoming.step; i--) {
    if (i === state.evals.length - 1) latestEval = state.evals[i].mean;
    bestEval = maxOrNull(bestEval, state.evals[i].mean);
  }
  return {
    ...incoming,
    state: mergeState(state, incoming.state, 'status'),
    episode: Math.max(incoming.episode, lastEpisode?.episode ?? 0),
    step: Math.max(incoming.step, lastEpisode?.step ?? 0, lastEval?.step ?? 0),
    latestEval,
    bestEval,
  };
}

const STATUS_FIELDS: ReadonlyArray<keyof StatusSnapshot> = [
  'state', 'episode', 'totalEpisodes', 'step', 'totalSteps', 'stepsPerSecond', 'elapsedSeconds', 'latestEval', 'bestEval',
];

function setStatus(state: RunState, next: StatusSnapshot): RunStateChange {
  const before = state.status;
  state.status = next;
  if (state.info.status !== next.state) state.info = { ...state.info, status: next.state };
  const change = noChange();
  change.status = STATUS_FIELDS.some((field) => before[field] !== next[field]);
  change.progress = before.state !== next.state || before.episode !== next.episode;
  return change;
}

/**
 * Episodes come once each, in order; a row the state already has (the host replays its history
 * to a page that reopens, a batch can repeat the last row) is dropped, and so is one that would
 * make the step go back: the curves need increasing x.
 */
function addEpisode(state: RunState, row: EpisodeRow): boolean {
  const last = state.episodes[state.episodes.length - 1];
  if (last && (row.episode <= last.episode || row.step < last.step)) return false;
  state.episodes.push(row);
  return true;
}

/**
 * At most one evaluation per step. The trainer never evaluates twice at one step (it skips the
 * final evaluation when one just ran, and the episode and step schedules share one run), so a
 * second row at a step already evaluated is a replay, whatever its mean. (The host used to keep
 * such a row when its mean differed, and the dashboard dropped it: that is how they disagreed.)
 */
function addEval(state: RunState, row: EvalRow): boolean {
  const last = state.evals[state.evals.length - 1];
  if (last && row.step <= last.step) return false;
  state.evals.push(row);
  return true;
}

/**
 * Checkpoints are keyed by their name: a run's checkpoint lives in checkpoints/<name>/, so two of
 * the same name are one replacing the other on disk (the "best" one is saved again and again).
 * The folder path is not a key: the dashboard never sees it, and one folder can be spelled in
 * several ways (relative or absolute, a trailing separator, a drive letter's case). (The host used
 * to key by folder and the dashboard by name.)
 */
function saveCheckpoint(state: RunState, record: CheckpointRecord): void {
  const known = state.checkpoints.findIndex((c) => c.manifest.name === record.manifest.name);
  if (known >= 0) state.checkpoints.splice(known, 1);
  const at = state.checkpoints.findIndex((c) => c.manifest.step > record.manifest.step || (c.manifest.step === record.manifest.step && c.manifest.name > record.manifest.name));
  state.checkpoints.splice(at < 0 ? state.checkpoints.length : at, 0, record);
}

/** Folds one trainer event into the state and says what changed. Frames, logs and evaluation results are not run data. */
export function applyTrainerEvent(state: RunState, event: TrainerToHost): RunStateChange {
  switch (event.type) {
    case 'started': {
      // Another run's trainer: nothing held describes it any more. (Both wrappers only ever hand
      // a state its own run's events; this keeps the rule total.)
      const otherRun = event.run.id !== state.info.id;
      state.info = { ...event.run, engine: event.engine };
      if (otherRun) resetRows(state);
      const change = setStatus(state, { ...state.status, state: mergeState(state, event.run.status, 'status') });
      change.info = true;
      change.progress = true;
      return change;
    }
    case 'status':
      return setStatus(state, mergeStatus(state, event.status));
    case 'episode': {
      const change = noChange();
      if (!addEpisode(state, event.row)) return change;
      change.episodes = true;
      return mergeChange(change, setStatus(state, { ...state.status, episode: Math.max(state.status.episode, event.row.episode), step: Math.max(state.status.step, event.row.step) }));
    }
    case 'eval': {
      const change = noChange();
      if (!addEval(state, event.row)) return change;
      change.evals = true;
      const status = { ...state.status, latestEval: event.row.mean, bestEval: maxOrNull(state.status.bestEval, event.row.mean), step: Math.max(state.status.step, event.row.step) };
      return mergeChange(change, setStatus(state, status));
    }
    case 'checkpoint': {
      const record = { dir: event.dir, manifest: event.manifest };
      saveCheckpoint(state, record);
      return { ...noChange(), checkpoints: [record] };
    }
    case 'checkpointDeleted': {
      // By name, as checkpoints are kept (see saveCheckpoint): the folder may be spelled otherwise here.
      const known = state.checkpoints.findIndex((c) => c.manifest.name === event.name);
      if (known < 0) return noChange();
      state.checkpoints.splice(known, 1);
      return { ...noChange(), deletedCheckpoints: [event.name] };
    }
    case 'error': {
      const change = noChange();
      change.error = state.info.error !== event.message;
      state.info = { ...state.info, error: event.message };
      return change;
    }
    case 'exiting':
      return setStatus(state, { ...state.status, state: mergeState(state, event.status, 'exiting') });
    case 'scene':
      state.scene = event.scene;
      return { ...noChange(), scene: true };
    case 'frames':
    case 'log':
    case 'evaluation':
      return noChange();
  }
}

/** Folds events in order; the change is everything any of them changed. */
export function applyTrainerEvents(state: RunState, events: Iterable<TrainerToHost>): RunStateChange {
  const change = noChange();
  for (const event of events) mergeChange(change, applyTrainerEvent(state, event));
  return change;
}

/**
 * The host's own word on the state: 'stopping' the moment it sends a stop, the exit status or
 * 'crashed' once the process is gone. It overrides whatever the events said.
 */
export function setLocalState(state: RunState, next: RunStatus, error?: string): RunStateChange {
  if (next === 'stopping') state.stopRequested = true;
  const change = setStatus(state, { ...state.status, state: next });
  if (error !== undefined && state.info.error !== error) {
    state.info = { ...state.info, error };
    change.error = true;
  }
  return change;
}

function resetRows(state: RunState): void {
  state.episodes.length = 0;
  state.evals.length = 0;
  state.checkpoints.length = 0;
  state.stopRequested = false;
  delete state.scene;
  state.status = statusFromFiles(state.info, [], []);
}
