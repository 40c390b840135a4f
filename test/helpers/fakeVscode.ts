/**
 * One fake of the vscode API for the host tests. It is declared as `HostVscode`, the part of the
 * API that src/extension/ uses, so a member the fake lacks or gets the signature of wrong fails to
 * compile here instead of failing some test at run time. What a test scripts (the user's answers,
 * settings) or observes (messages shown, commands run, panels and watchers created) is on the
 * returned `FakeVscode`, next to `api`.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { VSCode } from '../../src/extension/vscodeApi';
import {
  ENUMS,
  FakeEventEmitter,
  FakeFileSystemWatcher,
  FakeMarkdownString,
  FakePanel,
  FakeRelativePattern,
  FakeStatusBarItem,
  FakeThemeColor,
  FakeThemeIcon,
  FakeTreeItem,
  FakeUri,
} from './fakeVscodeObjects';

/**
 * Every member of the vscode API that src/extension/ uses (extension.ts aside, which has the real
 * module). A member the extension starts to use belongs here too, and then in the fake.
 */
export interface HostVscode {
  Uri: Pick<typeof vscode.Uri, 'file' | 'joinPath'>;
  EventEmitter: typeof vscode.EventEmitter;
  TreeItem: typeof vscode.TreeItem;
  TreeItemCollapsibleState: typeof vscode.TreeItemCollapsibleState;
  ThemeIcon: typeof vscode.ThemeIcon;
  ThemeColor: typeof vscode.ThemeColor;
  MarkdownString: typeof vscode.MarkdownString;
  RelativePattern: typeof vscode.RelativePattern;
  ProgressLocation: typeof vscode.ProgressLocation;
  QuickPickItemKind: typeof vscode.QuickPickItemKind;
  StatusBarAlignment: typeof vscode.StatusBarAlignment;
  UIKind: typeof vscode.UIKind;
  ViewColumn: typeof vscode.ViewColumn;
  ConfigurationTarget: typeof vscode.ConfigurationTarget;
  commands: Pick<typeof vscode.commands, 'registerCommand' | 'executeCommand'>;
  window: Pick<
    typeof vscode.window,
    | 'showInformationMessage'
    | 'showWarningMessage'
    | 'showErrorMessage'
    | 'showQuickPick'
    | 'showSaveDialog'
    | 'showTextDocument'
    | 'withProgress'
    | 'createWebviewPanel'
    | 'registerWebviewPanelSerializer'
    | 'createStatusBarItem'
  >;
  workspace: Pick<typeof vscode.workspace, 'getConfiguration' | 'getWorkspaceFolder' | 'createFileSystemWatcher' | 'onDidChangeConfiguration' | 'workspaceFolders'>;
  env: Pick<typeof vscode.env, 'uiKind' | 'remoteName' | 'clipboard'>;
}

export interface ShownMessage {
  severity: 'information' | 'warning' | 'error';
  message: string;
  /** A modal's detail line. */
  detail?: string;
  /** The buttons offered. */
  items: string[];
}

export interface ExecutedCommand {
  command: string;
  args: unknown[];
}

export interface FakeVscodeOptions {
  /** `ddpg.<key>` → value, for getConfiguration('ddpg').get(key). */
  settings?: Record<string, unknown>;
  workspaceFolders?: string[];
  uiKind?: vscode.UIKind;
  remoteName?: string;
}

