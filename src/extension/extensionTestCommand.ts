/**
 * A hidden command that runs the in-extension-host mocha suite and writes the results to a file.
 * code-server cannot be started with --extensionTestsPath, so the end-to-end harness invokes this
 * through the command palette instead. It exists only when DDPG_LAB_EXTENSION_TESTS is set.
 */

import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { CONTEXT_KEYS } from './contextKeys';
import type { DisposableLike } from './disposable';
import type { VSCode } from './vscodeApi';

export const TEST_COMMAND_ID = 'ddpg.test.runExtensionSuite';
export const TESTS_ENV = 'DDPG_LAB_EXTENSION_TESTS';
export const RESULTS_ENV = 'DDPG_LAB_EXTENSION_TEST_RESULTS';
export const TESTS_CONTEXT_KEY = CONTEXT_KEYS.extensionTestsEnabled;

export interface SuiteResults {
  passed: number;
  failed: number;
  failures: Array<{ title: string; error: string }>;
}

interface SuiteModule {
  runSuite(): Promise<SuiteResults>;
}

function failure(title: string, err: unknown): SuiteResults {
  const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { passed: 0, failed: 1, failures: [{ title, error }] };
}

/** Loads the bundled suite fresh (so it can run twice) and runs it; load errors become a failed result. */
export async function runSuiteFile(suitePath: string): Promise<SuiteResults> {
  if (!path.isAbsolute(suitePath)) return failure('load the extension test suite', new Error(`${TESTS_ENV} must be an absolute path; got ${suitePath}`));
  let suite: SuiteModule;
  try {
    const requireFromSuite = createRequire(suitePath);
    delete requireFromSuite.cache[requireFromSuite.resolve(suitePath)];
    suite = requireFromSuite(suitePath) as SuiteModule;
  } catch (err) {
    return failure(`load the extension test suite ${suitePath}`, err);
  }
  if (typeof suite.runSuite !== 'function') {
    return failure('load the extension test suite', new Error(`${suitePath} does not export runSuite()`));
  }
  try {
    return await suite.runSuite();
  } catch (err) {
    return failure('run the extension test suite', err);
  }
}

/** Registers the command when the environment asks for it; returns undefined otherwise. */
export function registerExtensionTestCommand(api: VSCode, env: NodeJS.ProcessEnv = process.env): DisposableLike | undefined {
  const suitePath = env[TESTS_ENV];
  if (!suitePath) return undefined;
  void api.commands.executeCommand('setContext', TESTS_CONTEXT_KEY, true);
  return api.commands.registerCommand(TEST_COMMAND_ID, async () => {
    const results = await runSuiteFile(suitePath);
    const resultsPath = env[RESULTS_ENV];
    if (resultsPath) {
      await fs.mkdir(path.dirname(resultsPath), { recursive: true });
      await fs.writeFile(resultsPath, JSON.stringify(results, null, 2) + '\n');
    }
    return results;
  });
}
