/**
 * A small typed createElement helper. The host's CSP forbids inline style attributes in HTML
 * strings, so the dashboard builds every node in code; this keeps that code short.
 */

export interface ElementOptions {
  className?: string;
  text?: string;
  testId?: string;
  title?: string;
  attributes?: Record<string, string>;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: readonly (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.testId) node.dataset.testid = options.testId;
  if (options.title) node.title = options.title;
  for (const [name, value] of Object.entries(options.attributes ?? {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** Sets text only when it changed: status values update several times a second. */
export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

/** A labelled <select>; the label wraps the control so a click on it focuses the select. */
export function labelledSelect<T extends string>(
  labelText: string,
  options: readonly SelectOption<T>[],
  selected: T,
  testId: string,
  onChange: (value: T) => void,
): { label: HTMLLabelElement; select: HTMLSelectElement } {
  const select = element('select', { testId, className: 'select' });
  for (const option of options) {
    const node = element('option', { text: option.label, attributes: { value: option.value } });
    select.append(node);
  }
  select.value = selected;
  select.addEventListener('change', () => {
    const match = options.find((o) => o.value === select.value);
    if (match) onChange(match.value);
  });
  const label = element('label', { className: 'control-label' }, [element('span', { text: labelText }), select]);
  return { label, select };
}