/** `Posted`: the type of what the host posts to its webview panels. */
export interface FakeVscode<Posted = unknown> {
  /** The fake as the extension's pieces take it. */
  readonly api: VSCode;
  /** Handlers registered with commands.registerCommand, by id. */
  readonly registered: Map<string, (...args: unknown[]) => unknown>;
  /** commands.executeCommand calls of ids nobody registered here (setContext, revealFileInOS, …). */
  readonly executed: ExecutedCommand[];
  readonly messages: ShownMessage[];
  /** The button the user clicks on a message; undefined dismisses it. */
  answer: (shown: ShownMessage) => string | undefined;
  /** What the user picks in a quick pick; undefined cancels it. */
  pick: (items: readonly unknown[], options: vscode.QuickPickOptions | undefined) => unknown;
  /** Where the user saves in a save dialog; undefined cancels it. */
  saveTo: string | undefined;
  readonly clipboard: string[];
  readonly panels: Array<FakePanel<Posted>>;
  readonly serializers: Map<string, vscode.WebviewPanelSerializer>;
  readonly watchers: FakeFileSystemWatcher[];
  readonly statusBarItems: FakeStatusBarItem[];
  /** A registered command run as VS Code would run it (a menu, the palette, executeCommand). */
  run(id: string, ...args: unknown[]): Promise<unknown>;
  /** A file event on every watcher still open. */
  fileEvent(kind: 'create' | 'change' | 'delete', fsPath: string): void;
  /** Settings written with WorkspaceConfiguration.update: `ddpg.<key>`, value and target. */
  readonly updates: Array<{ key: string; value: unknown; target: unknown }>;
  /** The user changes a setting (`ddpg.<key>`): stored, and onDidChangeConfiguration fires. */
  changeSetting(key: string, value: unknown): void;
}


/** For members no test reaches: loud if one starts to. */
const notFaked = (name: string) => (): never => {
  throw new Error(`the fake vscode API has no ${name}`);
};

