/**
 * The card beside the pendulum: the status line, the run controls (live runs only), the checkpoint
 * summary, evaluation results (when evaluating a checkpoint) and the trainer's last problem.
 */

import type { DashboardCommand } from '../../src/protocol';
import { element, setText } from '../dom';
import type { RunModel } from '../runModel';
import { CheckpointSummary } from './checkpointSummary';
import { EvaluationResults } from './evaluationResults';
import { ProblemNotice } from './problemNotice';
import { RunControls } from './runControls';
import { StatusLine } from './statusLine';

export class StatusPanel {
  readonly element: HTMLElement;
  readonly controls: RunControls;
  private readonly title: HTMLElement;
  private readonly statusLine = new StatusLine();
  private readonly checkpoints = new CheckpointSummary();
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

  showRun(model: RunModel): void {
    const kind = model.mode.kind;
    setText(this.title, kind === 'live' ? 'Training' : 'Run status');
    this.controls.element.hidden = kind === 'inspect';
    if (kind === 'evaluate') this.showEvaluation(model);
    else this.evaluation.hide();
    this.showStatus(model);
    this.showCheckpoints(model);
    this.showProblem(model);
  }

  showStatus(model: RunModel): void {
    this.statusLine.update(model.status, model.completedEpisodes, model.statusReceivedAt);
    this.controls.update({ state: model.status.state, live: model.live, evaluating: model.mode.kind === 'evaluate' });
  }

  showCheckpoints(model: RunModel): void {
    this.checkpoints.show(model.checkpoints.length, model.latestCheckpoint);
  }

  showEvaluation(model: RunModel): void {
    if (model.evaluation) this.evaluation.showResult(model.evaluation);
    else if (model.mode.kind === 'evaluate') this.evaluation.showRunning(model.mode.episodes);
  }

  showProblem(model: RunModel): void {
    this.problem.show(model.problem);
  }
}
