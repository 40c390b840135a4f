/** The trainer's last error or warning, kept visible in the status card until the run changes. */

import { element, setText } from '../dom';
import type { RunProblem } from '../runModel';

export class ProblemNotice {
  readonly element: HTMLElement;
  private readonly message: HTMLElement;
  private readonly heading: HTMLElement;

  constructor() {
    this.heading = element('strong');
    this.message = element('span', { className: 'problem-message' });
    this.element = element('div', { className: 'problem', testId: 'run-problem', attributes: { role: 'alert' } }, [
      this.heading,
      this.message,
    ]);
    this.element.hidden = true;
  }

  show(problem: RunProblem | null): void {
    this.element.hidden = problem === null;
    if (!problem) return;
    this.element.dataset.level = problem.level;
    setText(this.heading, problem.level === 'error' ? 'Error' : 'Warning');
    setText(this.message, problem.message);
  }
}
