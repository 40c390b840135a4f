/**
 * The webview pages' HTML (the dashboard, the run comparison): one root element and one script,
 * locked down by a CSP whose only script source is a fresh nonce. The markup is a contract with
 * webview/ (each page mounts into #app). A page that adds a script later (the dashboard's 3D
 * renderer, from beside its own in dist/: webview/renderers/rendererScripts.ts) gives it the same
 * nonce, so the policy needs no other script source.
 */

import { randomBytes } from 'node:crypto';

export interface WebviewPageOptions {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri(dist/<page>.js) as a string */
  scriptUri: string;
  /** webview.asWebviewUri(media/<sheet>.css) as strings, linked in this order */
  styleUris: string[];
  title: string;
  /** data-testid of the root element, for tests that find the page inside the workbench */
  rootTestId: string;
}

/** 128 random bits; hex so it never needs escaping in an attribute or a CSP. */
export function createNonce(): string {
  return randomBytes(16).toString('hex');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function webviewPageHtml(options: WebviewPageOptions): string {
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${options.styleUris.map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">`).join('\n')}
<title>${escapeAttribute(options.title)}</title>
</head>
<body><div id="app" data-testid="${escapeAttribute(options.rootTestId)}"></div><script nonce="${options.nonce}" src="${escapeAttribute(options.scriptUri)}"></script></body>
</html>
`;
}
