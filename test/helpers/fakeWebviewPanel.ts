/**
 * The webview slice of the fake vscode API (fakeVscode.ts), for host tests that isolate a panel's
 * message layer (the dashboard, the run comparison).
 */
import type * as vscode from 'vscode';
import { fakeVscode } from './fakeVscode';
import { FakePanel, FakeUri } from './fakeVscodeObjects';

export { FakePanel };

/** An extension-relative resource, as `context.extensionUri` and its joins are. */
export const uri = (p: string): vscode.Uri => new FakeUri('vscode-resource', p);

/** The panels created, in order, and the serializer registered last. */
export function fakeApi<Posted = unknown>() {
  const fake = fakeVscode<Posted>();
  const serializer = (): vscode.WebviewPanelSerializer | undefined => [...fake.serializers.values()].at(-1);
  return { api: fake.api, panels: fake.panels, messages: fake.messages, serializer };
}
