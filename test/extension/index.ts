/**
 * The in-extension-host test suite, bundled to dist/test-extension.js.
 *
 * Two entry points:
 * - run(): what @vscode/test-electron calls (extensionTestsPath); throws when a test fails.
 * - runSuite(): what the hidden command `ddpg.test.runExtensionSuite` calls inside code-server;
 *   resolves with { passed, failed, failures } for the end-to-end harness.
 *
 * The suites are bundled into this file, so they are imported lazily *after* mocha has put its
 * TDD globals (suite, test, suiteSetup, …) in place; mocha itself stays an external require,
 * resolved from the repository's node_modules.
 */

import Mocha from 'mocha';

export interface SuiteResults {
  passed: number;
  failed: number;
  failures: Array<{ title: string; error: string }>;
}

export async function runSuite(): Promise<SuiteResults> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'dist/test-extension.js', mocha);
  await import('./commands.suite');
  await import('./settings.suite');
  await import('./tree.suite');
  await import('./training.suite');
  await import('./comparison.suite');
  await import('./dashboard.suite');
  return new Promise<SuiteResults>((resolve) => {
    const results: SuiteResults = { passed: 0, failed: 0, failures: [] };
    const runner = mocha.run();
    runner.on('pass', () => results.passed++);
    runner.on('fail', (test: Mocha.Test | Mocha.Hook, err: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: err?.stack ?? String(err) });
    });
    runner.on('end', () => resolve(results));
  });
}

export async function run(): Promise<void> {
  const results = await runSuite();
  if (results.failed > 0) {
    throw new Error(`${results.failed} extension test(s) failed:\n${results.failures.map((f) => `- ${f.title}: ${f.error.split('\n')[0]}`).join('\n')}`);
  }
}
