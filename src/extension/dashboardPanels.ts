/**
 * Every open dashboard panel: one per run, and one per checkpoint and mode (inspect, evaluate), so
 * looking at a checkpoint never takes the place of a live run. Routes run events to the panels,
 * keeps frames flowing only while a visible panel animates the run, knows which panel the user
 * looked at last (the title bar's Pause and Stop act on its run), and revives every panel after a
 * window reload (WebviewPanelSerializer).
 */

import type * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE, DashboardPanel, type DashboardDependencies } from './dashboardPanel';
import { targetFromState, titleFor, type DashboardTarget, type PersistedDashboardState } from './dashboardTarget';
import { Disposable } from './disposable';
import { Emitter, type Event } from './events';
import type { VSCode } from './vscodeApi';
import { createPagePanel } from './webviewPage';

export class DashboardPanels extends Disposable implements vscode.WebviewPanelSerializer<PersistedDashboardState> {
  /** Most recently focused first: "the dashboard" of a command is the first of these still visible. */
  private panels: DashboardPanel[] = [];
  /** Revived panels still reading their target from disk: not empty, though they show nothing yet. */
  private readonly reviving = new Set<DashboardPanel>();
  private titleBarRun: string | undefined;
  private readonly titleBarRunChanged = this._register(new Emitter<string | undefined>());
  /** Fires with the run whose live panel is in front (see titleBarRunId), when that changes. */
  readonly onDidChangeTitleBarRun: Event<string | undefined> = this.titleBarRunChanged.event;

  constructor(
    private readonly api: VSCode,
    private readonly deps: DashboardDependencies,
  ) {
    super();
    this._register(api.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, this));
    this._register(
      deps.runManager.onDidReceiveEvent(({ runId, event }) => {
        for (const panel of this.panels) panel.forward(runId, event);
      }),
    );
    this._register(
      deps.runManager.onDidChangeRun(({ runId, liveness }) => {
        if (!liveness) return;
        for (const panel of this.panels) panel.refreshIfShowing(runId);
        this.update();
      }),
    );
    this._register({ dispose: () => [...this.panels].forEach((panel) => panel.dispose()) });
  }

  /** Every open panel, most recently focused first. */
  get all(): readonly DashboardPanel[] {
    return this.panels;
  }

  /** The panel the user looked at last among those visible: the one commands mean by "the dashboard". */
  private get front(): DashboardPanel | undefined {
    return this.panels.find((panel) => panel.isVisible);
  }

  /** The run of the panel in front, whatever it shows of it. */
  get visibleRunId(): string | undefined {
    return this.front?.currentTarget?.runId;
  }

  /** What the panel in front shows, else what the panel focused last shows. */
  get currentTarget(): DashboardTarget | undefined {
    return (this.front ?? this.panels[0])?.currentTarget;
  }

  /**
   * The run the title bar's Pause, Resume, Save Checkpoint and Stop belong to: that of the panel
   * in front when it shows the run itself, none when it shows a checkpoint.
   */
  get titleBarRunId(): string | undefined {
    const target = this.front?.currentTarget;
    return target?.mode.kind === 'live' ? target.runId : undefined;
  }

  /** True when some visible panel shows `runId` live: it tells the user itself when the run saves or ends. */
  isShowingLive(runId: string): boolean {
    return this.panels.some((panel) => panel.isVisible && panel.currentTarget?.runId === runId && panel.currentTarget.mode.kind === 'live');
  }

  /** The panel that shows `target`, if one is open. */
  panelFor(target: DashboardTarget): DashboardPanel | undefined {
    return this.panels.find((panel) => panel.shows(target));
  }

  /**
   * Reveals the panel of `target`, opening one if there is none (an empty panel is put to use
   * first). Without a target: the panel focused last, else an empty one.
   */
  open(target?: DashboardTarget): DashboardPanel {
    const existing = target ? this.panelFor(target) : this.panels[0];
    if (existing) {
      if (target) existing.reopen(target);
      this.reveal(existing);
      return existing;
    }
    const empty = this.panels.find((panel) => !panel.currentTarget && !this.reviving.has(panel));
    if (empty) {
      empty.show(target);
      this.reveal(empty);
      return empty;
    }
    const created = this.adopt(createPagePanel(this.api, this.deps.extensionUri, DASHBOARD_VIEW_TYPE, titleFor(target), false), true);
    created.show(target);
    return created;
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: PersistedDashboardState | undefined): Promise<void> {
    // Adopted before the await: events and focus changes during the look-up reach it already.
    // A revived panel VS Code does not focus goes behind those the user has looked at since.
    const adopted = this.adopt(webviewPanel, webviewPanel.active);
    this.reviving.add(adopted);
    try {
      adopted.show(await this.targetFromState(state));
    } finally {
      this.reviving.delete(adopted);
    }
  }

  targetFromState(state: PersistedDashboardState | undefined): Promise<DashboardTarget | undefined> {
    return targetFromState(state, this.deps);
  }

  private reveal(panel: DashboardPanel): void {
    panel.reveal();
    this.toFront(panel);
    this.update();
  }

  private adopt(webviewPanel: vscode.WebviewPanel, inFront: boolean): DashboardPanel {
    const created: DashboardPanel = new DashboardPanel(this.api, webviewPanel, this.deps, () => {
      if (created.isActive) this.toFront(created);
      this.update();
    });
    webviewPanel.onDidDispose(() => {
      this.panels = this.panels.filter((panel) => panel !== created);
      this.update();
    });
    if (inFront) this.panels.unshift(created);
    else this.panels.push(created);
    this.update();
    return created;
  }

  private toFront(panel: DashboardPanel): void {
    const index = this.panels.indexOf(panel);
    if (index <= 0) return;
    this.panels.splice(index, 1);
    this.panels.unshift(panel);
  }

  /** After any change of panels, focus or liveness: frames, then the title bar's run. */
  private update(): void {
    this.updateFrameStreaming();
    const titleBarRun = this.titleBarRunId;
    if (titleBarRun === this.titleBarRun) return;
    this.titleBarRun = titleBarRun;
    this.titleBarRunChanged.fire(titleBarRun);
  }

  /** Frames flow only for live runs that some visible panel is animating. */
  updateFrameStreaming(): void {
    for (const run of this.deps.runManager.liveRuns()) {
      this.deps.runManager.setFrameStreaming(
        run.runId,
        this.panels.some((panel) => panel.wantsFramesOf(run.runId)),
      );
    }
  }
}
