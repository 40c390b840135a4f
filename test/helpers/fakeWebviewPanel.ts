/**
 * A fake webview panel and the slice of the vscode API that creates one, for host tests that
 * isolate a panel's message layer (the dashboard, the run comparison).
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { VSCode } from '../../src/extension/vscodeApi';

type Listener<T> = (value: T) => void;
export class FakeEvent<T> {
  listeners: Array<Listener<T>> = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(value: T) {
    for (const l of [...this.listeners]) l(value);
  }
}

export interface FakeUri {
  path: string;
  toString(): string;
}
export const uri = (p: string): FakeUri => ({ path: p, toString: () => `vscode-resource:${p}` });

export class FakePanel<Posted = unknown> {
  readonly posted: Posted[] = [];
  readonly received = new FakeEvent<unknown>();
  readonly viewState = new FakeEvent<unknown>();
  readonly disposed = new FakeEvent<void>();
  visible = true;
  active = true;
  title = '';
  webview = {
    options: {} as vscode.WebviewOptions,
    html: '',
    cspSource: 'https://fake.vscode-cdn.net',
    asWebviewUri: (u: FakeUri) => uri(`/webview${u.path}`),
    /** Like VS Code: a hidden webview's document is gone, and posts to it are dropped. */
    postMessage: async (m: Posted) => {
      if (!this.visible) return false;
      this.posted.push(structuredClone(m));
      return true;
    },
    onDidReceiveMessage: this.received.event,
  };
  onDidChangeViewState = this.viewState.event;
  onDidDispose = this.disposed.event;
  reveal() {
    this.visible = true;
  }
  dispose() {
    this.disposed.fire();
  }
  /** The webview script posting a message. */
  fromWebview(message: unknown) {
    this.received.fire(message);
  }
  setVisible(visible: boolean) {
    this.visible = visible;
    this.viewState.fire({});
  }
}

export function fakeApi<Posted = unknown>() {
  const panels: Array<FakePanel<Posted>> = [];
  const warnings: string[] = [];
  let serializer: unknown;
  const api = {
    Uri: { joinPath: (base: FakeUri, ...segments: string[]) => uri(path.posix.join(base.path, ...segments)) },
    ViewColumn: { Active: -1 },
    window: {
      registerWebviewPanelSerializer: (_type: string, s: unknown) => {
        serializer = s;
        return { dispose() {} };
      },
      createWebviewPanel: () => {
        const p = new FakePanel<Posted>();
        panels.push(p);
        return p;
      },
      showWarningMessage: async (m: string) => {
        warnings.push(m);
        return undefined;
      },
      showErrorMessage: async (m: string) => {
        warnings.push(m);
        return undefined;
      },
    },
  };
  return { api: api as unknown as VSCode, panels, warnings, serializer: () => serializer };
}

