/**
 * When deterministic evaluations are due: every `evalEverySteps` environment steps and/or every
 * `evalEveryEpisodes` episodes, checked at episode ends. Its counters are part of the resume state.
 */

import type { RunConfig } from '../../shared/config';

export class EvaluationSchedule {
  nextEvalStep: number;
  nextEvalEpisode: number;

  constructor(private readonly config: Pick<RunConfig, 'evalEverySteps' | 'evalEveryEpisodes'>) {
    this.nextEvalStep = config.evalEverySteps;
    this.nextEvalEpisode = config.evalEveryEpisodes;
  }

  /** Whether an evaluation is due at the end of this episode; advances past it when it is. */
  dueAt(totalSteps: number, episode: number): boolean {
    const c = this.config;
    let due = false;
    if (c.evalEverySteps > 0 && totalSteps >= this.nextEvalStep) {
      due = true;
      while (this.nextEvalStep <= totalSteps) this.nextEvalStep += c.evalEverySteps;
    }
    if (c.evalEveryEpisodes > 0 && episode >= this.nextEvalEpisode) {
      due = true;
      while (this.nextEvalEpisode <= episode) this.nextEvalEpisode += c.evalEveryEpisodes;
    }
    return due;
  }

  /** Continues a saved schedule, unless the resumed run changed a period: then it restarts from here. */
  restore(
    saved: { nextEvalStep: number; nextEvalEpisode: number },
    savedConfig: Pick<RunConfig, 'evalEverySteps' | 'evalEveryEpisodes'>,
    at: { totalSteps: number; episode: number },
  ): void {
    const c = this.config;
    this.nextEvalStep = c.evalEverySteps === savedConfig.evalEverySteps ? saved.nextEvalStep : at.totalSteps + c.evalEverySteps;
    this.nextEvalEpisode = c.evalEveryEpisodes === savedConfig.evalEveryEpisodes ? saved.nextEvalEpisode : at.episode + c.evalEveryEpisodes;
  }
}
