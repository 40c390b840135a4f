/**
 * The trainer socket's framing: newline-delimited JSON in chunks of any size; a line that is too
 * long, not JSON or cut off costs only itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeJsonLine, JsonLineReader } from '../../src/shared/node/jsonLines';

function reader(maxLineBytes = 64) {
  const messages: unknown[] = [];
  const bad: string[] = [];
  const r = new JsonLineReader({ onMessage: (m) => messages.push(m), onBadLine: (reason, preview) => bad.push(`${reason}: ${preview}`) }, maxLineBytes);
  return { r, messages, bad };
}

test('messages split across chunks, several in one chunk, CRLF and blank lines', () => {
  const { r, messages, bad } = reader();
  const text = encodeJsonLine({ type: 'pause' }) + encodeJsonLine({ a: 'é€' }) + '\r\n\n' + '{"b":1}\r\n';
  for (let i = 0; i < text.length; i += 3) r.push(Buffer.from(text.slice(i, i + 3), 'utf8'));
  assert.deepEqual(messages, [{ type: 'pause' }, { a: 'é€' }, { b: 1 }]);
  assert.deepEqual(bad, []);
});

test('a multi-byte character split between chunks survives', () => {
  const { r, messages } = reader();
  const bytes = Buffer.from(encodeJsonLine({ s: '€€' }), 'utf8');
  r.push(bytes.subarray(0, 8));
  r.push(bytes.subarray(8));
  assert.deepEqual(messages, [{ s: '€€' }]);
});

test('a line that is not JSON costs only itself', () => {
  const { r, messages, bad } = reader();
  r.push('nope\n{"ok":true}\n{"cut": \n');
  assert.deepEqual(messages, [{ ok: true }]);
  assert.deepEqual(bad, ['not JSON: nope', 'not JSON: {"cut":']);
});

test('an overlong line is dropped up to its newline, reported once, whatever the chunking', () => {
  for (const chunk of [1000, 7, 64, 65]) {
    const { r, messages, bad } = reader(64);
    const text = `{"x":"${'y'.repeat(300)}"}\n{"after":1}\n`;
    for (let i = 0; i < text.length; i += chunk) r.push(text.slice(i, i + chunk));
    assert.deepEqual(messages, [{ after: 1 }], `chunk ${chunk}`);
    assert.equal(bad.length, 1, `chunk ${chunk}: ${bad.join(' | ')}`);
    assert.match(bad[0], /^too long: \{"x":"yyy/);
    assert.equal(r.buffered, 0);
  }
});

test('memory stays bounded while an endless line streams in', () => {
  const { r, bad } = reader(1024);
  for (let i = 0; i < 1000; i++) r.push('z'.repeat(1000));
  assert.ok(r.buffered <= 1024);
  assert.equal(bad.length, 1);
});

test('encodeJsonLine: one line per message, newlines inside strings escaped', () => {
  const line = encodeJsonLine({ message: 'two\nlines' });
  assert.equal(line.indexOf('\n'), line.length - 1);
});
