/**
 * The message layer: the only place that talks to VS Code's webview API. acquireVsCodeApi may be
 * called once per page, so one HostBridge owns it; incoming messages are narrowed before anyone
 * sees them, and anything that fails the guard is dropped.
 */

import { isHostToWebview, type HostToWebview, type WebviewToHost } from '../src/protocol';
import { restoreViewState, type ViewState } from './viewState';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostBridge {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private viewState: ViewState = restoreViewState(this.api.getState());

  post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  /** Subscribes to host messages. Returns the listener so a caller could remove it. */
  listen(handler: (message: HostToWebview) => void): (event: MessageEvent) => void {
    const listener = (event: MessageEvent) => {
      if (isHostToWebview(event.data)) handler(event.data);
    };
    window.addEventListener('message', listener);
    return listener;
  }

  get state(): Readonly<ViewState> {
    return this.viewState;
  }

  updateState(change: Partial<ViewState>): void {
    this.viewState = { ...this.viewState, ...change };
    this.api.setState(this.viewState);
  }
}
