// The layering of the architecture (design v2, "Layers, and who may import whom"), checked by `npm run lint`:
//   src/shared/     imports nothing outside src/shared/; no Node built-ins except in src/shared/node/
//   src/agent/      src/shared/ and itself (+ npm packages, Node built-ins); never the host, the webview, vscode
//   src/extension/  src/shared/ (incl. node/) and itself, vscode, Node built-ins; never src/agent/ (it starts
//                   the agent's bundles as processes) nor webview/
//   webview/        src/shared/ (not node/) and itself, browser npm packages; never src/agent/, src/extension/,
//                   Node built-ins, vscode
// and only src/agent/env/ names a particular environment (everyone else goes through src/agent/env/index.ts).
// test/unit/layering.test.ts checks that each rule fires on a crossing import.

/** `vscode` resolves to @types/vscode when installed, else stays unresolved as the bare name. */
const VSCODE = '^vscode$|(^|/)node_modules/@types/vscode/';
/** Files that name one environment; only src/agent/env/ may import them. */
const PARTICULAR_ENVIRONMENT = '^src/agent/env/(pendulum|mountainCarContinuous)\\.ts$|^src/agent/env/mujoco/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-only-shared',
      severity: 'error',
      comment: 'src/shared/ is what every side agrees on: it imports nothing outside src/shared/ (no agent, host, webview, vscode or npm package).',
      from: { path: '^src/shared/' },
      to: { pathNot: '^src/shared/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      comment: 'src/shared/ runs in the webview too: no Node built-ins. Only src/shared/node/ (the run directory I/O) may use them.',
      from: { path: '^src/shared/', pathNot: '^src/shared/node/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-no-circular',
      severity: 'error',
      comment: 'No import cycles within src/shared/.',
      from: { path: '^src/shared/' },
      to: { path: '^src/shared/', circular: true },
    },
    {
      name: 'agent-only-shared-and-agent',
      severity: 'error',
      comment: 'The agent (trainer process, CLI) imports src/shared/ and itself; never the extension host, the webview or vscode.',
      from: { path: '^src/agent/' },
      to: { path: [`^(src/extension|webview)/`, VSCODE] },
    },
    {
      name: 'extension-no-agent',
      severity: 'error',
      comment: 'The extension host starts the agent bundles as processes; it does not import agent code (shared code lives in src/shared/).',
      from: { path: '^src/extension/' },
      to: { path: '^src/agent/' },
    },
    {
      name: 'extension-no-webview',
      severity: 'error',
      comment: 'The extension host talks to the webview through messages (src/shared/protocol.ts); it does not import webview code.',
      from: { path: '^src/extension/' },
      to: { path: '^webview/' },
    },
    {
      name: 'webview-only-shared-and-webview',
      severity: 'error',
      comment: 'Webview code is browser code: src/shared/ and itself (and browser npm packages); never the agent, the host or vscode.',
      from: { path: '^webview/' },
      to: { path: ['^src/(agent|extension)/', VSCODE] },
    },
    {
      name: 'webview-no-shared-node',
      severity: 'error',
      comment: 'src/shared/node/ is Node file I/O; the webview cannot run it.',
      from: { path: '^webview/' },
      to: { path: '^src/shared/node/' },
    },
    {
      name: 'webview-no-node-builtins',
      severity: 'error',
      comment: 'Webview code runs in a browser: no Node built-ins.',
      from: { path: '^webview/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-test-code-in-product',
      severity: 'error',
      comment: 'Product code (src/, webview/) does not import tests, benchmarks or scripts.',
      from: { path: '^(src|webview)/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'no-particular-environment',
      severity: 'error',
      comment: 'Only src/agent/env/ imports a particular environment; everyone else goes through src/agent/env/index.ts (makeEnv, the registry). Tests may.',
      from: { path: '^(src|webview|bench)/', pathNot: '^src/agent/env/' },
      to: { path: PARTICULAR_ENVIRONMENT },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // AssemblyScript, compiled on its own (scripts/build-wasm.mjs); it imports only its siblings.
    exclude: { path: '^src/agent/engine/wasm/assembly/' },
    // Type-only imports cross layers too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    cache: false,
  },
};
