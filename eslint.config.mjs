// ESLint flat config: typescript-eslint's type-aware recommended rules for the sources, the webview,
// the tests, the benchmarks and the scripts (each TypeScript file is checked against its nearest
// tsconfig.json: the root one, webview/ or test/webview/page/). `npm run lint` runs it after the
// unused-locals type check and the layering check (.dependency-cruiser.cjs).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'dist/',
    'node_modules/',
    '.vscode-test/',
    'test-results/',
    // AssemblyScript: TypeScript syntax, but its own types (i32, f32, v128, …) and semantics.
    'src/agent/engine/wasm/assembly/**',
  ]),
  {
    files: ['{src,webview,test,bench,scripts}/**/*.{ts,mts,cts,js,mjs,cjs}', '*.{mjs,cjs}', '.dependency-cruiser.cjs'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The same convention as tsc --noUnusedParameters: a leading underscore marks "unused on purpose",
      // and `{ dropped: _, ...rest }` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `let x; … x = make({ onEvent: () => x.… })`: a closure that reads x before it is assigned is
      // deliberate (callbacks handed to the constructor); const would turn that into a TDZ error.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // node:test's test()/describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
    },
  },
  {
    // Test fakes implement async interfaces (Thenable-returning vscode APIs, loaders) with `async`
    // methods that need no await.
    files: ['test/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // The Playwright drivers' page.evaluate callbacks run in the page, but these files compile without
    // the DOM library, so the DOM values they use and return (Element, NodeList) have no type here.
    files: ['test/webview/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Plain JavaScript (scripts, e2e drivers, some benchmarks) is in no tsconfig: no type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Node: the trainer/CLI, the extension host, the run directory I/O, the tests and benchmarks,
    // the build scripts and the root config files. (src/shared/ outside node/ is neither Node nor browser: ES globals only.)
    files: ['src/agent/**', 'src/extension/**', 'src/shared/node/**', 'test/**', 'bench/**', 'scripts/**', '*.{mjs,cjs}', '.dependency-cruiser.cjs'],
    ignores: ['test/webview/page/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Browser: the webview pages and the test harness page that hosts them.
    files: ['webview/**', 'test/webview/page/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Playwright drivers written in JavaScript: their page.evaluate / waitForFunction callbacks run in
    // the page, so browser globals are defined there as well.
    files: ['bench/dashboard-throughput.mjs', 'test/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The in-VS Code suites are mocha files (describe/it/suite/test as globals).
    files: ['test/extension/**'],
    languageOptions: { globals: { ...globals.mocha } },
  },
);
