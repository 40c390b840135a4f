// npm test = `npm run check-types && npm run lint && node scripts/test.mjs`. After the type checks
// and the lint this builds (which must pass before anything is tested), then runs every test
// layer (unit, process, webview, end to end), each even when an earlier one failed, so one run
// shows everything that is wrong. It ends with one line for the whole run:
// "npm test: N passed, N failed (unit …, process …, webview …, e2e …)"; exits 1 if anything failed.
import { spawn } from 'node:child_process';

const gates = ['build'];
const layers = ['test:unit', 'test:process', 'test:webview', 'test:e2e'];

/** Runs `npm run <script>`, echoing its output, and returns its exit code and what it printed. */
function run(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Counts in a layer's output: node --test's "# pass N" / "# fail N", or the e2e harness's "N passed, N failed". */
function counts(output) {
  const tap = [...output.matchAll(/^# (pass|fail) (\d+)$/gm)];
  if (tap.length > 0) {
    const sum = (kind) => tap.filter((m) => m[1] === kind).reduce((n, m) => n + Number(m[2]), 0);
    return { passed: sum('pass'), failed: sum('fail') };
  }
  const e2e = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)].at(-1);
  return e2e ? { passed: Number(e2e[1]), failed: Number(e2e[2]) } : null;
}

for (const gate of gates) {
  const { code } = await run(gate);
  if (code !== 0) {
    console.log(`\nnpm test: stopped — "npm run ${gate}" failed (exit ${code}); no tests were run`);
    process.exit(1);
  }
}

const results = [];
for (const layer of layers) {
  const { code, output } = await run(layer);
  const found = counts(output);
  // A layer that failed without reporting counts (it could not start) is one failure, not zero.
  results.push({ layer: layer.replace('test:', ''), code, passed: found?.passed ?? 0, failed: found ? Math.max(found.failed, code === 0 ? 0 : 1) : code === 0 ? 0 : 1 });
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const parts = results.map((r) => `${r.layer} ${r.passed}/${r.passed + r.failed}`).join(', ');
console.log(`\nnpm test: ${passed} passed, ${failed} failed (${parts})`);
process.exit(failed > 0 || results.some((r) => r.code !== 0) ? 1 : 0);
