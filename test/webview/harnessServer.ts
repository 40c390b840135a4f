/**
 * Serves the webview harnesses over HTTP on localhost: the dashboard page (/) and the comparison
 * page (/compare.html), their fake hosts bundled on the fly from page/*.mts, and the real
 * dist/webview.js, dist/compare.js and media/*.css (build first with `npm run build`). HTTP rather than file:// so the page's CSP ('self') means what it
 * means in VS Code.
 *
 * Run directly to open the harness in any browser:
 *   node --import tsx test/webview/harnessServer.ts   →   http://127.0.0.1:<port>/?scenario=live
 */

import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

const here = __dirname;
const repoRoot = join(here, '..', '..');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Repository folders the page may load from, like the panel's localResourceRoots. */
const SERVED_FOLDERS = ['dist', 'media'];

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

async function bundleFakeHost(file: string): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(here, 'page', file)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

function repoFile(urlPath: string): string | null {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^[/\\]+/, '');
  const [folder] = relative.split(/[/\\]/);
  if (!SERVED_FOLDERS.includes(folder) || relative.split(sep).includes('..')) return null;
  const file = join(repoRoot, relative);
  return existsSync(file) ? file : null;
}

export async function startHarnessServer(): Promise<HarnessServer> {
  for (const bundle of ['webview.js', 'compare.js']) {
    if (!existsSync(join(repoRoot, 'dist', bundle))) throw new Error(`dist/${bundle} is missing: run \`npm run build\` first`);
  }
  const [fakeHost, fakeComparisonHost] = await Promise.all([bundleFakeHost('fakeHost.mts'), bundleFakeHost('fakeComparisonHost.mts')]);
  const page = readFileSync(join(here, 'page', 'harness.html'), 'utf8');
  const comparisonPage = readFileSync(join(here, 'page', 'comparison.html'), 'utf8');
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://harness').pathname;
    const reply = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      response.end(body);
    };
    if (path === '/' || path === '/index.html') return reply(200, CONTENT_TYPES['.html'], page);
    if (path === '/harness.js') return reply(200, CONTENT_TYPES['.js'], fakeHost);
    if (path === '/compare.html') return reply(200, CONTENT_TYPES['.html'], comparisonPage);
    if (path === '/compare-harness.js') return reply(200, CONTENT_TYPES['.js'], fakeComparisonHost);
    // Browsers ask for it unprompted; VS Code webviews never do.
    if (path === '/favicon.ico') return reply(204, 'image/x-icon', '');
    const file = repoFile(path);
    if (!file) return reply(404, 'text/plain', 'not found');
    const extension = file.slice(file.lastIndexOf('.'));
    reply(200, CONTENT_TYPES[extension] ?? 'application/octet-stream', readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (require.main === module) {
  void startHarnessServer().then((server) => {
    console.log(`Dashboard harness: ${server.url}?scenario=live&theme=dark`);
    console.log(`Comparison harness: ${server.url}compare.html?theme=dark`);
    console.log('Scenarios: live, starting, inspect, evaluate, none. Themes: dark, light, high-contrast. Ctrl+C stops.');
  });
}
