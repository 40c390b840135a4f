/**
 * The objects the fake vscode API (fakeVscode.ts) hands out: events, URIs, tree items, icons,
 * markdown, watchers, status bar items and webview panels, each declared against the real type it
 * stands for.
 */
import type * as vscode from 'vscode';

export const ENUMS = {
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  UIKind: { Desktop: 1, Web: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3, Four: 4, Five: 5, Six: 6, Seven: 7, Eight: 8, Nine: 9 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
} as const;

export class FakeEventEmitter<T> implements vscode.EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => unknown>();
  readonly event: vscode.Event<T> = (listener, thisArgs?, disposables?) => {
    const bound = (value: T): void => void listener.call(thisArgs, value);
    this.listeners.add(bound);
    const subscription = { dispose: () => this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** `toString()` is `scheme:path`, enough to tell a webview URI from a file URI in HTML. */
export class FakeUri implements vscode.Uri {
  readonly authority = '';
  readonly query = '';
  readonly fragment = '';
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string }): vscode.Uri {
    return new FakeUri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}:${this.path}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, path: this.path };
  }
}

export class FakeTreeItem implements vscode.TreeItem {
  label?: string | vscode.TreeItemLabel;
  resourceUri?: vscode.Uri;
  id?: string;
  description?: string | boolean;
  tooltip?: string | vscode.MarkdownString;
  iconPath?: vscode.TreeItem['iconPath'];
  contextValue?: string;
  command?: vscode.Command;
  accessibilityInformation?: vscode.AccessibilityInformation;
  constructor(
    labelOrUri: string | vscode.TreeItemLabel | vscode.Uri,
    public collapsibleState?: vscode.TreeItemCollapsibleState,
  ) {
    if (labelOrUri instanceof FakeUri) this.resourceUri = labelOrUri;
    else this.label = labelOrUri as string | vscode.TreeItemLabel;
  }
}

export class FakeThemeColor implements vscode.ThemeColor {
  constructor(readonly id: string) {}
}

export class FakeThemeIcon implements vscode.ThemeIcon {
  static readonly File = new FakeThemeIcon('file');
  static readonly Folder = new FakeThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: vscode.ThemeColor,
  ) {}
}

/** Appends verbatim: the real appendText escapes markdown, which no test looks at. */
export class FakeMarkdownString implements vscode.MarkdownString {
  constructor(
    public value = '',
    public supportThemeIcons?: boolean,
  ) {}
  appendText(value: string): this {
    this.value += value;
    return this;
  }
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
  appendCodeblock(value: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${value}\n\`\`\`\n`;
    return this;
  }
}

export class FakeRelativePattern implements vscode.RelativePattern {
  baseUri: vscode.Uri;
  base: string;
  constructor(
    base: vscode.WorkspaceFolder | vscode.Uri | string,
    public pattern: string,
  ) {
    this.baseUri = typeof base === 'string' ? new FakeUri('file', base) : 'uri' in base ? base.uri : base;
    this.base = this.baseUri.fsPath;
  }
}

export class FakeFileSystemWatcher implements vscode.FileSystemWatcher {
  readonly ignoreCreateEvents = false;
  readonly ignoreChangeEvents = false;
  readonly ignoreDeleteEvents = false;
  private readonly created = new FakeEventEmitter<vscode.Uri>();
  private readonly changed = new FakeEventEmitter<vscode.Uri>();
  private readonly deleted = new FakeEventEmitter<vscode.Uri>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;
  disposed = false;
  constructor(readonly pattern: vscode.GlobPattern) {}
  fire(kind: 'create' | 'change' | 'delete', fsPath: string): void {
    const emitter = kind === 'create' ? this.created : kind === 'change' ? this.changed : this.deleted;
    emitter.fire(new FakeUri('file', fsPath));
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** Records which properties the code under test writes (each costs a message to the workbench). */
export class FakeStatusBarItem implements vscode.StatusBarItem {
  readonly writes: string[] = [];
  name: string | undefined;
  text = '';
  tooltip: string | vscode.MarkdownString | undefined;
  color: string | vscode.ThemeColor | undefined;
  backgroundColor: vscode.ThemeColor | undefined;
  command: string | vscode.Command | undefined;
  accessibilityInformation: vscode.AccessibilityInformation | undefined;
  constructor(
    readonly id: string,
    readonly alignment: vscode.StatusBarAlignment,
    readonly priority: number | undefined,
  ) {
    // Returned in place of `this`, so that every later assignment goes through `set`.
    return new Proxy(this, {
      set: (target, key, value) => {
        target.writes.push(String(key));
        return Reflect.set(target, key, value);
      },
    });
  }
  show(): void {
    this.writes.push('show');
  }
  hide(): void {
    this.writes.push('hide');
  }
  dispose(): void {}
}

/** A webview panel; `fromWebview` is its page posting a message, `posted` what the host sent it. */
export class FakePanel<Posted = unknown> implements vscode.WebviewPanel {
  readonly posted: Posted[] = [];
  private readonly received = new FakeEventEmitter<unknown>();
  private readonly viewStateChanged = new FakeEventEmitter<vscode.WebviewPanelOnDidChangeViewStateEvent>();
  private readonly disposed = new FakeEventEmitter<void>();
  readonly options: vscode.WebviewPanelOptions = {};
  readonly viewColumn = ENUMS.ViewColumn.One;
  visible = true;
  active = true;
  readonly webview: vscode.Webview = {
    options: {},
    html: '',
    cspSource: 'https://fake.vscode-cdn.net',
    asWebviewUri: (local: vscode.Uri) => new FakeUri('vscode-resource', `/webview${local.path}`),
    /** Like VS Code: a hidden webview's document is gone, and posts to it are dropped. */
    postMessage: async (message: Posted) => {
      if (!this.visible) return false;
      this.posted.push(structuredClone(message));
      return true;
    },
    onDidReceiveMessage: this.received.event,
  };
  readonly onDidChangeViewState = this.viewStateChanged.event;
  readonly onDidDispose = this.disposed.event;
  constructor(
    readonly viewType = 'fake',
    public title = '',
  ) {}
  reveal(): void {
    this.visible = true;
  }
  dispose(): void {
    this.disposed.fire();
  }
  fromWebview(message: unknown): void {
    this.received.fire(message);
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.viewStateChanged.fire({ webviewPanel: this });
  }
}
