/**
 * The header: run name with its state badge, a line of run facts (the environment first: it says
 * what the rest of the page is about), and the engine in use.
 */

import { environmentOf } from '../../src/shared/environments';
import type { RunInfo, RunStatus } from '../../src/shared/protocol';
import { element, setText } from '../dom';
import { formatDateTime } from '../format';

export class RunHeader {
  readonly element: HTMLElement;
  private readonly name: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly environment: HTMLElement;
  private readonly facts: HTMLElement;
  private readonly engine: HTMLElement;

  constructor() {
    this.name = element('h1', { className: 'run-name', testId: 'run-name' });
    this.badge = element('span', { className: 'state-badge', testId: 'status-state', attributes: { role: 'status' } });
    this.environment = element('strong', { testId: 'run-environment' });
    this.facts = element('span');
    this.engine = element('div', { className: 'engine-info', testId: 'engine-info' });
    this.element = element('header', { className: 'run-header' }, [
      element('div', { className: 'run-heading' }, [
        element('div', { className: 'run-title' }, [this.name, this.badge]),
        element('p', { className: 'run-facts muted' }, [this.environment, this.facts]),
      ]),
      this.engine,
    ]);
  }

  showRun(run: RunInfo): void {
    setText(this.name, run.name || run.id);
    this.name.title = run.id;
    const environment = environmentOf(run.config);
    setText(this.environment, environment.id);
    this.environment.title = environment.summary;
    const facts = [`Run ${run.id}`, `started ${formatDateTime(run.created)}`, `seed ${run.seed}`];
    const { algorithm } = run.config as { algorithm?: unknown };
    if (typeof algorithm === 'string') facts.unshift(algorithm.toUpperCase());
    // The checkpoint is stored as its absolute folder, which wrapped over two lines: its name says
    // enough here, the folder is in the tooltip.
    const resumed = run.resumedFrom;
    if (resumed) {
      const checkpointName = resumed.checkpoint.split(/[\\/]/).filter((part) => part !== '').pop() ?? resumed.checkpoint;
      facts.push(`resumed from ${resumed.runId} / ${checkpointName} (episode ${resumed.episode})`);
    }
    setText(this.facts, facts.map((fact) => ` · ${fact}`).join(''));
    this.facts.title = resumed ? `Resumed from checkpoint ${resumed.checkpoint}` : '';

    this.engine.replaceChildren();
    if (run.engine) {
      this.engine.append(
        element('span', { className: 'muted', text: 'Engine ' }),
        element('strong', { text: run.engine.engine }),
        element('span', { className: 'muted', text: ' · backend ' }),
        element('strong', { text: run.engine.backend }),
      );
      this.engine.title = `Numeric engine: ${run.engine.engine}, backend: ${run.engine.backend}`;
    } else {
      const requested = typeof run.config.engine === 'string' ? run.config.engine : 'auto';
      this.engine.append(element('span', { className: 'muted', text: `Engine ${requested} (loading…)` }));
      this.engine.title = 'The trainer reports its engine once it has loaded';
    }
  }

  showState(state: RunStatus): void {
    setText(this.badge, state);
    this.badge.dataset.state = state;
  }
}
