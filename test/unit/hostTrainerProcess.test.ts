/**
 * The trainer child-process wrapper, against small real child processes that speak the protocol
 * (the real trainer is tested in test/process): event validation and unpacking of batches, output
 * lines, exit classification, stop → clean exit, stop timeout → tree kill.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../../src/shared/config';
import { unpackTrainerMessage, type TrainerToHost } from '../../src/shared/protocol';
import { classifyExit, LineSplitter, Tail, TrainerProcess, type TrainerListeners } from '../../src/extension/trainerProcess';
import { descendantsOf, parsePsTable } from '../../src/extension/processTree';
import * as net from 'node:net';
import { readLogTail, SocketTrainer } from '../../src/extension/socketTrainer';
import { LOCK_FORMAT_VERSION, type TrainerLock } from '../../src/shared/node/trainerLock';
import { listenPrivately, socketPathFor } from '../../src/shared/node/trainerSocket';
import { waitFor } from '../helpers/waitFor';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-fake-trainer-'));

/** Writes a fake trainer; `onStop` is the JS run when it receives `stop`. */
function fakeTrainer(name: string, body: string): string {
  const file = path.join(dir, `${name}.js`);
  writeFileSync(file, body);
  return file;
}

const polite = fakeTrainer(
  'polite',
  `
process.on('message', (m) => {
  if (m.type === 'start') {
    process.send({ type: 'started', engine: { engine: 'wasm', backend: 'fake' }, run: { id: 'r1' } });
    process.send({ type: 'episode', row: 'not a row' });
    process.send({ type: 'log', level: 'info', message: 'execArgv=' + JSON.stringify(process.execArgv) });
    process.stderr.write('line one\\nline tw');
    process.stderr.write('o\\npartial at exit');
  }
  if (m.type === 'stop') process.send({ type: 'exiting', status: 'stopped' }, () => process.exit(0));
});
`,
);

const stubborn = fakeTrainer(
  'stubborn',
  `
const { spawn } = require('node:child_process');
// A grandchild, so that killing the tree is what it takes.
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
process.on('message', (m) => {
  if (m.type === 'start') process.send({ type: 'log', level: 'info', message: 'grandchild ' + child.pid });
});
process.on('SIGTERM', () => {});
setInterval(() => {}, 1000);
`,
);

const crasher = fakeTrainer(
  'crasher',
  `
process.on('message', (m) => {
  if (m.type === 'start') {
    // Exits once the message is out (the callback comes after the stderr write, which is synchronous on a pipe).
    process.send({ type: 'error', message: 'engine exploded' }, () => process.exit(3));
    process.stderr.write('Error: engine exploded\\n    at somewhere\\n');
  }
});
`,
);

const silent = fakeTrainer('silent', `process.on('message', () => process.exit(0));`);

const batching = fakeTrainer(
  'batching',
  `
const episode = (n) => ({ type: 'episode', row: { type: 'episode', episode: n, step: n * 60, return: -n, length: 60, criticLoss: null, actorLoss: null, meanQ: null, wallTime: n } });
process.on('message', (m) => {
  if (m.type === 'start') {
    process.send({ type: 'started', engine: { engine: 'wasm', backend: 'fake' }, run: { id: 'r1' } });
    process.send({ type: 'batch', events: [episode(1), { type: 'episode', row: 'not a row' }, episode(2), { type: 'log', level: 'info', message: 'after 2' }] });
    process.send({ type: 'batch', events: [{ type: 'batch', events: [episode(99)] }, episode(3)] });
    process.send({ type: 'batch', events: 'not a list' });
    process.send(episode(4));
  }
  if (m.type === 'stop') {
    process.send({ type: 'batch', events: [episode(5), { type: 'status', status: { state: 'stopped', step: 300 } }, { type: 'exiting', status: 'stopped' }] }, () => process.exit(0));
  }
});
`,
);

function collect(): TrainerListeners & { events: TrainerToHost[]; invalid: unknown[]; lines: string[] } {
  const events: TrainerToHost[] = [];
  const invalid: unknown[] = [];
  const lines: string[] = [];
  return {
    events,
    invalid,
    lines,
    onEvent: (e) => events.push(e),
    onInvalidMessage: (m) => invalid.push(m),
    onOutput: (line, stream) => lines.push(`${stream}:${line}`),
  };
}

