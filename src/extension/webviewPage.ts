/**
 * What the extension's two webview pages (the dashboard, the run comparison) share on the host
 * side: the webview options (scripts on, resources from dist/ and media/ only), the editor panel
 * they open in, and their HTML with every URI resolved for the webview.
 */

import type * as vscode from 'vscode';
import type { VSCode } from './vscodeApi';
import { createNonce, webviewPageHtml } from './webviewHtml';

export interface WebviewPage {
  /** dist/<script> */
  script: string;
  /** media/<sheet>, linked in this order */
  styles: string[];
  title: string;
  rootTestId: string;
}

export function webviewPageOptions(api: VSCode, extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [api.Uri.joinPath(extensionUri, 'dist'), api.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * A panel in the active editor column. retainContextWhenHidden stays off: a hidden page's document
 * is destroyed, and when it comes back it says `ready` and the host sends everything again.
 */
export function createPagePanel(api: VSCode, extensionUri: vscode.Uri, viewType: string, title: string, enableFindWidget: boolean): vscode.WebviewPanel {
  return api.window.createWebviewPanel(
    viewType,
    title,
    { viewColumn: api.ViewColumn.Active, preserveFocus: false },
    { ...webviewPageOptions(api, extensionUri), retainContextWhenHidden: false, enableFindWidget },
  );
}

export function pageHtml(api: VSCode, webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const asUri = (...segments: string[]) => webview.asWebviewUri(api.Uri.joinPath(extensionUri, ...segments)).toString();
  return webviewPageHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: asUri('dist', page.script),
    styleUris: page.styles.map((sheet) => asUri('media', sheet)),
    title: page.title,
    rootTestId: page.rootTestId,
  });
}
