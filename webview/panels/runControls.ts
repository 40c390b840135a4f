/**
 * Pause/Resume (one toggle that reflects the trainer's state), Save Checkpoint and Stop. A button
 * reflects what the trainer reports, never what was clicked: after a click it is disabled and
 * marked busy until the trainer's answer arrives (or a timeout, if it never does).
 */

import type { DashboardCommand, RunStatus } from '../../src/shared/protocol';
import { element, setText } from '../dom';

const ANSWER_TIMEOUT_MS = 8000;

interface ControlState {
  state: RunStatus;
  /** The trainer process accepts commands. */
  live: boolean;
}

export class RunControls {
  readonly element: HTMLElement;
  private readonly pauseResume: HTMLButtonElement;
  private readonly checkpoint: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly pending = new Map<DashboardCommand, number>();
  private current: ControlState = { state: 'starting', live: false };

  constructor(private readonly send: (command: DashboardCommand) => void) {
    this.pauseResume = element('button', { className: 'button primary', testId: 'btn-pause-resume', text: 'Pause' });
    this.checkpoint = element('button', {
      className: 'button secondary',
      testId: 'btn-checkpoint',
      text: 'Save Checkpoint',
      title: 'Save the networks, optimiser and counters now (training continues)',
    });
    this.stop = element('button', {
      className: 'button secondary danger',
      testId: 'btn-stop',
      text: 'Stop',
      title: 'Stop training after writing a final checkpoint',
    });
    this.pauseResume.addEventListener('click', () => this.issue(this.current.state === 'paused' ? 'resume' : 'pause'));
    this.checkpoint.addEventListener('click', () => this.issue('checkpoint'));
    this.stop.addEventListener('click', () => this.issue('stop'));
    this.element = element('div', { className: 'controls', attributes: { role: 'group', 'aria-label': 'Run controls' } }, [
      this.pauseResume,
      this.checkpoint,
      this.stop,
    ]);
    this.render();
  }

  update(next: ControlState): void {
    const previous = this.current;
    this.current = next;
    if (next.state !== previous.state || !next.live) {
      this.pending.delete('pause');
      this.pending.delete('resume');
    }
    if (!next.live || ['stopping', 'stopped', 'finished', 'crashed', 'interrupted'].includes(next.state)) this.pending.delete('stop');
    if (!next.live) this.pending.delete('checkpoint');
    this.render();
  }

  /** The trainer announced a checkpoint: a pending Save has its answer. */
  checkpointSaved(): void {
    this.pending.delete('checkpoint');
    this.render();
  }

  private issue(command: DashboardCommand): void {
    this.pending.set(command, window.setTimeout(() => {
      this.pending.delete(command);
      this.render();
    }, ANSWER_TIMEOUT_MS));
    this.send(command);
    this.render();
  }

  private isPending(...commands: DashboardCommand[]): boolean {
    return commands.some((c) => this.pending.has(c));
  }

  private render(): void {
    const { state, live } = this.current;
    const steerable = live && (state === 'running' || state === 'paused');
    const paused = state === 'paused';

    setText(this.pauseResume, paused ? 'Resume' : 'Pause');
    this.pauseResume.title = paused ? 'Continue training where it paused' : 'Pause training (all state stays in memory)';
    this.setEnabled(this.pauseResume, steerable && !this.isPending('pause', 'resume', 'stop'), this.isPending('pause', 'resume'));
    this.setEnabled(this.checkpoint, steerable && !this.isPending('checkpoint', 'stop'), this.isPending('checkpoint'));
    const stoppable = live && !['stopping', 'stopped', 'finished', 'crashed', 'interrupted'].includes(state);
    this.setEnabled(this.stop, stoppable && !this.isPending('stop'), this.isPending('stop') || state === 'stopping');
  }

  private setEnabled(button: HTMLButtonElement, enabled: boolean, busy: boolean): void {
    button.disabled = !enabled;
    button.classList.toggle('busy', busy);
    button.setAttribute('aria-busy', String(busy));
  }
}