/** Alive = exists and is not a zombie (an orphan's zombie may linger when init does not reap). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): the signal check is all we have
  }
}

const startCommand = { type: 'start' as const, runDir: dir, config: defaultConfig(), streamFrames: false };

test('valid events are delivered, invalid ones reported, stderr kept as lines, no inherited execArgv', async () => {
  const listeners = collect();
  const trainer = TrainerProcess.launch({ script: polite }, listeners);
  assert.equal(trainer.send(startCommand), true);
  await waitFor(() => listeners.events.some((e) => e.type === 'log'), 'the last event the trainer sends on start');
  const exit = await trainer.stop(true, 5000);
  assert.deepEqual(listeners.events.map((e) => e.type), ['started', 'log', 'exiting']);
  assert.equal(listeners.invalid.length, 1, 'the malformed episode event is rejected');
  const log = listeners.events.find((e) => e.type === 'log') as { message: string };
  assert.equal(log.message, 'execArgv=[]');
  assert.deepEqual(trainer.stderrTail(), ['line one', 'line two', 'partial at exit']);
  assert.deepEqual(exit, { code: 0, signal: null, exitingStatus: 'stopped' });
  assert.deepEqual(classifyExit(exit), { crashed: false });
  assert.equal(trainer.isRunning, false);
  assert.equal(trainer.send({ type: 'pause' }), false, 'nothing can be sent to an exited trainer');
});

test('batched events reach the listener one by one, in order; each invalid one is reported alone', async () => {
  const listeners = collect();
  const trainer = TrainerProcess.launch({ script: batching }, listeners);
  trainer.send(startCommand);
  await waitFor(() => listeners.events.some((e) => e.type === 'episode' && e.row.episode === 4), 'episode 4, the last event the trainer sends on start');
  const exit = await trainer.stop(true, 5000);
  const described = listeners.events.map((e) => (e.type === 'episode' ? `episode ${e.row.episode}` : e.type));
  assert.deepEqual(described, ['started', 'episode 1', 'episode 2', 'log', 'episode 3', 'episode 4', 'episode 5', 'status', 'exiting']);
  assert.deepEqual(listeners.invalid, [
    { type: 'episode', row: 'not a row' },
    { type: 'batch', events: [{ type: 'episode', row: { type: 'episode', episode: 99, step: 5940, return: -99, length: 60, criticLoss: null, actorLoss: null, meanQ: null, wallTime: 99 } }] },
    { type: 'batch', events: 'not a list' },
  ]);
  assert.deepEqual(exit, { code: 0, signal: null, exitingStatus: 'stopped' }, 'the exiting status is read from inside a batch');
  assert.deepEqual(classifyExit(exit), { crashed: false });
});

test('unpackTrainerMessage: a single event passes through; invalid messages are reported, not delivered', () => {
  const events: TrainerToHost[] = [];
  const invalid: unknown[] = [];
  const unpack = (m: unknown) => unpackTrainerMessage(m, (e) => events.push(e), (m) => invalid.push(m));
  const log: TrainerToHost = { type: 'log', level: 'info', message: 'hi' };
  unpack(log);
  unpack(null);
  unpack({ type: 'batch' });
  unpack({ type: 'batch', events: [] });
  unpack({ type: 'bunch', events: [log] });
  assert.deepEqual(events, [log]);
  assert.deepEqual(invalid, [null, { type: 'batch' }, { type: 'bunch', events: [log] }]);
});

test('unpackTrainerMessage: a listener that throws does not cost the events after it; the error comes out afterwards', () => {
  const log = (message: string): TrainerToHost => ({ type: 'log', level: 'info', message });
  const seen: string[] = [];
  const onEvent = (e: TrainerToHost) => {
    if (e.type !== 'log') return;
    seen.push(e.message);
    if (e.message.startsWith('bad')) throw new Error(e.message);
  };
  assert.throws(() => unpackTrainerMessage({ type: 'batch', events: [log('a'), log('bad 1'), log('b')] }, onEvent, () => {}), { message: 'bad 1' });
  assert.deepEqual(seen, ['a', 'bad 1', 'b']);
  seen.length = 0;
  assert.throws(
    () => unpackTrainerMessage({ type: 'batch', events: [log('bad 1'), log('c'), log('bad 2')] }, onEvent, () => {}),
    (err: unknown) => err instanceof AggregateError && err.errors.map((e: Error) => e.message).join() === 'bad 1,bad 2',
  );
  assert.deepEqual(seen, ['bad 1', 'c', 'bad 2']);
});

test('a trainer that ignores stop is killed with its children after the timeout', async () => {
  const listeners = collect();
  const trainer = TrainerProcess.launch({ script: stubborn }, listeners);
  let grandchild = 0;
  try {
    trainer.send(startCommand);
    await waitFor(() => listeners.events.length > 0, 'the trainer to name its grandchild');
    grandchild = Number((listeners.events[0] as { message: string }).message.split(' ')[1]);
    assert.ok(grandchild > 0);
    // How long the kill takes is the machine's business: the message says it came from the timeout.
    const exit = await trainer.stop(true, 300);
    assert.equal(exit.signal, 'SIGKILL');
    assert.match(exit.killedBecause ?? '', /did not stop within 0\.3 s/);
    const verdict = classifyExit(exit);
    assert.equal(verdict.crashed, true);
    await waitFor(() => !isAlive(grandchild), 'the grandchild to be gone too');
  } finally {
    // A failed assertion must not leave processes behind that keep this test file from ending.
    if (trainer.isRunning) await trainer.kill('the test is over');
    if (grandchild > 0 && isAlive(grandchild)) process.kill(grandchild, 'SIGKILL');
  }
});

test('a non-zero exit is a crash and its stderr is kept', async () => {
  const listeners = collect();
  const trainer = TrainerProcess.launch({ script: crasher }, listeners);
  trainer.send(startCommand);
  const exit = await trainer.exited;
  assert.equal(exit.code, 3);
  assert.deepEqual(classifyExit(exit), { crashed: true, reason: 'the trainer exited with code 3' });
  assert.deepEqual(trainer.stderrTail(), ['Error: engine exploded', '    at somewhere']);
  assert.equal(listeners.events[0]?.type, 'error');
});

test('exit code 0 without an exiting event is still a crash', async () => {
  const trainer = TrainerProcess.launch({ script: silent }, collect());
  trainer.send(startCommand);
  const exit = await trainer.exited;
  assert.equal(exit.code, 0);
  assert.deepEqual(classifyExit(exit), { crashed: true, reason: 'the trainer exited without reporting its final status' });
});

test('a script that does not exist ends as a crash, not a hang', async () => {
  const trainer = TrainerProcess.launch({ script: path.join(dir, 'missing.js') }, collect());
  const exit = await trainer.exited;
  assert.equal(classifyExit(exit).crashed, true);
  assert.ok(trainer.stderrTail().some((l) => l.includes('Cannot find module')));
});

test('classifyExit: signals, spawn errors and host kills are crashes with a reason', () => {
  assert.deepEqual(classifyExit({ code: null, signal: 'SIGSEGV' }), { crashed: true, reason: 'the trainer was killed by signal SIGSEGV' });
  assert.deepEqual(classifyExit({ code: null, signal: null, spawnError: 'ENOENT' }), { crashed: true, reason: 'the trainer could not be started: ENOENT' });
  assert.deepEqual(classifyExit({ code: 0, signal: null, exitingStatus: 'stopped', killedBecause: 'too slow' }), { crashed: true, reason: 'too slow' });
  assert.deepEqual(classifyExit({ code: 0, signal: null, exitingStatus: 'finished' }), { crashed: false });
});

test('classifyExit: a trainer let go is no end of its run; an attached one that vanished in silence is a crash', () => {
  assert.deepEqual(classifyExit({ code: null, signal: null, detached: true }), { crashed: false });
  assert.deepEqual(classifyExit({ code: null, signal: null, detached: true, lostConnection: 'socket refused' }), { crashed: false });
  assert.deepEqual(classifyExit({ code: null, signal: null }), { crashed: true, reason: 'the trainer process ended without reporting its final status' });
  assert.deepEqual(classifyExit({ code: 0, signal: null, exitingStatus: 'stopped' }), { crashed: false });
});

test('readLogTail: the last lines of trainer.log, none when it is missing', () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-logtail-'));
  assert.deepEqual(readLogTail(runDir), []);
  writeFileSync(path.join(runDir, 'trainer.log'), Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n');
  assert.deepEqual(readLogTail(runDir, 3), ['line 97', 'line 98', 'line 99']);
});

test('LineSplitter joins chunks, strips CR, cuts runaway lines and flushes the last partial line', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l), 10);
  splitter.push('ab');
  splitter.push('c\r\nde');
  splitter.push('f\n');
  splitter.push('0123456789ABC');
  splitter.push('tail');
  splitter.end();
  assert.deepEqual(lines, ['abc', 'def', '0123456789ABC'.slice(0, 10) + '… (line cut)', 'tail']);
});

test('Tail keeps the last n items', () => {
  const tail = new Tail<number>(3);
  for (let i = 1; i <= 5; i++) tail.push(i);
  assert.deepEqual(tail.toArray(), [3, 4, 5]);
});

test('descendantsOf lists the whole subtree, deepest first, and survives cycles', () => {
  const table = parsePsTable('  10     1\n  11    10\n  12    11\n  13    10\n  20     1\n garbage\n  30    31\n  31    30\n');
  assert.deepEqual(descendantsOf(10, table), [12, 11, 13]);
  assert.deepEqual(descendantsOf(30, table), [31]);
  assert.deepEqual(descendantsOf(99, table), []);
});

// ─── a trainer reached over its socket ───────────────────────────────────────────────────────

test('SocketTrainer: validated events from the socket, bad lines reported, a broken connection re-made, detach lets go', { skip: process.platform === 'win32' }, async () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-socket-trainer-'));
  const lock: TrainerLock = {
    formatVersion: LOCK_FORMAT_VERSION, runId: path.basename(runDir), pid: process.pid, socketPath: socketPathFor(runDir),
    startedAt: new Date().toISOString(), hostname: os.hostname(), origin: 'cli',
  };
  const connections: net.Socket[] = [];
  const received: string[] = [];
  const server = net.createServer((socket) => {
    connections.push(socket);
    socket.on('data', (d) => received.push(...d.toString().split('\n').filter(Boolean)));
    socket.write(`${JSON.stringify({ type: 'batch', events: [{ type: 'log', level: 'info', message: 'hello' }, { type: 'episode', row: 'not a row' }] })}\n`);
    socket.write('this is not JSON\n');
  });
  await listenPrivately(server, lock.socketPath);
  const events: TrainerToHost[] = [];
  const invalid: unknown[] = [];
  const output: string[] = [];
  const trainer = SocketTrainer.attach(runDir, lock, { onEvent: (e) => events.push(e), onInvalidMessage: (m) => invalid.push(m), onOutput: (l) => output.push(l) });
  assert.equal(trainer.detachable, true);
  assert.equal(trainer.origin, 'cli');
  assert.equal(trainer.send({ type: 'pause' }), true, 'queued until connected');
  const until = (what: string, condition: () => boolean) => waitFor(condition, what);
  await until('the first events', () => events.length === 1 && invalid.length === 2);
  assert.deepEqual(events, [{ type: 'log', level: 'info', message: 'hello' }]);
  assert.match(String(invalid[1]), /a not JSON line: this is not JSON/);
  await until('the queued command', () => received.includes('{"type":"pause"}'));

  // The trainer drops the connection but lives on (it is this process): the handle connects again.
  connections[0].destroy();
  await until('a second connection', () => connections.length === 2);
  await until('the reattach note', () => output.some((l) => /reattached to the trainer/.test(l)));
  assert.equal(trainer.isRunning, true);

  const exit = await trainer.detach();
  assert.deepEqual(exit, { code: null, signal: null, detached: true });
  assert.equal(classifyExit(exit).crashed, false);
  assert.equal(trainer.send({ type: 'resume' }), false, 'nothing is sent after detaching');
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
