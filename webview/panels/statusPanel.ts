/**
 * The card beside the environment's animation: the status line, the run controls and the
 * checkpoint list of a live run, or the results when evaluating a checkpoint; and the trainer's
 * last problem.
 */

import type { DashboardCommand } from '../../src/shared/protocol';
import { element, setText } from '../dom';
import type { RunModel } from '../runModel';
import { CheckpointList } from './checkpointList';
import { EvaluationResults } from './evaluationResults';
import { ProblemNotice } from './problemNotice';
import { RunControls } from './runControls';
import { StatusLine } from './statusLine';

export class StatusPanel {
  readonly element: HTMLElement;
  readonly controls: RunControls;
  private readonly title: HTMLElement;
  private readonly statusLine = new StatusLine();
  private readonly checkpoints = new CheckpointList();
  private readonly evaluation = new EvaluationResults();
  private readonly problem = new ProblemNotice();

  constructor(sendCommand: (command: DashboardCommand) => void) {
    this.controls = new RunControls(sendCommand);
    this.title = element('h2', { className: 'card-title', text: 'Training' });
    this.element = element('section', { className: 'card status-card', attributes: { 'aria-label': 'Run status' } }, [
      this.title,
      this.statusLine.element,
      this.controls.element,
      this.evaluation.element,
      this.checkpoints.element,
      this.problem.element,
    ]);
  }

  /**
   * Live: the run's status, controls and checkpoints. Evaluating a checkpoint: only its results,
   * because the run's final status (e.g. 150 / 150) beside curves cut at the checkpoint misleads.
   */
  showRun(model: RunModel): void {
    const live = model.mode.kind === 'live';
    setText(this.title, live ? 'Training' : 'Evaluation');
    this.statusLine.element.hidden = !live;
    this.controls.element.hidden = !live;
    this.checkpoints.element.hidden = !live;
    if (model.mode.kind === 'evaluate') this.showEvaluation(model);
    else this.evaluation.hide();
    this.showStatus(model);
    this.showCheckpoints(model);
    this.showProblem(model);
  }

  showStatus(model: RunModel): void {
    this.statusLine.update(model.status, model, model.statusReceivedAt, model.episodes);
    this.controls.update({ state: model.status.state, live: model.live });
  }

  showCheckpoints(model: RunModel): void {
    this.checkpoints.show(model.checkpoints);
  }

  showEvaluation(model: RunModel): void {
    if (model.evaluation) this.evaluation.showResult(model.evaluation);
    else if (model.mode.kind === 'evaluate') this.evaluation.showRunning(model.mode.episodes);
  }

  /** The animation started playing another episode: the evaluation list marks it. */
  showPlayingEpisode(phase: 'train' | 'eval', episode: number): void {
    this.evaluation.markPlaying(phase === 'eval' ? episode : null);
  }

  showProblem(model: RunModel): void {
    this.problem.show(model.problem);
  }
}
