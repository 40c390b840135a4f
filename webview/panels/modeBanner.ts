/**
 * The banner shown when the dashboard is not following a live run: inspecting a checkpoint (curves
 * cut at it, no controls) or evaluating one (its deterministic episodes play). It names the
 * checkpoint and lists its manifest.
 */

import { describeCheckpointEvaluation } from '../../src/shared/checkpointScore';
import type { CheckpointManifest, DashboardMode } from '../../src/shared/protocol';
import { element } from '../dom';
import { formatDateTime, formatInteger, formatReturn } from '../format';

const REASONS: Record<string, string> = {
  manual: 'saved by hand',
  periodic: 'periodic',
  final: 'final (run stopped)',
  best: 'best evaluation so far',
};

function manifestFacts(checkpoint: CheckpointManifest): HTMLElement {
  const facts: [string, string][] = [
    ['Reason', REASONS[checkpoint.reason] ?? checkpoint.reason],
    ['Episode', formatInteger(checkpoint.episode)],
    ['Step', formatInteger(checkpoint.step)],
    // Its own score first: the run's best when it was saved is another checkpoint's score.
    ['Evaluation', describeCheckpointEvaluation(checkpoint)],
    ['Recent return', formatReturn(checkpoint.recentReturn)],
    ["Run's best eval then", formatReturn(checkpoint.bestEval)],
    ['Created', formatDateTime(checkpoint.created)],
  ];
  return element(
    'dl',
    { className: 'manifest' },
    facts.map(([label, value]) =>
      element('div', { className: 'manifest-item' }, [element('dt', { text: label }), element('dd', { text: value })]),
    ),
  );
}

export class ModeBanner {
  readonly element: HTMLElement;

  /** @param onWatch "Watch this policy" while inspecting: the host evaluates the checkpoint with frames. */
  constructor(private readonly onWatch: () => void = () => {}) {
    this.element = element('section', { className: 'mode-banner', testId: 'mode-banner', attributes: { 'aria-live': 'polite' } });
    this.element.hidden = true;
  }

  show(mode: DashboardMode): void {
    this.element.replaceChildren();
    this.element.hidden = mode.kind === 'live';
    this.element.dataset.mode = mode.kind;
    if (mode.kind === 'live') return;
    const { checkpoint } = mode;
    const kind = mode.kind === 'inspect' ? 'Inspecting checkpoint' : 'Evaluating checkpoint';
    const note =
      mode.kind === 'inspect'
        ? 'The curves end where this checkpoint was saved. Nothing is running; Watch this policy plays its deterministic episodes.'
        : `The policy plays ${mode.episodes} deterministic episode${mode.episodes === 1 ? '' : 's'} (no exploration noise, evenly spaced fixed starts).`;
    this.element.append(
      element('div', { className: 'banner-heading' }, [
        element('span', { className: 'banner-kind', text: kind }),
        element('strong', { className: 'banner-name', text: checkpoint.name, title: mode.checkpointDir }),
      ]),
      manifestFacts(checkpoint),
      element('p', { className: 'banner-note muted', text: note }),
    );
    if (mode.kind === 'inspect') {
      const watch = element('button', { className: 'button primary watch-policy', testId: 'btn-watch-policy', text: 'Watch this policy', title: 'Runs deterministic episodes of this checkpoint and plays them' });
      watch.addEventListener('click', () => this.onWatch(), { once: true });
      this.element.append(watch);
    }
  }
}