export function fakeVscode<Posted = unknown>(options: FakeVscodeOptions = {}): FakeVscode<Posted> {
  const settings = new Map(Object.entries(options.settings ?? {}));
  const workspaceFolders = options.workspaceFolders ?? [];
  const configurationChanged = new FakeEventEmitter<vscode.ConfigurationChangeEvent>();
  const setSetting = (key: string, value: unknown) => {
    settings.set(key, value);
    configurationChanged.fire({ affectsConfiguration: (section: string) => key === section || key.startsWith(`${section}.`) });
  };
  const fake: Omit<FakeVscode<Posted>, 'api' | 'run' | 'fileEvent' | 'changeSetting'> = {
    updates: [],
    registered: new Map(),
    executed: [],
    messages: [],
    answer: () => undefined,
    pick: () => undefined,
    saveTo: undefined,
    clipboard: [],
    panels: [],
    serializers: new Map(),
    watchers: [],
    statusBarItems: [],
  };

  // The scripted answer is one of the items offered (or undefined): that is what the overloads promise.
  const showMessage =
    (severity: ShownMessage['severity']) =>
    async <T>(message: string, ...rest: unknown[]): Promise<T | undefined> => {
      const options = typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0]) ? (rest.shift() as vscode.MessageOptions) : undefined;
      const items = rest.map((item) => (typeof item === 'string' ? item : (item as vscode.MessageItem).title));
      const shown: ShownMessage = { severity, message, detail: options?.detail, items };
      fake.messages.push(shown);
      const answer = fake.answer(shown);
      return rest.find((item) => (typeof item === 'string' ? item : (item as vscode.MessageItem).title) === answer) as T | undefined;
    };

  const api: HostVscode = {
    ...ENUMS,
    Uri: {
      file: (fsPath: string) => new FakeUri('file', fsPath),
      joinPath: (base: vscode.Uri, ...segments: string[]) => base.with({ path: path.posix.join(base.path, ...segments) }),
    },
    EventEmitter: FakeEventEmitter,
    TreeItem: FakeTreeItem,
    ThemeIcon: FakeThemeIcon,
    ThemeColor: FakeThemeColor,
    MarkdownString: FakeMarkdownString,
    RelativePattern: FakeRelativePattern,
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        if (fake.registered.has(id)) throw new Error(`command '${id}' already exists`);
        fake.registered.set(id, handler);
        return { dispose: () => fake.registered.delete(id) };
      },
      executeCommand: async <T>(command: string, ...args: unknown[]): Promise<T> => {
        const handler = fake.registered.get(command);
        if (handler) return (await handler(...args)) as T;
        fake.executed.push({ command, args });
        return undefined as T;
      },
    },
    window: {
      showInformationMessage: showMessage('information'),
      showWarningMessage: showMessage('warning'),
      showErrorMessage: showMessage('error'),
      showQuickPick: async <T>(items: readonly T[] | Thenable<readonly T[]>, options?: vscode.QuickPickOptions) =>
        // Whatever the test picks stands for one of the items (or several, with canPickMany).
        fake.pick(await items, options) as never,
      showSaveDialog: async () => (fake.saveTo === undefined ? undefined : new FakeUri('file', fake.saveTo)),
      showTextDocument: notFaked('window.showTextDocument'),
      withProgress: async (_options, task) =>
        task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: new FakeEventEmitter<unknown>().event }),
      createWebviewPanel: (viewType: string, title: string) => {
        const panel = new FakePanel<Posted>(viewType, title);
        fake.panels.push(panel);
        return panel;
      },
      registerWebviewPanelSerializer: (viewType: string, serializer: vscode.WebviewPanelSerializer) => {
        fake.serializers.set(viewType, serializer);
        return { dispose: () => fake.serializers.delete(viewType) };
      },
      createStatusBarItem: (idOrAlignment?: string | vscode.StatusBarAlignment, alignmentOrPriority?: number, priority?: number) => {
        const item =
          typeof idOrAlignment === 'string'
            ? new FakeStatusBarItem(idOrAlignment, alignmentOrPriority ?? ENUMS.StatusBarAlignment.Left, priority)
            : new FakeStatusBarItem('', idOrAlignment ?? ENUMS.StatusBarAlignment.Left, alignmentOrPriority);
        fake.statusBarItems.push(item);
        return item;
      },
    },
    workspace: {
      getConfiguration: (section?: string) => ({
        // Like VS Code's, the object carries the section's values as its own properties, keys
        // no extension declares included (a user's typo in settings.json).
        ...Object.fromEntries(
          [...settings].flatMap(([full, value]) => (section && full.startsWith(`${section}.`) ? [[full.slice(section.length + 1), value]] : [])),
        ),
        get: <T>(key: string, defaultValue?: T): T => {
          const full = section ? `${section}.${key}` : key;
          return (settings.has(full) ? settings.get(full) : defaultValue) as T;
        },
        has: (key: string) => settings.has(section ? `${section}.${key}` : key),
        // The fake has one scope: whatever is set is the user's.
        inspect: <T>(key: string) => {
          const full = section ? `${section}.${key}` : key;
          return { key: full, ...(settings.has(full) ? { globalValue: settings.get(full) as T } : {}) };
        },
        update: async (key: string, value: unknown, target?: unknown) => {
          const full = section ? `${section}.${key}` : key;
          fake.updates.push({ key: full, value, target });
          setSetting(full, value);
        },
      }),
      onDidChangeConfiguration: configurationChanged.event,
      workspaceFolders: workspaceFolders.map((folder, index) => ({ uri: new FakeUri('file', folder), name: path.basename(folder), index })),
      getWorkspaceFolder: (uri: vscode.Uri) => {
        const index = workspaceFolders.findIndex((folder) => !path.relative(folder, uri.fsPath).startsWith('..'));
        if (index < 0) return undefined;
        return { uri: new FakeUri('file', workspaceFolders[index]), name: path.basename(workspaceFolders[index]), index };
      },
      createFileSystemWatcher: (pattern: vscode.GlobPattern) => {
        const watcher = new FakeFileSystemWatcher(pattern);
        fake.watchers.push(watcher);
        return watcher;
      },
    },
    env: {
      uiKind: options.uiKind ?? ENUMS.UIKind.Desktop,
      remoteName: options.remoteName,
      clipboard: {
        readText: async () => fake.clipboard[fake.clipboard.length - 1] ?? '',
        writeText: async (text: string) => void fake.clipboard.push(text),
      },
    },
  };

  return Object.assign(fake, {
    // The pieces take the whole module's type; the fake is checked against HostVscode above.
    api: api as unknown as VSCode,
    run: async (id: string, ...args: unknown[]) => {
      const handler = fake.registered.get(id);
      if (!handler) throw new Error(`no command ${id} is registered`);
      return handler(...args);
    },
    changeSetting: setSetting,
    fileEvent: (kind: 'create' | 'change' | 'delete', fsPath: string) => {
      for (const watcher of fake.watchers) if (!watcher.disposed) watcher.fire(kind, fsPath);
    },
  });
}
