// Flow (a): the mocha suite of test/extension, run inside the real extension host of
// code-server. code-server cannot be started with --extensionTestsPath, so the extension
// registers a test-only command when DDPG_LAB_EXTENSION_TESTS names the bundled suite; the
// command runs it and writes { passed, failed, failures } to DDPG_LAB_EXTENSION_TEST_RESULTS.
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, readJsonIfComplete } from '../../scripts/code-server.mjs';
import { startFlowEnvironment } from './environment.mjs';
import { openActivityBarContainer, openWorkbench, runPaletteCommand, waitUntil } from './workbench.mjs';

export const SUITE_BUNDLE = join(ROOT, 'dist', 'test-extension.js');
const TEST_COMMAND_TITLE = 'DDPG Lab (test): Run Extension Test Suite';
const SUITE_TIMEOUT_MS = 15 * 60_000;

export async function runExtensionSuiteFlow({ browser, runner, vsix, tmpRoot, outDir }) {
  let environment;
  const consoleLog = [];
  try {
    await runner.step('extension-host mocha suite passes (test/extension)', 'extension-suite', async () => {
      if (!existsSync(SUITE_BUNDLE)) {
        throw new Error(
          `${relative(ROOT, SUITE_BUNDLE)} does not exist: esbuild bundles it from test/extension/index.ts, which is not there yet`,
        );
      }
      const resultsFile = join(tmpRoot, 'extension-suite-results.json');
      environment = await startFlowEnvironment({
        name: 'extension-suite',
        vsix,
        tmpRoot,
        logDir: outDir,
        env: { DDPG_LAB_EXTENSION_TESTS: SUITE_BUNDLE, DDPG_LAB_EXTENSION_TEST_RESULTS: resultsFile },
      });
      const page = await openWorkbench(browser, environment.server.folderUrl, consoleLog);
      runner.setPage(page);
      // The test command is listed only once the extension is active (its `when` clause is a
      // context key the extension sets), and nothing activates it at startup: opening the DDPG
      // side bar does, as it would for a person.
      await openActivityBarContainer(page, 'DDPG');
      await runPaletteCommand(page, TEST_COMMAND_TITLE, { timeoutMs: 120_000 });
      const { results } = await waitUntil(
        `the suite's results in ${resultsFile}`,
        async () => {
          const results = readJsonIfComplete(resultsFile);
          return { ok: results !== undefined && typeof results.failed === 'number', results };
        },
        { timeoutMs: SUITE_TIMEOUT_MS, intervalMs: 1000 },
      );
      writeFileSync(join(outDir, 'extension-suite-results.json'), `${JSON.stringify(results, null, 2)}\n`);
      for (const failure of results.failures ?? []) {
        console.log(`     ✗ ${failure.title}\n${indent(failure.error, '         ')}`);
      }
      if (results.failed > 0) throw new Error(`${results.failed} of ${results.passed + results.failed} tests failed`);
      // A suite that ran nothing proves nothing.
      if (!(results.passed > 0)) throw new Error(`the suite reported no passing tests: ${JSON.stringify(results)}`);
      return `${results.passed} tests passed`;
    });
  } finally {
    writeFileSync(join(outDir, 'browser-console-extension-suite.log'), `${consoleLog.join('\n')}\n`);
    await runner.page?.close().catch(() => {});
    runner.setPage(null);
    await environment?.server.stop();
  }
}

function indent(text, prefix) {
  return String(text ?? '')
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
