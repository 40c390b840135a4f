/**
 * The message layer: the only place that talks to VS Code's webview API. acquireVsCodeApi may be
 * called once per page, so one bridge owns it; incoming messages are narrowed before anyone sees
 * them, and anything that fails the guard is dropped. Each page (the dashboard, the run
 * comparison) has its own messages and its own persisted view state.
 */

import { isHostToWebview, type HostToWebview, type WebviewToHost } from '../src/shared/protocol';
import { restoreViewState, type ViewState } from './viewState';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class WebviewBridge<Incoming, Outgoing, State extends object> {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private viewState: State;

  constructor(
    private readonly isIncoming: (value: unknown) => value is Incoming,
    restoreState: (saved: unknown) => State,
  ) {
    this.viewState = restoreState(this.api.getState());
  }

  post(message: Outgoing): void {
    this.api.postMessage(message);
  }

  /** Subscribes to host messages. Returns the listener so a caller could remove it. */
  listen(handler: (message: Incoming) => void): (event: MessageEvent) => void {
    const listener = (event: MessageEvent) => {
      if (this.isIncoming(event.data)) handler(event.data);
    };
    window.addEventListener('message', listener);
    return listener;
  }

  get state(): Readonly<State> {
    return this.viewState;
  }

  updateState(change: Partial<State>): void {
    this.viewState = { ...this.viewState, ...change };
    this.api.setState(this.viewState);
  }
}

/** The dashboard's bridge. */
export class HostBridge extends WebviewBridge<HostToWebview, WebviewToHost, ViewState> {
  constructor() {
    super(isHostToWebview, restoreViewState);
  }
}
