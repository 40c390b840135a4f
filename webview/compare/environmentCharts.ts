/**
 * One environment's charts in the comparison: its evaluation returns with its own "solved" line,
 * and its training returns. Returns of different environments are on different scales (Pendulum
 * −1500…0, MountainCar −30…95) and mean different things, so each environment gets its own axes;
 * the algorithms and experiments of one environment share them.
 */

import type { ComparedEnvironment } from '../../src/shared/protocol';
import { element, setText } from '../dom';
import type { ThemePalette } from '../theme';
import { ComparisonChart } from './comparisonChart';
import type { DrawnCurve } from './curves';
import type { ComparisonXAxis } from './viewState';

export class EnvironmentCharts {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly note: HTMLElement;
  private readonly evalChart: ComparisonChart;
  private readonly returnsChart: ComparisonChart;

  constructor(environment: ComparedEnvironment, palette: ThemePalette) {
    const data = { environment: environment.id };
    this.evalChart = new ComparisonChart(
      'Evaluation return (deterministic)',
      'comparison-eval-chart',
      palette,
      'No evaluations yet',
      // With a threshold the chart writes its caption (comparisonChart.ts, thresholdNote).
      '',
      `Evaluation return (deterministic) on ${environment.title}`,
      data,
    );
    this.returnsChart = new ComparisonChart(
      'Training return (10-episode mean)',
      'comparison-returns-chart',
      palette,
      'No episodes yet',
      '',
      `Training return (10-episode mean) on ${environment.title}`,
      data,
    );
    this.heading = element('h2', { className: 'section-title' });
    this.note = element('span', { className: 'muted comparison-note' });
    this.element = element('section', { className: 'comparison-environment', testId: 'comparison-environment', attributes: { 'aria-label': environment.title } }, [
      element('div', { className: 'card-header' }, [this.heading, this.note]),
      element('div', { className: 'charts-grid' }, [this.evalChart.element, this.returnsChart.element]),
    ]);
    this.element.dataset.environment = environment.id;
  }

  update(
    environment: ComparedEnvironment,
    runCount: number,
    curves: { eval: readonly DrawnCurve[]; returns: readonly DrawnCurve[] },
    axis: ComparisonXAxis,
    palette: ThemePalette,
  ): void {
    setText(this.heading, environment.title);
    setText(this.note, `${environment.id} · ${runCount} run${runCount === 1 ? '' : 's'}`);
    const threshold = environment.solvedThreshold === null ? undefined : { y: environment.solvedThreshold, label: environment.solvedLabel };
    this.evalChart.setPalette(palette, curves.eval, axis, threshold);
    this.returnsChart.setPalette(palette, curves.returns, axis);
  }

  dispose(): void {
    this.evalChart.dispose();
    this.returnsChart.dispose();
    this.element.remove();
  }
}
