/** The hidden test-suite command: registered only with DDPG_LAB_EXTENSION_TESTS, and it always writes a result file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerExtensionTestCommand, runSuiteFile, TEST_COMMAND_ID } from '../../src/extension/extensionTestCommand';
import { fakeVscode } from '../helpers/fakeVscode';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-suite-'));

test('without the environment variable nothing is registered', () => {
  const { api, registered, executed } = fakeVscode();
  assert.equal(registerExtensionTestCommand(api, {}), undefined);
  assert.equal(registered.size, 0);
  assert.deepEqual(executed, []);
});

test('with it, the command runs the suite, writes the results and returns them', async () => {
  const suite = path.join(dir, 'suite.js');
  writeFileSync(suite, `let runs = 0; exports.runSuite = async () => ({ passed: 3 + runs++, failed: 0, failures: [] });`);
  const results = path.join(dir, 'out', 'results.json');
  const { api, registered, executed } = fakeVscode();
  registerExtensionTestCommand(api, { DDPG_LAB_EXTENSION_TESTS: suite, DDPG_LAB_EXTENSION_TEST_RESULTS: results });
  assert.deepEqual(executed, [{ command: 'setContext', args: ['ddpg.extensionTestsEnabled', true] }]);
  const returned = await registered.get(TEST_COMMAND_ID)!();
  assert.deepEqual(returned, { passed: 3, failed: 0, failures: [] });
  assert.deepEqual(JSON.parse(readFileSync(results, 'utf8')), returned);
  assert.deepEqual(await registered.get(TEST_COMMAND_ID)!(), { passed: 3, failed: 0, failures: [] }, 'the suite is loaded fresh for every run');
});

test('a suite that cannot be loaded is a failed result, not a hang or a throw', async () => {
  const missing = await runSuiteFile(path.join(dir, 'missing.js'));
  assert.equal(missing.failed, 1);
  assert.match(missing.failures[0].error, /Cannot find module/);
  const relative = await runSuiteFile('dist/test-extension.js');
  assert.match(relative.failures[0].error, /must be an absolute path/);
  const broken = path.join(dir, 'broken.js');
  writeFileSync(broken, `exports.somethingElse = 1;`);
  assert.match((await runSuiteFile(broken)).failures[0].error, /does not export runSuite/);
  const throwing = path.join(dir, 'throwing.js');
  writeFileSync(throwing, `exports.runSuite = async () => { throw new Error('mocha exploded'); };`);
  assert.match((await runSuiteFile(throwing)).failures[0].error, /mocha exploded/);
});
