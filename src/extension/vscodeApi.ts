/**
 * The vscode module as a value type. extension.ts imports the real module once and hands it to
 * every piece; the pieces import only types, so they load (and are testable) in plain Node.
 */
export type VSCode = typeof import('vscode');
