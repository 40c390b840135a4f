/**
 * The Watch control under the environment's canvas: what to play (the latest training episode,
 * the latest evaluation, the best evaluation), which evaluation start (one, or all in turn), and
 * whether to loop. It only reports choices; what they mean is WatchSelection's.
 */

import { element, labelledSelect } from '../dom';
import type { WatchChoice, WatchSource } from './watchSelection';

const SOURCES: { value: WatchSource; label: string }[] = [
  { value: 'training', label: 'Latest training episode' },
  { value: 'latestEvaluation', label: 'Latest evaluation' },
  { value: 'bestEvaluation', label: 'Best evaluation' },
];

const ALL_STARTS = 'all';

export class WatchControl {
  /** What to play and which start. */
  readonly element: HTMLElement;
  /** The Loop checkbox, placed by the card beside the speed (the row above is full). */
  readonly loopElement: HTMLElement;
  private readonly source: { label: HTMLLabelElement; select: HTMLSelectElement };
  private readonly start: { label: HTMLLabelElement; select: HTMLSelectElement };
  private readonly loop: HTMLInputElement;
  private startCount = 0;
  private choice: WatchChoice;

  constructor(initial: WatchChoice, onChange: (choice: WatchChoice) => void) {
    this.choice = { ...initial };
    this.source = labelledSelect('Watch', SOURCES, initial.source, 'watch-select', (source) => {
      this.choice = { ...this.choice, source };
      this.syncStart();
      onChange({ ...this.choice });
    });
    // Its options change with the evaluation's number of starts, so the value is read as it is.
    this.start = labelledSelect<string>('Start', [{ value: ALL_STARTS, label: 'All starts' }], ALL_STARTS, 'watch-start-select', () => {});
    this.start.select.addEventListener('change', () => {
      const value = this.start.select.value;
      this.choice = { ...this.choice, start: value === ALL_STARTS ? 'all' : Number(value) };
      onChange({ ...this.choice });
    });
    this.start.select.title = 'Evaluations run the deterministic policy from fixed, evenly spaced start states';
    this.loop = element('input', { testId: 'watch-loop', attributes: { type: 'checkbox' } });
    this.loop.checked = initial.loop;
    this.loop.addEventListener('change', () => {
      this.choice = { ...this.choice, loop: this.loop.checked };
      onChange({ ...this.choice });
    });
    this.loopElement = element('label', { className: 'control-label checkbox-label', title: 'Play the chosen episodes again when they end' }, [this.loop, element('span', { text: 'Loop' })]);
    this.element = element('div', { className: 'watch-control', testId: 'watch-control', attributes: { role: 'group', 'aria-label': 'What the animation plays' } }, [
      this.source.label,
      this.start.label,
    ]);
    this.syncStart();
  }

  /** Shows a choice made for the user (the run ended: the best evaluation, on a loop). */
  show(choice: WatchChoice): void {
    this.choice = { ...choice };
    this.source.select.value = choice.source;
    this.loop.checked = choice.loop;
    this.syncStart();
  }

  /** Evaluating a checkpoint there is only its evaluation to watch: the source is not a choice. */
  setSourceChoosable(choosable: boolean): void {
    this.source.label.hidden = !choosable;
  }

  /** How many starts the evaluation being chosen from has (0: none yet). */
  setStartCount(count: number): void {
    if (count === this.startCount) return;
    this.startCount = count;
    const options = [element('option', { text: 'All starts', attributes: { value: ALL_STARTS } })];
    for (let k = 1; k <= count; k++) options.push(element('option', { text: `Start ${k} of ${count}`, attributes: { value: String(k) } }));
    this.start.select.replaceChildren(...options);
    this.syncStart();
  }

  private syncStart(): void {
    const start = this.choice.start;
    const value = start === 'all' || start > this.startCount ? ALL_STARTS : String(start);
    if (this.start.select.value !== value) this.start.select.value = value;
    this.start.select.disabled = this.choice.source === 'training';
  }
}
