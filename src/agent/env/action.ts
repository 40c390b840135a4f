/** The one component of a one-dimensional action, which callers may pass bare or as an array. */
export function scalarAction(action: ArrayLike<number> | number): number {
  if (typeof action === 'number') return action;
  if (action.length !== 1) throw new RangeError(`this environment takes a one-dimensional action, got ${action.length} components`);
  return action[0];
}
