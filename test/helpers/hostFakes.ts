/** Stand-ins for what the extension host's modules talk to, for tests that isolate one of them. */
import type { CheckpointManifest, HostToTrainer, RunInfo, TrainerToHost } from '../../src/shared/protocol';
import { configHash, defaultConfig } from '../../src/shared/config';
import { DDPG_NETWORKS, taskFieldsOf } from '../../src/shared/runFormat';
import type { ThrottleClock } from '../../src/extension/runEventThrottle';
import { RunManager, type RunLog } from '../../src/extension/runManager';
import type { TrainerExit, TrainerHandle, TrainerListeners } from '../../src/extension/trainerProcess';

/** Time that moves only when the test says; due timers fire in order, each at its own time. */
export class ManualClock implements ThrottleClock {
  time = 0;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.time = next.at;
      this.timers = this.timers.filter((t) => t !== next);
      next.callback();
    }
    this.time = end;
  }
}

/** A trainer that records what it is sent and emits what the test gives it; it exits only when the test says. */
export class FakeTrainer implements TrainerHandle {
  readonly pid = 1;
  readonly sent: HostToTrainer[] = [];
  readonly exited: Promise<TrainerExit>;
  readonly isRunning = true;
  private resolveExit!: (exit: TrainerExit) => void;
  constructor(readonly listeners: TrainerListeners) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }
  exit(exit: TrainerExit) {
    this.resolveExit(exit);
  }
  send(command: HostToTrainer) {
    this.sent.push(command);
    return true;
  }
  emit(event: TrainerToHost) {
    this.listeners.onEvent(event);
  }
  async stop(): Promise<TrainerExit> {
    return this.exited;
  }
  async kill(): Promise<TrainerExit> {
    return this.exited;
  }
  stderrTail() {
    return [];
  }
}

export const quietLog: RunLog = { info() {}, warn() {}, error() {}, append() {}, show() {}, dispose() {} };

/** A run manager whose trainers are FakeTrainers, in the order they were started. */
export function fakeRunManager(): { manager: RunManager; trainers: FakeTrainer[] } {
  const trainers: FakeTrainer[] = [];
  const manager = new RunManager({
    trainerScript: 'x',
    createLog: () => quietLog,
    launch: (_launch, listeners) => {
      const trainer = new FakeTrainer(listeners);
      trainers.push(trainer);
      return trainer;
    },
  });
  return { manager, trainers };
}

const fixtureEngine = { engine: 'wasm' as const, backend: 'simd' };

/** A complete manifest as the trainer writes it (current format); `fields` says what the test is about. */
export function manifestFixture(fields: Pick<CheckpointManifest, 'runId' | 'name' | 'episode'> & Partial<CheckpointManifest>): CheckpointManifest {
  const config = fields.config ?? defaultConfig();
  return {
    formatVersion: 2,
    ...taskFieldsOf(config),
    networks: [...DDPG_NETWORKS],
    step: fields.episode * 200,
    recentReturn: null,
    bestEval: null,
    reason: 'periodic',
    created: '2025-01-01T00:00:00.000Z',
    engine: fixtureEngine,
    hasReplayBuffer: true,
    ...fields,
    // As the trainer writes it: readers refuse a manifest whose config does not hash to it.
    configHash: configHash(config),
    config,
  };
}

/** A complete run.json (current format). */
export function runInfoFixture(fields: Pick<RunInfo, 'id' | 'status'> & Partial<RunInfo>): RunInfo {
  const config = fields.config ?? defaultConfig();
  const created = fields.created ?? '2025-01-01T00:00:00.000Z';
  return { name: fields.id, created, updated: created, ...taskFieldsOf(config), engine: fixtureEngine, seed: 1, ...fields, config };
}
