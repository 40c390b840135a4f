/**
 * `npm run test:vscode`: runs the bundled suite (dist/test-extension.js) in a downloaded VS Code
 * through @vscode/test-electron. Needs `npm run build` first and internet access for the
 * download; on machines without it, run the same suite in code-server through the hidden
 * command `ddpg.test.runExtensionSuite` instead (see scripts/ and test/e2e/).
 */

import { existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const suite = path.join(root, 'dist', 'test-extension.js');
  if (!existsSync(suite)) throw new Error(`${suite} is missing: run \`npm run build\` first`);
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'ddpg-vscode-test-'));
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
